import { customerSite } from "./program";

// `pulumi up` from the repo root runs this file (Pulumi.yaml: main examples/customer-site/).
const site = customerSite();
export const zoneId = site.zoneId;
export const zoneSerial = site.zoneSerial;
export const recordNames = site.recordNames;
export const documentRoot = site.documentRoot;
export const systemUser = site.systemUser;
export const mailboxes = site.mailboxes;
export const maildirs = site.maildirs;
