import { describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as path from "node:path";
import { SETTINGS } from "../provider/connection";

/*
 * What the README promises a newcomer about versions and the panel's rules must stay what the
 * package declares and what the tests run (issue 15, points 7 and 8). When a version moves in
 * package.json, tools/pulumi-cli/go.mod or test/package.cli.test.ts, this fails until the README
 * says so too.
 */
const repo = path.join(__dirname, "..");
const read = (f: string) => fs.readFileSync(path.join(repo, f), "utf8");
const readme = read("README.md");
const pkg = JSON.parse(read("package.json"));
const section = (title: string) => {
    const start = readme.indexOf(`## ${title}\n`);
    expect(start, `README section "${title}"`).toBeGreaterThanOrEqual(0);
    const end = readme.indexOf("\n## ", start + 1);
    return readme.slice(start, end < 0 ? undefined : end);
};
const packagingTest = read("test/package.cli.test.ts");
const constant = (name: string) => new RegExp(`const ${name} = "([^"]+)"`).exec(packagingTest)![1];

describe("the README's supported versions match what is declared and tested", () => {
    const supported = section("Supported versions");

    it("the @pulumi/pulumi peer range, and the lowest and newest versions the packaging test runs", () => {
        expect(supported).toContain(`\`${pkg.peerDependencies["@pulumi/pulumi"]}\``);
        for (const v of [constant("LOWEST_SDK"), constant("NEWEST_SDK"), pkg.devDependencies["@pulumi/pulumi"]]) expect(supported).toContain(v);
        expect(pkg.peerDependencies["@pulumi/pulumi"]).toBe(`^${constant("LOWEST_SDK")}`);
    });

    it("the Node versions: the engines floor, and the Node 22 the packaging test runs", () => {
        const floor = /^>=(\d+)$/.exec(pkg.engines.node)![1];
        expect(supported).toMatch(new RegExp(`\\| Node\\.js \\| ${floor}, 22 \\|`));
        expect(supported).toContain(constant("NODE22").split(".").slice(0, 2).join("."));
    });

    it("the Pulumi CLI version tools/pulumi-cli pins", () => {
        const cli = /github\.com\/pulumi\/pulumi\/pkg\/v3 (v[\d.]+)/.exec(read("tools/pulumi-cli/go.mod"))![1];
        expect(supported).toContain(cli);
    });

    it("ISPConfig 3.2 supported and tested; 3.1 and 3.3 stated", () => {
        expect(supported).toMatch(/\| ISPConfig \| \*\*3\.2\.x\*\* \|/);
        expect(supported).toMatch(/\| ISPConfig 3\.1 \| not tested \|/);
        expect(supported).toMatch(/\| ISPConfig 3\.3 \| not tested \|/);
    });

    it("the remote user's IP restriction and the lockout come before the first command", () => {
        const firstCommand = readme.indexOf("```sh");
        expect(supported).toMatch(/IP restriction/);
        expect(supported).toMatch(/10 failed logins .* within 5 minutes/s);
        expect(readme.indexOf("## Supported versions")).toBeLessThan(firstCommand);
    });
});

describe("the package's paperwork", () => {
    it("LICENSE carries the license package.json names", () => {
        expect(pkg.license).toBe("Apache-2.0");
        expect(read("LICENSE")).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
        expect(read("LICENSE")).toMatch(/END OF TERMS AND CONDITIONS/);
    });

    it("the README is written for a reader on their own machine", () => {
        expect(readme).not.toMatch(/which this machine has/i);
    });
});

describe("the pulumi new template", () => {
    /** template.config of templates/ispconfig-site/Pulumi.yaml: key → its description, default, secret (a tiny reader for that one block). */
    function templateConfig(): Map<string, Record<string, string>> {
        const lines = read("templates/ispconfig-site/Pulumi.yaml").split("\n");
        const start = lines.indexOf("template:");
        const out = new Map<string, Record<string, string>>();
        let inConfig = false;
        let key = "";
        for (const line of lines.slice(start + 1)) {
            if (/^\S/.test(line)) break;
            if (/^ {2}\S/.test(line)) inConfig = line.trim() === "config:";
            else if (inConfig && /^ {4}\S/.test(line)) out.set((key = line.trim().replace(/:$/, "")), {});
            else if (inConfig && /^ {6}\S/.test(line)) {
                const [, k, v] = /^\s+(\w+):\s*(.*)$/.exec(line)!;
                out.get(key)![k] = v;
            }
        }
        return out;
    }

    it("asks for every connection setting the provider requires, each described with its env var, the password as a secret", () => {
        const config = templateConfig();
        for (const s of SETTINGS.filter((x) => x.required)) {
            expect(config.get(s.config)?.description, s.config).toContain(s.env);
        }
        expect(config.get("ispconfig:password")?.secret).toBe("true");
        expect(config.get("infoPassword")?.secret).toBe("true");
        for (const [k, v] of config) expect(v.description, k).toBeTruthy();
    });
});
