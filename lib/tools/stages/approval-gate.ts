import "server-only";
import { randomUUID } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import type { Queryable, Tx } from "@/db/client";
import { approvals } from "@/db/schema";

export interface ToolApproval {
  id: string;
  status: "pending" | "approved" | "rejected" | "withdrawn";
  note: string | null;
  decidedBy: string | null;
}

/** A tool approval's subject: the tool and the call's idempotency key, so one decision covers one call. */
export function approvalSubject(tool: string, callKey: string): string {
  return `${tool}:${callKey}`;
}

export async function findToolApproval(db: Queryable, runId: string, subject: string): Promise<ToolApproval | undefined> {
  const [row] = await db
    .select()
    .from(approvals)
    .where(and(eq(approvals.runId, runId), eq(approvals.kind, "tool"), eq(approvals.subject, subject)))
    .orderBy(desc(approvals.requestedAt))
    .limit(1);
  if (!row) return undefined;
  return { id: row.id, status: row.status, note: row.note, decidedBy: row.decidedByLabel };
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
