import "server-only";
import { WorkspaceEscapeError, WorkspaceQuotaError } from "@/lib/workspace";
import { ToolRefusedError } from "./types";

export class ToolTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`tool timed out after ${timeoutMs} ms`);
    this.name = "ToolTimeoutError";
  }
}

export class ToolLeaseLostError extends Error {
  constructor(runId: string) {
    super(`lease on run ${runId} lost: tool call not recorded`);
    this.name = "ToolLeaseLostError";
  }
}

export interface ToolFailure {
  message: string;
  /** Refusals are policy decisions (recorded as refused), failures are errors. */
  refused: boolean;
  auditAction?: string;
  details: Record<string, unknown>;
}

export function classifyToolError(error: unknown): ToolFailure {
  if (error instanceof WorkspaceEscapeError) {
    return {
      message: error.message,
      refused: true,
      auditAction: error.auditAction,
      details: { attemptedPath: error.attemptedPath, why: error.why },
    };
  }
  if (error instanceof WorkspaceQuotaError) {
    return {
      message: error.message,
      refused: true,
      auditAction: "workspace.quota_exceeded",
      details: { usedBytes: error.usedBytes, requestedBytes: error.requestedBytes, quotaBytes: error.quotaBytes },
    };
  }
  if (error instanceof ToolRefusedError) {
    return { message: error.message, refused: true, auditAction: error.auditAction, details: error.details };
  }
  if (error instanceof ToolTimeoutError) return { message: error.message, refused: false, details: {} };
  const message = error instanceof Error ? error.message : String(error);
  return { message: message || "tool failed", refused: false, details: {} };
}
