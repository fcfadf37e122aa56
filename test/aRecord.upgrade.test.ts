import { readFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aRecord } from "../provider/resources/aRecord";
import { Panel, checked, create, startPanel } from "./helpers/panel";

/*
 * ARecord became a thin declaration over DnsRecord's code. State written by the ARecord of
 * before (captured from commit d9952f4 with this repo's own harness: the rows it stored, its
 * outputs and checked inputs) must preview as no change, refresh to the same outputs, and a
 * record made now must carry exactly the outputs it carried then: existing stacks see nothing.
 */
const state = JSON.parse(readFileSync(path.join(__dirname, "fixtures", "aRecord.state.d9952f4.json"), "utf8"));

let p: Panel;
beforeAll(async () => {
    p = await startPanel();
    // The panel as the old code left it.
    p.emu.panel.tables.dns_soa.push(...state.soa.map((r: any) => ({ ...r })));
    p.emu.panel.tables.dns_rr.push(...state.rows.map((r: any) => ({ ...r })));
});
afterAll(() => p.close());

describe("ARecord: state from before DnsRecord", () => {
    for (const rec of state.records) {
        it(`${rec.args.name}: same program → same inputs, no change; refresh → same outputs`, async () => {
            const args = { zoneId: state.zone.id, ...rec.args };
            const inputs = await checked(aRecord.provider, args, rec.inputs);
            expect(inputs).toEqual({ ...rec.inputs, zoneId: inputs.zoneId });
            const d = await aRecord.provider.diff!(rec.id, rec.outs, inputs);
            expect(d.changes).toBe(false);
            expect(d.replaces ?? []).toEqual([]);
            const r = await aRecord.provider.read!(rec.id, rec.outs);
            expect(r.id).toBe(rec.id);
            expect(r.props).toEqual(rec.outs);
            expect(r.inputs).toEqual(rec.inputs);
            expect((await aRecord.provider.diff!(rec.id, r.props!, inputs)).changes).toBe(false);
        });
    }

    it("a record created now has exactly the outputs one created then had", async () => {
        const old = state.records[0];
        const now = await create(aRecord.provider, { zoneId: state.zone.id, name: "www2", address: "192.0.2.10" });
        expect(Object.keys(now.outs).sort()).toEqual(Object.keys(old.outs).sort());
        expect(Object.keys(now.inputs).sort()).toEqual(Object.keys(old.inputs).sort());
        expect(aRecord.declaration.type).toBe("ARecord");
    });
});
