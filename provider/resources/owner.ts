import * as api from "../api";
import { Field, Rule } from "./kit";

/*
 * Owners (fact sheet §6.4). The owner is read from the row's sys_groupid. Left out, `clientId`
 * is the config default at create and never managed afterwards, so an owner changed in the
 * panel, an adopt or a refresh never turns into an update, let alone a replace.
 */
export function ownerField(rule: Rule<number>): Field<number> {
    return {
        rule,
        default: (d) => d.clientId,
        read: async (row, props, c) => (await api.ownerOfGroup(c, row.sys_groupid, props.clientId)) ?? -1,
    };
}

