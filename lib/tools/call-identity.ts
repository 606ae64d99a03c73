import "server-only";
import { createHash } from "node:crypto";
import { appendAudit } from "@/lib/audit";
import { canonicalJson, toJsonValue } from "@/lib/audit/canonical";
import { auditFrame } from "./call-audit";
import { assertLease, type ToolCallRow } from "./call-store";
import type { InvokeScope, ToolCallRecord } from "./call-types";

/**
 * A tool call's identity is (run, turn, call index, tool, input hash). The first three make
 * the idempotency key; the tool and the SHA-256 of the input's canonical JSON say WHICH
 * call sits under that key. A stored result is replayed only for the same identity.
 */
export function inputHashOf(input: unknown): string {
  let canonical: string;
  try {
    canonical = canonicalJson(toJsonValue(input));
  } catch {
    canonical = JSON.stringify(String(input));
  }
  return createHash("sha256").update(canonical).digest("hex");
}

/** Why a stored row is not this call, or null when it is. */
export function identityMismatch(stored: ToolCallRow, tool: string, inputHash: string): string | null {
  if (stored.tool !== tool) return `the key holds a call of "${stored.tool}", not "${tool}"`;
  if (stored.inputHash !== null && stored.inputHash !== inputHash)
    return `the key holds "${tool}" with a different input`;
  return null;
}

/**
 * Refuses a call whose key already holds another call: nothing is executed or replayed, the
 * stored row stays as it is, and `tool.identity_mismatch` is audited (fenced by the lease).
 */
export async function refuseMismatch(
  scope: InvokeScope,
  record: Omit<ToolCallRecord, "outcome" | "durationMs" | "replayed">,
  stored: ToolCallRow,
  inputHash: string,
  why: string,
): Promise<ToolCallRecord> {
  const refused: ToolCallRecord = {
    ...record,
    outcome: "refused",
    durationMs: 0,
    replayed: false,
    error: `call ${record.key} refused: ${why}; a stored result is replayed only for the same tool and input`,
  };
  await scope.db.transaction(async (tx) => {
    await assertLease(tx, scope.runId, scope.leaseToken);
    await appendAudit(tx, {
      ...auditFrame(scope),
      action: "tool.identity_mismatch",
      payload: {
        jobId: scope.jobId,
        callKey: record.key,
        turnIndex: record.turnIndex,
        callIndex: record.callIndex,
        tool: record.tool,
        inputHash,
        storedTool: stored.tool,
        storedInputHash: stored.inputHash,
        storedStatus: stored.status,
      },
    });
  });
  return refused;
}
