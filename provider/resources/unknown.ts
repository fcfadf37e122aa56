/**
 * During `pulumi preview` an input computed by another resource (e.g. `zone.id`) reaches
 * check/diff as this placeholder. It is not bad input: validation skips it and diff treats
 * it as "will change".
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(v: unknown): boolean {
    if (v === UNKNOWN) return true;
    if (Array.isArray(v)) return v.some(isUnknown);
    if (v && typeof v === "object") return Object.values(v).some(isUnknown);
    return false;
}
