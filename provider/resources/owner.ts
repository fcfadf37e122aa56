import * as api from "../api";
import { ISPConfigError } from "../soap/errors";
import { Field, Rule } from "./kit";

/*
 * Owners (fact sheet §6.4). The owner is read from the row's sys_groupid. Left out, `clientId`
 * is the config default at create and never managed afterwards, so an owner changed in the
 * panel, an adopt or a refresh never turns into an update, let alone a replace.
 */
export function ownerField(rule: Rule): Field {
    return {
        rule,
        default: (d) => d.clientId,
        read: async (row, props, c) => (await api.ownerOfGroup(c, row.sys_groupid, props.clientId)) ?? -1,
    };
}

/**
 * `client_id` 0 on an update means "leave the owner alone": the API cannot give a row back to
 * the admin. Deleting and re-creating it would destroy the customer's data, so the preview
 * stops here with the ways out instead.
 */
export function refuseMoveToAdmin(type: string, noun: string, olds: Record<string, any>, news: Record<string, any>, changed: string[]): void {
    if (!changed.includes("clientId") || news.clientId !== 0) return;
    throw new ISPConfigError(
        `${type}: \`clientId\` 0 (the admin) is declared, but the panel has this ${noun} owned by ${olds.clientId === -1 ? "a group of no client" : `client ${olds.clientId}`}, ` +
            `and the panel's API cannot give a ${noun} back to the admin (client_id 0 on an update leaves the owner as it is). ` +
            `Move it to the admin in the panel's UI and run \`pulumi refresh\`, or set \`clientId\` to ${olds.clientId} ` +
            "(or leave it out) to keep the panel's owner. Nothing was changed.",
    );
}
