/** The typed API layer: every ISPConfig quirk lives here, each in the file named for it. */
export * from "./caller";
export * from "./answerShape";
export * from "./columns";
export * from "./ownership";
export * from "./zoneOrigin";
export * from "./zoneSerial";
export * from "./webDomain";
export * from "./dnsZone";
export * from "./dnsARecord";
export * from "./mailDomain";
export * from "./mailUser";
export * from "./server";
export * from "./client";
export * from "./zoneRename";
export * from "./mailDomainRename";
export * from "./ownerCascade";
