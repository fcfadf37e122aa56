import type * as dynamic from "@pulumi/pulumi/dynamic";
import { Caller } from "../api/caller";
import { ConnectionSettings } from "../connection";

/** What every resource's operations get from the runtime. */
export interface OpsContext {
    /** Defaults from config/env; never touches the network (check/diff use it). */
    defaults(): Pick<ConnectionSettings, "clientId" | "serverId" | "dnsApplyWaitSeconds">;
    /** The process-wide shared session; logs in lazily on its first call. */
    caller(): Caller;
}

type Props = Record<string, any>;

/** The six operations of one resource type, implemented against the typed API layer. */
export interface ResourceOps {
    check(ctx: OpsContext, olds: Props, news: Props): Promise<dynamic.CheckResult>;
    diff(ctx: OpsContext, id: string, olds: Props, news: Props): Promise<dynamic.DiffResult>;
    create(ctx: OpsContext, inputs: Props): Promise<dynamic.CreateResult>;
    read(ctx: OpsContext, id: string, props: Props): Promise<dynamic.ReadResult>;
    update(ctx: OpsContext, id: string, olds: Props, news: Props): Promise<dynamic.UpdateResult>;
    delete(ctx: OpsContext, id: string, props: Props): Promise<void>;
}

/** Panel ids travel as Pulumi ids (strings). */
export function panelId(id: string): number {
    const n = Number(id);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`not an ISPConfig record id: ${JSON.stringify(id)}`);
    return n;
}
