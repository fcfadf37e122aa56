import { SoapValue } from "./value";

/**
 * What a session offers the layers above: call a remote function with its positional arguments
 * after the session id (the session prepends that itself). Declared here, at the wire, so the
 * wire never imports the layer that uses it.
 */
export interface Caller {
    call(method: string, ...args: SoapValue[]): Promise<SoapValue>;
}
