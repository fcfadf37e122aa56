/** The API layer calls the panel through the session's interface (declared by the wire). */
export type { Caller } from "../soap/caller";
