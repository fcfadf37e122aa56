// Run as a child process, the way Pulumi's engine handles a dynamic provider:
//   node serializedProvider.js serialize  → prints {kind: the __provider text} of the COMPILED package
//   node serializedProvider.js run <file> → loads one serialized text with require-from-string (as
//     @pulumi/pulumi/cmd/dynamic-provider does), configures it from a raw config map, and runs
//     check + create + read + delete, printing the results as JSON.
const path = require("node:path");
const fs = require("node:fs");
const bin = path.join(__dirname, "..", "..", "bin", "provider");

async function main() {
    const [mode, file] = process.argv.slice(2);
    if (mode === "serialize") {
        // What the resources store: the kit's ShimResource writes providerText(kind) into __provider.
        const { providerText } = require(path.join(bin, "resources", "providerShim"));
        const out = {};
        for (const k of ["dnsZone", "aRecord", "dnsRecord", "webDomain", "mailDomain", "mailbox"]) out[k] = providerText(k);
        process.stdout.write(JSON.stringify(out));
        return;
    }
    const { text, config, args } = JSON.parse(fs.readFileSync(file, "utf8"));
    const requireFromString = require("require-from-string");
    const provider = requireFromString(text).handler();
    await provider.configure({ config: { get: (k) => config[k] } });
    const checked = await provider.check({}, args);
    const created = await provider.create(checked.inputs);
    const read = await provider.read(created.id, created.outs);
    await provider.delete(created.id, created.outs);
    process.stdout.write(JSON.stringify({ failures: checked.failures, id: created.id, outs: read.props }));
}
main().catch((e) => {
    process.stderr.write(String(e && e.message));
    process.exit(1);
});
