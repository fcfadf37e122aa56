import { SoapMap, SoapValue } from "../soap/value";

/*
 * Every value the panel reads from its database arrives as a string ("1", "-1", "y", "N").
 * A table's column kinds say which become numbers and which booleans, and how a boolean goes
 * back: the web and mail tables store checkboxes as y/n, the DNS tables as Y/N.
 */
export interface ColumnKinds {
    ints: readonly string[];
    flags: readonly string[];
    /** How this table spells a checked checkbox. */
    flagCase: "lower" | "upper";
}

export type Typed = Record<string, string | number | boolean | null>;

/**
 * What may be written to a table: any of its typed columns. A column name the row type does
 * not know is a compile error (the panel would silently ignore it).
 */
export type Write<Row> = { -readonly [K in keyof Row]?: Row[K] };

/** A row as the panel answers it, typed by the table's column kinds (R names the columns we use). */
export function fromDb<R = Typed>(row: SoapMap, kinds: ColumnKinds): R {
    const out: Typed = {};
    for (const [k, v] of Object.entries(row)) {
        if (v === null || v === undefined) {
            out[k] = null;
        } else if (kinds.ints.includes(k)) {
            const n = typeof v === "number" ? v : Number(String(v));
            out[k] = Number.isFinite(n) ? n : String(v);
        } else if (kinds.flags.includes(k)) {
            out[k] = String(v).toLowerCase() === "y";
        } else if (typeof v === "object") {
            out[k] = JSON.stringify(v);
        } else {
            out[k] = typeof v === "string" ? v : String(v);
        }
    }
    return out as unknown as R;
}

/** Turn typed values back into what the panel stores; unknown keys pass through unchanged. */
export function toDb(values: object, kinds: ColumnKinds): SoapMap {
    const out: SoapMap = {};
    for (const [k, v] of Object.entries(values)) {
        if (v === undefined) continue;
        if (typeof v === "boolean") {
            const y = kinds.flagCase === "upper" ? "Y" : "y";
            const n = kinds.flagCase === "upper" ? "N" : "n";
            out[k] = v ? y : n;
        } else {
            out[k] = v as SoapValue;
        }
    }
    return out;
}

export function num(v: unknown, fallback = 0): number {
    if (typeof v === "number") return v;
    const n = Number(v);
    return Number.isFinite(n) ? n : fallback;
}
