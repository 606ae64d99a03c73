import "server-only";
import { randomUUID } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import type { Queryable, Tx } from "@/db/client";
import { approvals } from "@/db/schema";
import { appendAudit } from "@/lib/audit";
import { raiseApprovalCard } from "@/lib/flashcards/approval-cards";
import { auditFrame, callPayload } from "../call-audit";
import { assertLease, saveOutcome } from "../call-store";
import type { ToolCallRecord } from "../call-types";
import type { ToolDefinition } from "../types";
import { proceed, type GatewayCall, type StageDecision } from "./stage";

export interface ToolApproval {
  id: string;
  status: "pending" | "approved" | "rejected" | "withdrawn";
  note: string | null;
  decidedBy: string | null;
  /** Edit-then-approve: the arguments the approver set. */
  editedInput: unknown;
}

/** A tool approval's subject: the tool and the call's idempotency key, so one decision covers one call. */
export function approvalSubject(tool: string, callKey: string): string {
  return `${tool}:${callKey}`;
}

export async function findToolApproval(
  db: Queryable,
  runId: string,
  subject: string,
): Promise<ToolApproval | undefined> {
  const [row] = await db
    .select()
    .from(approvals)
    .where(and(eq(approvals.runId, runId), eq(approvals.kind, "tool"), eq(approvals.subject, subject)))
    .orderBy(desc(approvals.requestedAt))
    .limit(1);
  if (!row) return undefined;
  return {
    id: row.id,
    status: row.status,
    note: row.note,
    decidedBy: row.decidedByLabel,
    editedInput: row.editedInput ?? undefined,
  };
}

/** Creates the pending request a lead or admin decides; the run waits on its id. */
export async function requestToolApproval(
  tx: Tx,
  params: { runId: string; subject: string; details: Record<string, unknown> },
): Promise<string> {
  const id = randomUUID();
  await tx.insert(approvals).values({
    id,
    runId: params.runId,
    kind: "tool",
    subject: params.subject,
    details: params.details,
    status: "pending",
  });
  return id;
}

/**
 * Stage 3, approval gate: external side effects in jobs whose oversight is approve-tools
 * wait for a lead. No decision yet → park (the request is created once, with its audit
 * event); rejected or withdrawn → refuse; approved → proceed with the approval's id.
 */
export async function approvalGateStage(
  call: GatewayCall,
  tool: ToolDefinition,
): Promise<StageDecision<{ approvalId: string; editedInput: unknown } | undefined>> {
  const { scope, base, id, redactor } = call;
  if (tool.sideEffect !== "external" || scope.humanOversight !== "approve-tools") return proceed(undefined);
  const key = id.key;
  const input = base.input;
  const subject = approvalSubject(tool.name, key);
  const approval = await findToolApproval(scope.db, scope.runId, subject);
  if (!approval || approval.status === "pending") {
    const parked: ToolCallRecord = { ...base, outcome: "awaiting_approval", durationMs: 0, replayed: false };
    if (approval) return { verdict: "park", record: { ...parked, approvalId: approval.id } };
    let created = "";
    await scope.db.transaction(async (tx) => {
      await assertLease(tx, scope.runId, scope.leaseToken);
      created = await requestToolApproval(tx, {
        runId: scope.runId,
        subject,
        details: {
          tool: tool.name,
          callKey: key,
          input,
          sideEffect: tool.sideEffect,
          dataCategories: [...tool.dataCategories],
        },
      });
      await saveOutcome(tx, id, {
        status: "awaiting_approval",
        input,
        output: null,
        error: null,
        approvalId: created,
        durationMs: null,
      });
      await appendAudit(tx, {
        ...auditFrame(scope),
        action: "approval.requested",
        subject: { type: "approval", id: created },
        payload: { kind: "tool", runId: scope.runId, ...callPayload({ ...parked, approvalId: created }, scope) },
      });
      await raiseApprovalCard(tx, {
        approvalId: created,
        runId: scope.runId,
        jobId: scope.jobId,
        kind: "tool",
        governance: { ...scope.governance },
        details: {
          tool: tool.name,
          callKey: key,
          input,
          sideEffect: tool.sideEffect,
          dataCategories: [...tool.dataCategories],
          turnIndex: id.turnIndex,
        },
      });
    });
    return { verdict: "park", record: { ...parked, approvalId: created } };
  }
  if (approval.status !== "approved") {
    const by = approval.decidedBy ? ` by ${approval.decidedBy}` : "";
    const note = approval.note ? `: ${approval.note}` : "";
    return {
      verdict: "refuse",
      result: {
        outcome: "refused",
        approvalId: approval.id,
        durationMs: 0,
        error: redactor.redactString(`call ${approval.status}${by}${note}`),
      },
    };
  }
  return proceed({ approvalId: approval.id, editedInput: approval.editedInput });
}
