import { TransportError, ValidationError } from "../soap/errors";

/*
 * An `*_add` whose answer was lost (connection dropped, proxy error, timeout after the
 * request went out) may still have stored the record. Retrying blindly would make a second
 * copy or hit the uniqueness check, and giving up would leave a record Pulumi does not know
 * about. So: look it up by its natural key and take it over if it is there.
 */
export async function addOrRecover(
    add: () => Promise<number>,
    findExisting: () => Promise<number | undefined>,
): Promise<{ id: number; recovered: boolean }> {
    try {
        return { id: await add(), recovered: false };
    } catch (e) {
        if (e instanceof TransportError && e.maybeApplied) {
            const id = await findExisting();
            if (id !== undefined) return { id, recovered: true };
            // A kept-alive connection the panel had closed: the add never got there, and we
            // just saw it stored nothing. Send it once more. (Not after a timeout: a slow
            // panel might still be storing the first one.)
            if (e.stale) return { id: await add(), recovered: false };
        }
        throw e;
    }
}

/** True for the panel's "already exists" refusals (domain_error_unique, origin_error_unique, email_error_unique…). */
export function isUniquenessFault(e: unknown): boolean {
    return e instanceof ValidationError && e.keys.some((k) => /_error_unique$/.test(k));
}

/**
 * Pulumi's create contract: if create fails, nothing it made may stay behind (the engine will
 * not record it, so nobody would ever delete it). Runs the follow-up steps after an add and,
 * if one fails, deletes what the add made before passing the error on.
 */
export async function followUpOrUndo<T>(followUp: () => Promise<T>, undo: () => Promise<unknown>): Promise<T> {
    try {
        return await followUp();
    } catch (e) {
        try {
            await undo();
        } catch (undoError: any) {
            // Both failed: say so, with the id, so the operator can clean up by hand.
            if (e instanceof Error) e.message += ` (and undoing the add failed too: ${undoError?.message ?? undoError}; remove the record in the panel)`;
        }
        throw e;
    }
}
