/*
 * A deliberately thin SOAP client for the differential test: one HTTP POST per call, the
 * answer kept exactly as it came (status, content type, decoded value or fault code and
 * string, or the body when it is not SOAP), and, for the API layer driven through it, the
 * same value or error the provider's own session would give. No retry, no re-login, no
 * concurrency: both panels must see the very same calls in the very same order.
 */
import * as http from "node:http";
import * as https from "node:https";
import * as fs from "node:fs";
import type { Caller } from "../../provider/api/caller";
import { decodeResponse, scanAnswer } from "../../provider/soap/decode";
import { encodeRequest, soapAction, soapUri } from "../../provider/soap/envelope";
import { SoapValue } from "../../provider/soap/value";

export type Outcome =
    | { kind: "value"; value: SoapValue }
    | { kind: "fault"; code: string; string: string }
    | { kind: "page"; status: number; type: string; body: string }
    | { kind: "network"; error: string };

export interface Recorded {
    label: string;
    method: string;
    /** Arguments after the session id. */
    args: SoapValue[];
    outcome: Outcome;
}

export interface Target {
    name: string;
    endpoint: string;
    username: string;
    password: string;
    insecure?: boolean;
    caFile?: string;
}

function post(t: Target, body: string, method: string): Promise<{ status: number; type: string; body: string }> {
    const url = new URL(t.endpoint);
    const lib = url.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
        const req = lib.request(
            url,
            {
                method: "POST",
                headers: { "Content-Type": "text/xml; charset=utf-8", SOAPAction: soapAction(soapUri(t.endpoint), method), "Content-Length": Buffer.byteLength(body) },
                rejectUnauthorized: !t.insecure,
                ca: t.caFile ? fs.readFileSync(t.caFile) : undefined,
                agent: false,
            } as https.RequestOptions,
            (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (c: Buffer) => chunks.push(c));
                res.on("end", () => resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"] ?? ""), body: Buffer.concat(chunks).toString("utf8") }));
                res.on("error", reject);
            },
        );
        req.setTimeout(60_000, () => req.destroy(new Error("no answer within 60 s")));
        req.on("error", reject);
        req.end(body);
    });
}

/** One panel, one session, every call recorded under the current case label. */
export class RecordingPanel implements Caller {
    readonly log: Recorded[] = [];
    private session = "";
    private label = "";
    constructor(readonly target: Target) {}

    /** Names the calls that follow (the known-differences file refers to these labels). */
    case(label: string): void {
        this.label = label;
    }

    private async exchange(method: string, args: SoapValue[], withSession: boolean, record: boolean): Promise<{ outcome: Outcome; status: number; body: string }> {
        const full = withSession ? [this.session, ...args] : args;
        const uri = soapUri(this.target.endpoint);
        let outcome: Outcome;
        let status = 0;
        let body = "";
        try {
            const res = await post(this.target, encodeRequest(uri, method, full), method);
            status = res.status;
            body = res.body;
            if (!/xml/i.test(res.type)) outcome = { kind: "page", status: res.status, type: res.type.replace(/\s+/g, "").toLowerCase(), body: res.body };
            else {
                try {
                    const s = scanAnswer(res.body, res.status, method);
                    outcome = "fault" in s ? { kind: "fault", code: s.fault.code, string: s.fault.string } : { kind: "value", value: s.value };
                } catch {
                    outcome = { kind: "page", status: res.status, type: res.type, body: res.body };
                }
            }
        } catch (e: any) {
            outcome = { kind: "network", error: String(e?.message ?? e) };
        }
        if (record) this.log.push({ label: this.label, method, args, outcome });
        return { outcome, status, body };
    }

    async login(record = true): Promise<void> {
        const r = await this.exchange("login", [this.target.username, this.target.password], false, false);
        if (record) this.log.push({ label: this.label, method: "login", args: ["<user>", "<password>"], outcome: r.outcome });
        if (r.outcome.kind !== "value" || typeof r.outcome.value !== "string") throw new Error(`${this.target.name}: login failed: ${JSON.stringify(r.outcome).slice(0, 300)}`);
        this.session = r.outcome.value;
    }

    async logout(record = true): Promise<void> {
        await this.exchange("logout", [this.session], false, record);
    }

    /** As the provider's session would answer: the value, or the error it would throw. */
    async call(method: string, ...args: SoapValue[]): Promise<SoapValue> {
        const r = await this.exchange(method, args, true, true);
        if (r.outcome.kind === "network") throw new Error(`${this.target.name} ${method}: ${r.outcome.error}`);
        return decodeResponse(r.body, r.status, method);
    }

    /** Not recorded: setup and cleanup around the compared sequence. */
    async quiet(method: string, ...args: SoapValue[]): Promise<SoapValue> {
        const r = await this.exchange(method, args, true, false);
        if (r.outcome.kind === "network") throw new Error(`${this.target.name} ${method}: ${r.outcome.error}`);
        return decodeResponse(r.body, r.status, method);
    }

    /** A Caller whose calls are not recorded. */
    get unrecorded(): Caller {
        return { call: (m, ...a) => this.quiet(m, ...a) };
    }
}
