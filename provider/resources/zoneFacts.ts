import * as api from "../api";
import { ISPConfigError } from "../soap/errors";

/*
 * What a record needs from its zone: the server it lives on, its owner and its origin.
 * Records of one zone are created by the hundred in one `up`; asking the panel for the zone
 * (and its owner) once per process instead of once per record saves a round trip each.
 * DnsZone's update and delete forget the entry, so a re-owned zone is read afresh.
 */
export interface ZoneFacts {
    id: number;
    origin: string;
    serverId: number;
    /** The client owning the zone (0 = admin); records are given the same owner, as in the UI. */
    clientId: number;
    /**
     * The zone's sys_userid is that client's own user too (zones made through the API are; zones
     * an admin made in the UI for a client are not). Then passing the client id with
     * update_serial re-owns the zone to exactly what it already is, and a record costs one call.
     */
    ownedAsClient: boolean;
}

const cache = new WeakMap<api.Caller, Map<number, Promise<ZoneFacts>>>();

export function zoneFacts(c: api.Caller, zoneId: number, ownerHint: number): Promise<ZoneFacts> {
    let byZone = cache.get(c);
    if (!byZone) cache.set(c, (byZone = new Map()));
    let facts = byZone.get(zoneId);
    if (!facts) {
        facts = (async () => {
            const zone = await api.getDnsZone(c, zoneId);
            if (!zone) {
                throw new ISPConfigError(
                    `DNS zone ${zoneId} does not exist in the panel; set \`zoneId\` to the id of an existing zone (e.g. \`zone.id\` of a DnsZone)`,
                );
            }
            const owner = await api.ownerOfGroup(c, zone.sys_groupid, ownerHint);
            const ownedAsClient = !!owner && (await api.clientIdOfSysUser(c, zone.sys_userid)) === owner;
            return { id: zoneId, origin: api.dotted(zone.origin), serverId: zone.server_id, clientId: owner ?? 0, ownedAsClient };
        })();
        byZone.set(zoneId, facts);
        // A failed lookup must not be remembered.
        facts.catch(() => byZone!.delete(zoneId));
    }
    return facts;
}

export function forgetZone(c: api.Caller, zoneId: number): void {
    cache.get(c)?.delete(zoneId);
    // Its records may be renamed, re-owned or deleted with it: the listing is no longer known.
    api.zoneListings.forget(c, zoneId);
}
