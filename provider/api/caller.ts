import { SoapValue } from "../soap/value";

/**
 * What the API layer needs from the session module: call a remote function with its
 * positional arguments after the session id (the session prepends that itself).
 */
export interface Caller {
    call(method: string, ...args: SoapValue[]): Promise<SoapValue>;
}
