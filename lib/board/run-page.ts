import "server-only";
import { asc, desc, eq } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { approvals, jobs, notifications, runs } from "@/db/schema";
import { listAuditEvents } from "@/lib/audit/queries";
import type { AuditEvent } from "@/lib/audit/types";
import { getRunDetail } from "@/lib/runtime/queries";
import { listToolCalls, type ToolCallRow } from "@/lib/tools";

export type RunDetail = Awaited<ReturnType<typeof getRunDetail>>;
export type RunRecord = RunDetail["run"];
export type TurnRecord = RunDetail["turns"][number];
export type ApprovalRecord = typeof approvals.$inferSelect;
export type NotificationRecord = typeof notifications.$inferSelect;

export interface RunPage extends RunDetail {
  jobTitle: string;
  toolCalls: ToolCallRow[];
  approvals: ApprovalRecord[];
  notifications: NotificationRecord[];
  audit: AuditEvent[];
  auditMore: boolean;
  /** Runs that retry this one, newest first. */
  retries: { id: string; state: string; createdAt: Date }[];
}

const AUDIT_LIMIT = 200;

/** Everything the run page shows, read in one place (the page and its live refresh). Throws not_found. */
export async function loadRunPage(db: Queryable, runId: string): Promise<RunPage> {
  const detail = await getRunDetail(db, runId);
  const [job] = await db.select({ title: jobs.title }).from(jobs).where(eq(jobs.id, detail.run.jobId));
  const toolCalls = await listToolCalls(db, runId);
  const allApprovals = await db
    .select()
    .from(approvals)
    .where(eq(approvals.runId, runId))
    .orderBy(asc(approvals.requestedAt));
  const notes = await db
    .select()
    .from(notifications)
    .where(eq(notifications.runId, runId))
    .orderBy(asc(notifications.createdAt));
  const audit = await listAuditEvents(db, { subjectType: "run", subjectId: runId, limit: AUDIT_LIMIT });
  const retries = await db
    .select({ id: runs.id, state: runs.state, createdAt: runs.createdAt })
    .from(runs)
    .where(eq(runs.retryOf, runId))
    .orderBy(desc(runs.createdAt));
  return {
    ...detail,
    jobTitle: job?.title ?? detail.run.jobId,
    toolCalls,
    approvals: allApprovals,
    notifications: notes,
    audit: audit.events,
    auditMore: audit.nextCursor !== null,
    retries,
  };
}
