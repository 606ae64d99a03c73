import "server-only";
import type { z } from "zod";
import type { Db } from "@/db/client";
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
  db: Db;
  /** The turn's lease: tools that write to the database fence their writes with it. */
  leaseToken?: string;
  /** Aborted on timeout, cancel, lease loss or the run's deadline. */
  signal: AbortSignal;
  /** The run's workspace (created on first use). */
  workspace(): Promise<Workspace>;
  /** Hosts http_fetch may reach (the job's agent.httpAllowlist). */
  httpAllowlist: readonly string[];
  /** Limit for tools that return file or response bodies. */
  maxOutputBytes: number;
}

export interface ToolDefinition<Input = unknown, Output = unknown> {
  name: string;
  description: string;
  input: z.ZodType<Input>;
  sideEffect: SideEffect;
  /** Data categories the tool touches (governance: compared with the job's declaration). */
  dataCategories: readonly string[];
  /** Overrides FLIGHTDECK_TOOL_TIMEOUT_MS. */
  timeoutMs?: number;
  execute(input: Input, ctx: ToolContext): Promise<Output>;
}

/** Keeps the input type of execute() tied to the schema. */
export function defineTool<S extends z.ZodType, Output>(
  definition: Omit<ToolDefinition<z.output<S>, Output>, "input"> & { input: S },
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
