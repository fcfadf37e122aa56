import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

/*
 * The three layers: the wire (soap/) knows no table, the API (api/) knows no Pulumi resource.
 * No import may run back up a layer.
 */
const provider = path.join(__dirname, "..", "provider");
const importsOf = (dir: string) =>
    readdirSync(path.join(provider, dir))
        .filter((f) => f.endsWith(".ts"))
        .flatMap((f) => [...readFileSync(path.join(provider, dir, f), "utf8").matchAll(/from "([^"]+)"/g)].map((m) => `${dir}/${f} → ${m[1]}`));

describe("layers", () => {
    it("soap/ imports nothing from api/, resources/ or the runtime", () => {
        expect(importsOf("soap").filter((i) => /→ \.\.\//.test(i))).toEqual([]);
    });
    it("api/ imports nothing from resources/ or the runtime", () => {
        expect(importsOf("api").filter((i) => /→ \.\.\/(resources|runtime|connection|index)/.test(i))).toEqual([]);
    });
    it("resources/ never builds XML (no import of the wire's encoder or decoder)", () => {
        expect(importsOf("resources").filter((i) => /→ \.\.\/soap\/(envelope|decode|scanner|transport)/.test(i))).toEqual([]);
    });
});
