import "server-only";
import type { z } from "zod";
import type { Db, Tx } from "@/db/client";
import type { Workspace } from "@/lib/workspace";

export const sideEffects = ["none", "workspace", "external"] as const;
/** none: reads only; workspace: changes the run's own files or state; external: changes the world. */
export type SideEffect = (typeof sideEffects)[number];

/** What a tool's execute() may use: scoped to one run and one call. */
export interface ToolContext {
  runId: string;
  jobId: string;
  turnIndex: number;
  callIndex: number;
  /** `${runId}:${turnIndex}:${callIndex}` — the idempotency key of this call. */
  callKey: string;
  /** For reads. A tool that writes rows declares `writes: "database"` and gets `tx` instead. */
  db: Db;
  /** Aborted on timeout, cancel, lease loss or the run's deadline. */
  signal: AbortSignal;
  /** The run's workspace (created on first use). */
  workspace(): Promise<Workspace>;
  /** Hosts http_fetch may reach (the job's agent.httpAllowlist). */
  httpAllowlist: readonly string[];
  /** Limit for tools that return file or response bodies. */
  maxOutputBytes: number;
}

/**
 * What a database-writing tool's execute() gets: the call's own transaction instead of
 * the pool. invokeTool opens it, checks the lease and records the call's result and its
 * `tool.called` event in it, so the rows the tool writes commit (or vanish) with them.
 * There is no `db`: on PGlite a query outside the open transaction would wait for it.
 */
export type DatabaseToolContext = Omit<ToolContext, "db"> & { tx: Tx };

/**
 * What a tool's admission check answers before it executes (the gateway's admission stage):
 * go ahead, wait (the call is parked, the turn ends waiting for `waitingFor`, and the call
 * runs again on a later turn), or refuse (an error result for the model, audited).
 */
export type Admission =
  | { verdict: "admit" }
  | { verdict: "wait"; waitingFor: string; reason: string }
  | { verdict: "refuse"; message: string; auditAction: string; details?: Record<string, unknown> };

/** What an admission check gets: the run and the call's own transaction, fenced by the lease. */
export interface AdmissionContext {
  runId: string;
  jobId: string;
  tx: Tx;
}

interface ToolBase<Input> {
  name: string;
  description: string;
  input: z.ZodType<Input>;
  /**
   * The JSON Schema shown to the model when the tool arrived with one (an MCP server's tool):
   * `input` is converted from it for validation, and converting back could lose detail.
   */
  inputJsonSchema?: Record<string, unknown>;
  sideEffect: SideEffect;
  /** Data categories the tool touches (governance: compared with the job's declaration). */
  dataCategories: readonly string[];
  /** Overrides FLIGHTDECK_TOOL_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Optional check before execution that may park the call (memory_lock waits for its lock). */
  admit?(input: Input, ctx: AdmissionContext): Promise<Admission>;
}

/** Reads, files in the workspace, or calls to the outside world: no rows of its own. */
export interface PlainToolDefinition<Input = unknown, Output = unknown> extends ToolBase<Input> {
  writes?: undefined;
  execute(input: Input, ctx: ToolContext): Promise<Output>;
}

/**
 * Writes rows in Flightdeck's database through `ctx.tx`. execute() must finish when
 * `ctx.signal` aborts: it cannot be abandoned like other tools, because its queries run
 * on the transaction's connection (each statement is cut at the timeout).
 */
export interface DatabaseToolDefinition<Input = unknown, Output = unknown> extends ToolBase<Input> {
  writes: "database";
  execute(input: Input, ctx: DatabaseToolContext): Promise<Output>;
}

export type ToolDefinition<Input = unknown, Output = unknown> =
  PlainToolDefinition<Input, Output> | DatabaseToolDefinition<Input, Output>;

/** Keeps the input type of execute() tied to the schema. */
export function defineTool<S extends z.ZodType, Output>(
  definition:
    | (Omit<PlainToolDefinition<z.output<S>, Output>, "input"> & { input: S })
    | (Omit<DatabaseToolDefinition<z.output<S>, Output>, "input"> & { input: S }),
): ToolDefinition {
  return definition as unknown as ToolDefinition;
}

/**
 * A tool refusing on policy grounds (host not allowlisted, path outside the workspace):
 * the call is recorded as refused and `auditAction` is written with `details`.
 */
export class ToolRefusedError extends Error {
  constructor(
    message: string,
    readonly auditAction: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "ToolRefusedError";
  }
}
