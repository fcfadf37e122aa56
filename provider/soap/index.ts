/** The client layer: speaks ISPConfig's SOAP wire and knows nothing of its tables. */
export * from "./value";
export * from "./caller";
export * from "./errors";
export * from "./envelope";
export * from "./decode";
export * from "./faults";
export * from "./redact";
export * from "./transport";
export * from "./session";
export * from "./sharedSession";
