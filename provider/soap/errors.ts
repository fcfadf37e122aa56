/**
 * The one error hierarchy every layer throws. Messages are written for the person running
 * `pulumi up`: they say what failed and what to do, and never carry a password or a hash.
 */
export class ISPConfigError extends Error {
    /** The remote function that failed, when there was one. */
    readonly method?: string;
    constructor(message: string, method?: string) {
        super(message);
        this.name = new.target.name;
        this.method = method;
    }
}

/** login_failed, login_failure_limit, session_failure_limit and the other session faults. */
export class AuthError extends ISPConfigError {
    readonly faultcode: string;
    constructor(message: string, faultcode: string, method?: string) {
        super(message, method);
        this.faultcode = faultcode;
    }
}

/** permission_denied: the remote user lacks the function group that `method` belongs to. */
export class PermissionError extends ISPConfigError {}

/** A record the caller expected does not exist. */
export class NotFoundError extends ISPConfigError {}

/** data_processing_error: the panel refused the values. `fields` names what it complained about. */
export class ValidationError extends ISPConfigError {
    readonly fields: string[];
    readonly keys: string[];
    constructor(message: string, keys: string[], fields: string[], method?: string) {
        super(message, method);
        this.keys = keys;
        this.fields = fields;
    }
}

/** The answer was not SOAP at all: connection refused/reset, timeout, TLS, HTML error page, truncated XML. */
export class TransportError extends ISPConfigError {
    /** HTTP status, when a response arrived. */
    readonly status?: number;
    /** Short, single-line start of the response body, when one arrived. */
    readonly bodyStart?: string;
    /** True when the request may have reached the panel (so a mutating call may have been applied). */
    readonly maybeApplied: boolean;
    /**
     * A kept-alive connection was found closed as the request went out, before any answer:
     * almost always the panel's web server ending an idle connection, so the request was
     * never processed.
     */
    readonly stale: boolean;
    constructor(message: string, opts: { status?: number; bodyStart?: string; maybeApplied: boolean; method?: string; stale?: boolean }) {
        super(message, opts.method);
        this.status = opts.status;
        this.bodyStart = opts.bodyStart;
        this.maybeApplied = opts.maybeApplied;
        this.stale = opts.stale ?? false;
    }
}

/** Any other SOAP fault, with the panel's own faultcode and (redacted) faultstring. */
export class FaultError extends ISPConfigError {
    readonly faultcode: string;
    readonly faultstring: string;
    constructor(message: string, faultcode: string, faultstring: string, method?: string) {
        super(message, method);
        this.faultcode = faultcode;
        this.faultstring = faultstring;
    }
}

/** Input the client refuses to send (e.g. a character XML 1.0 cannot carry). Raised before any network I/O. */
export class InputError extends ISPConfigError {}
