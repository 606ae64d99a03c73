import "server-only";
import { eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { signalWaits } from "@/db/schema";
import { appendAudit } from "@/lib/audit";
import { signalSubscribers } from "@/lib/jobs/registry";
import type { waitForSignalInput } from "./builtin/wait-for-signal";
import { auditFrame, callPayload } from "./call-audit";
import { assertLease, saveOutcome } from "./call-store";
import type { CallAuditExtra, CallBase, CallIdentity, CallResult, InvokeScope, ToolCallRecord } from "./call-types";
import { toolRedactor } from "./redactor";

type WaitInput = z.output<typeof waitForSignalInput>;

/**
 * The gateway stage for wait_for_signal. First call: refuse an unknown signal name (no job
 * declares it), else record the wait (pending, timeout_at) and park the call — the turn
 * ends with the run waiting, reason `signal:<name>`. Later calls of the same identity (the
 * next turn, after a wake) return the payload or the timeout as the tool's result.
 */
export async function invokeSignalWait(
  scope: InvokeScope,
  id: CallIdentity,
  base: CallBase,
  input: WaitInput,
  finish: (record: CallResult, extra?: CallAuditExtra) => Promise<ToolCallRecord>,
): Promise<ToolCallRecord> {
  if (signalSubscribers(input.name).length === 0) {
    return finish(
      {
        outcome: "refused",
        durationMs: 0,
        error: `unknown signal "${input.name.slice(0, 200)}": no job declares it as a signal trigger`,
      },
      { action: "signal.wait_refused", details: { signal: input.name.slice(0, 200), reason: "unknown signal" } },
    );
  }
  const [wait] = await scope.db.select().from(signalWaits).where(eq(signalWaits.callKey, id.key));
  if (wait?.status === "woken") {
    return finish({
      outcome: "succeeded",
      durationMs: 0,
      output: { signal: wait.name, payload: toolRedactor().redact(wait.payload ?? null) },
    });
  }
  if (wait?.status === "timed_out") {
    return finish({
      outcome: "succeeded",
      durationMs: 0,
      output: { signal: wait.name, timedOut: true, timeoutSeconds: input.timeoutSeconds },
    });
  }
  const parked: ToolCallRecord = {
    ...base,
    outcome: "awaiting_signal",
    waitingFor: input.name,
    durationMs: 0,
    replayed: false,
  };
  if (wait) return parked;
  await scope.db.transaction(async (tx) => {
    await assertLease(tx, scope.runId, scope.leaseToken);
    await tx
      .insert(signalWaits)
      .values({
        callKey: id.key,
        runId: scope.runId,
        name: input.name,
        match: input.match ?? {},
        timeoutAt: sql`now() + ${input.timeoutSeconds} * interval '1 second'`,
      })
      .onConflictDoNothing();
    await saveOutcome(tx, id, {
      status: "awaiting_signal",
      input: base.input,
      output: null,
      error: null,
      approvalId: null,
      durationMs: null,
    });
    await appendAudit(tx, {
      ...auditFrame(scope),
      action: "signal.wait",
      payload: {
        ...callPayload(parked, scope),
        signal: input.name,
        match: toolRedactor().redact(input.match ?? {}),
        timeoutSeconds: input.timeoutSeconds,
      },
    });
  });
  return parked;
}
