/*
 * A counting proxy on loopback in front of the real panel: the provider is pointed at it, so
 * every POST the provider (in its plugin process) sends is seen here, by method, without any
 * hook in the provider itself. Only the method name is kept, never a body (bodies carry the
 * panel password and mailbox passwords).
 */
import * as http from "node:http";
import * as https from "node:https";
import * as fs from "node:fs";
import type { AddressInfo } from "node:net";

export interface CountingProxy {
    /** The endpoint to give the provider. */
    url: string;
    methods: string[];
    close(): Promise<void>;
}

export interface ProxyOptions {
    insecure?: boolean;
    caFile?: string;
    /**
     * Awaited before a call is passed on (the method, and how many calls of it came before): a
     * test makes a change in the panel between the provider's plan and one of its writes.
     */
    before?: (method: string, nth: number) => Promise<void> | void;
}

export async function startCountingProxy(target: string, opts: ProxyOptions = {}): Promise<CountingProxy> {
    const t = new URL(target);
    const lib = t.protocol === "https:" ? https : http;
    const methods: string[] = [];
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", async () => {
            const body = Buffer.concat(chunks);
            if (req.method === "POST") {
                // The first element inside <Body>: the method, whatever its prefix.
                const m = /<(?:[\w-]+:)?Body[^>]*>\s*<(?:[\w-]+:)?([\w]+)/.exec(body.toString("utf8", 0, Math.min(body.length, 4096)));
                const method = m ? m[1] : "?";
                const nth = methods.filter((x) => x === method).length;
                methods.push(method);
                if (opts.before) await Promise.resolve(opts.before(method, nth)).catch(() => undefined);
            }
            const headers = { ...req.headers, host: t.host, "content-length": String(body.length) };
            delete (headers as any).connection;
            const up = lib.request(
                { protocol: t.protocol, hostname: t.hostname, port: t.port, path: t.pathname + t.search, method: req.method, headers, rejectUnauthorized: !opts.insecure, ca: opts.caFile ? fs.readFileSync(opts.caFile) : undefined } as https.RequestOptions,
                (r) => {
                    res.writeHead(r.statusCode ?? 502, r.headers);
                    r.pipe(res);
                },
            );
            up.on("error", () => {
                if (!res.headersSent) res.writeHead(502);
                res.end();
            });
            up.end(body);
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    return {
        url: `http://127.0.0.1:${port}${t.pathname}`,
        methods,
        close: () => new Promise<void>((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
    };
}
