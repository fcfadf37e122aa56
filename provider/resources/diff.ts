import { isUnknown } from "./unknown";

export interface DiffSpec {
    /** Fields the panel can change in place. */
    update: readonly string[];
    /** Fields the panel cannot change in place: a change means delete and create. */
    replace: readonly string[];
    /** The natural key is unique in the panel, so the old record must go before the new one. */
    deleteBeforeReplace: boolean;
}

function same(a: unknown, b: unknown): boolean {
    if (a === b) return true;
    if ((a === undefined || a === null) && (b === undefined || b === null)) return true;
    return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Field-by-field diff of the stored outputs against the new (checked) inputs. An unknown
 * value during preview counts as a change. No network: preview never touches the panel.
 */
export function diffFields(olds: Record<string, unknown>, news: Record<string, unknown>, spec: DiffSpec) {
    const changed = [...spec.update, ...spec.replace].filter((f) => isUnknown(news[f]) || !same(olds[f], news[f]));
    const replaces = changed.filter((f) => spec.replace.includes(f));
    return {
        changes: changed.length > 0,
        replaces,
        deleteBeforeReplace: replaces.length > 0 && spec.deleteBeforeReplace,
        // Not part of Pulumi's DiffResult; kept for our own tests and messages.
        changed,
    };
}
