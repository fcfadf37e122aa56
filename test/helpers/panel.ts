/*
 * What every resource test needs: a fresh test panel, the provider runtime pointed at it,
 * and a way to drive a provider the way the engine does (check → diff → create/update/read/delete).
 */
import "../../provider/runtime"; // registers the runtime the provider objects load
import * as runtime from "../../provider/runtime";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { startEmulator, Emulator, EmulatorOptions } from "../emulator";
import { closeSharedSessions, getSharedSession } from "../../provider/soap/sharedSession";

export const ADMIN = { username: "apiuser", password: "ApiPass123!" };

export interface Panel {
    emu: Emulator;
    /** A raw SOAP caller for setting things up behind the providers' back. */
    raw: { call(method: string, ...args: any[]): Promise<any> };
    close(): Promise<void>;
}

export async function startPanel(opts: EmulatorOptions = {}, config: Record<string, string> = {}): Promise<Panel> {
    // Tests change the panel behind the provider's back and read again at once, in one process:
    // only reads in flight together share a zone's listing here (the production default also
    // lets the reads of one refresh that arrive within 1 s share it).
    process.env.ISPCONFIG_READ_SHARE_MS ??= "0";
    const emu = await startEmulator(opts);
    runtime.configureWith({
        "ispconfig:endpoint": emu.url,
        "ispconfig:username": ADMIN.username,
        "ispconfig:password": ADMIN.password,
        ...config,
    });
    const raw = getSharedSession({ endpoint: emu.url, username: ADMIN.username, password: ADMIN.password });
    return {
        emu,
        raw,
        async close() {
            await closeSharedSessions();
            await emu.close();
        },
    };
}

/** Makes a panel client (as the panel's admin would) and returns its client_id. */
export async function addClient(p: Panel, username: string): Promise<number> {
    const id = await p.raw.call("client_add", 0, {
        company_name: `${username} Ltd`,
        contact_name: username,
        customer_no: username,
        username,
        password: "Cl1ent-Pass!2024",
        language: "en",
        usertheme: "default",
        email: `${username}@example.net`,
        country: "DE",
        default_mailserver: 1,
        mail_servers: "1",
        default_webserver: 1,
        web_servers: "1",
        default_dnsserver: 1,
        dns_servers: "1",
        web_php_options: "no,fast-cgi,php-fpm",
        ssh_chroot: "no,jailkit",
        limit_maildomain: -1,
        limit_mailbox: -1,
        limit_web_domain: -1,
        limit_dns_zone: -1,
        limit_dns_record: -1,
        parent_client_id: 0,
    });
    return Number(id);
}

/** The checked inputs, or the check failures thrown as one error (as the engine reports them). */
export async function checked(provider: dynamic.ResourceProvider, news: Record<string, unknown>, olds: Record<string, unknown> = {}) {
    const r = await provider.check!(olds, news);
    if (r.failures && r.failures.length > 0) {
        throw new Error(r.failures.map((f) => `${f.property}: ${f.reason}`).join("; "));
    }
    return r.inputs as Record<string, any>;
}

/** check + create, as `pulumi up` does for a new resource. */
export async function create(provider: dynamic.ResourceProvider, args: Record<string, unknown>) {
    const inputs = await checked(provider, args);
    const r = await provider.create(inputs);
    return { id: r.id, outs: r.outs as Record<string, any>, inputs };
}

/** check + diff + update, as `pulumi up` does for a changed resource; returns the diff too. */
export async function update(
    provider: dynamic.ResourceProvider,
    id: string,
    state: { outs: Record<string, any>; inputs: Record<string, any> },
    args: Record<string, unknown>,
) {
    const inputs = await checked(provider, args, state.inputs);
    const diff = await provider.diff!(id, state.outs, inputs);
    if (diff.replaces && diff.replaces.length > 0) throw new Error(`expected an update, got a replace of ${diff.replaces.join(", ")}`);
    const r = await provider.update!(id, state.outs, inputs);
    return { diff, outs: r.outs as Record<string, any>, inputs };
}

/**
 * check → diff → update as `pulumi up` does with the state it has (last outputs): no update when
 * diff sees no change; a replace is an error here. Returns the diff and the new outputs.
 */
export async function up(provider: dynamic.ResourceProvider, state: { id: string; outs: Record<string, any> }, args: Record<string, unknown>) {
    const inputs = await checked(provider, args, state.outs);
    const diff = await provider.diff!(state.id, state.outs, inputs);
    if (!diff.changes) return { diff, outs: state.outs };
    if (diff.replaces?.length) throw new Error(`expected an update, got a replace of ${diff.replaces.join(", ")}`);
    const r = await provider.update!(state.id, state.outs, inputs);
    return { diff, outs: r.outs as Record<string, any> };
}

export async function read(provider: dynamic.ResourceProvider, id: string, outs: Record<string, any>) {
    const r = await provider.read!(id, outs);
    return { id: r.id, outs: (r.props ?? {}) as Record<string, any> };
}

/** Counts SOAP calls the panel receives while `fn` runs. */
export async function countCalls<T>(p: Panel, fn: () => Promise<T>): Promise<{ result: T; calls: string[] }> {
    const before = p.emu.calls.length;
    const result = await fn();
    return { result, calls: p.emu.calls.slice(before).map((c) => c.method) };
}

export function row(p: Panel, table: string, where: (r: Record<string, any>) => boolean): Record<string, any> | undefined {
    return p.emu.table(table).find(where);
}
