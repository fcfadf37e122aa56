/*
 * The one-command demo: `npm run demo`. Starts the test panel on loopback (the embedded
 * default target), runs the customer-site example with the real Pulumi CLI against it — local
 * file backend, throw-away passphrase — prints the outputs and what the panel now holds, then
 * waits: Enter destroys everything and exits. Without a terminal (CI) it destroys right away.
 */
import * as readline from "node:readline";
import { startEmulator } from "../test/emulator";
import { createSession } from "../provider/soap/session";
import { exampleStack, prepareWorkspace } from "./workspace";

async function main() {
    const say = (s: string) => process.stdout.write(`${s}\n`);
    const emu = await startEmulator();
    say(`Test panel (ISPConfig emulator) on ${emu.url}`);
    const admin = createSession({ endpoint: emu.url, username: "apiuser", password: "ApiPass123!" });
    const clientId = await admin.call("client_add", 0, {
        company_name: "Demo Customer", contact_name: "Demo", username: "demo", password: "Cl1ent-Pass!2024", email: "demo@example.net",
        language: "en", web_php_options: "no,fast-cgi,php-fpm", ssh_chroot: "no,jailkit", default_webserver: 1, default_mailserver: 1, default_dnsserver: 1,
    });
    say("Finding or building the Pulumi CLI (the first build takes several minutes)…");
    const ws = await prepareWorkspace();
    const stack = await exampleStack(ws, "demo", {
        "ispconfig:endpoint": { value: emu.url },
        "ispconfig:username": { value: "apiuser" },
        "ispconfig:password": { value: "ApiPass123!", secret: true },
        "ispconfig:clientId": { value: String(clientId) },
        "customer-site:domain": { value: "demo.customer.example" },
        "customer-site:webIp": { value: "192.0.2.10" },
        "customer-site:mailIp": { value: "192.0.2.25" },
        "customer-site:infoPassword": { value: "Inf0-Demo-Pass!", secret: true },
        "customer-site:adminPassword": { value: "Adm1n-Demo-Pass#", secret: true },
    });
    say("pulumi up --yes …");
    const up = await stack.up({ onOutput: (o) => process.stdout.write(o) });
    say("\nOutputs:");
    for (const [k, v] of Object.entries(up.outputs)) say(`  ${k}: ${v.secret ? "[secret]" : JSON.stringify(v.value)}`);
    say("\nThe panel now holds:");
    for (const t of ["dns_soa", "dns_rr", "web_domain", "mail_domain", "mail_user"]) {
        const rows = emu.table(t);
        const key = { dns_soa: "origin", dns_rr: "name", web_domain: "domain", mail_domain: "domain", mail_user: "email" }[t]!;
        say(`  ${t.padEnd(12)} ${rows.map((r) => r[key] + (t === "dns_rr" ? ` ${r.type} ${r.data}` : "")).join(", ")}`);
    }
    say(
        `\nLook at the stack with the same CLI:\n` +
            `  export PULUMI_BACKEND_URL=${ws.envVars.PULUMI_BACKEND_URL} PULUMI_CONFIG_PASSPHRASE=${ws.envVars.PULUMI_CONFIG_PASSPHRASE} PULUMI_HOME=${ws.envVars.PULUMI_HOME}\n` +
            `  $(scripts/pulumi-cli.sh) stack output --stack demo --cwd ${ws.project}\n` +
            `The test panel lives in this process's memory, so destroy before leaving.`,
    );
    if (process.stdin.isTTY && !process.env.CI) {
        const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
        await new Promise<void>((r) => rl.question("\nPress Enter to run `pulumi destroy` and exit… ", () => (rl.close(), r())));
    }
    say("pulumi destroy --yes …");
    const d = await stack.destroy();
    say(`Destroyed: ${JSON.stringify(d.summary.resourceChanges)}; panel rows left: ${["dns_soa", "dns_rr", "web_domain", "mail_domain", "mail_user"].reduce((n, t) => n + emu.table(t).length, 0)}`);
    await admin.close();
    await emu.close();
}

main().catch((e) => {
    process.stderr.write(`${e?.stack ?? e}\n`);
    process.exit(1);
});
