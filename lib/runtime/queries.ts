import "server-only";
import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Queryable } from "@/db/client";
import { approvals, approvalStatuses, runs, runStates, turns, type ApprovalStatus, type RunState } from "@/db/schema";
import { AppError } from "@/lib/errors";

export const MAX_PAGE = 200;

/** Query string of GET /api/runs: state is one state or a comma-separated list. */
export const listRunsQuery = z.strictObject({
  state: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return undefined;
      const states = v.split(",").map((s) => s.trim());
      const bad = states.filter((s) => !(runStates as readonly string[]).includes(s));
      if (bad.length > 0) {
        ctx.addIssue({ code: "custom", message: `Unknown state: ${bad.join(", ")} (one of ${runStates.join(", ")})` });
        return z.NEVER;
      }
      return states as RunState[];
    }),
  job: z.string().min(1).max(64).optional(),
  cursor: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const decoded = decodeCursor(v);
      if (!decoded) {
        ctx.addIssue({ code: "custom", message: "Invalid cursor: pass the nextCursor of a previous page" });
        return z.NEVER;
      }
      return decoded;
    }),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).optional().default(50),
});
export type ListRunsQuery = z.output<typeof listRunsQuery>;

// Microsecond precision survives the round trip through the cursor (JS Dates keep ms).
const createdAtText = sql<string>`to_char(${runs.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString("base64url");
}

// Exactly what encodeCursor writes (a real instant, year 1 or later), so the database
// never sees a timestamp it would refuse.
const cursorInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

function isCursorInstant(s: string): boolean {
  if (!cursorInstant.test(s) || s.startsWith("0000")) return false;
  const ms = Date.parse(s);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === `${s.slice(0, 23)}Z`;
}

function decodeCursor(cursor: string): { createdAt: string; id: string } | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === "string" && typeof value[1] === "string") {
      if (isCursorInstant(value[0])) return { createdAt: value[0], id: value[1] };
    }
  } catch {
    // not base64url JSON: invalid
  }
  return null;
}

/** Run summaries, newest first, without the bulky input/output/governance. */
export async function listRuns(db: Queryable, query: ListRunsQuery) {
  const filters: SQL[] = [];
  if (query.state) filters.push(inArray(runs.state, query.state));
  if (query.job) filters.push(eq(runs.jobId, query.job));
  if (query.cursor) {
    filters.push(sql`(${runs.createdAt}, ${runs.id}) < (${query.cursor.createdAt}::timestamptz, ${query.cursor.id})`);
  }
  const rows = await db
    .select({
      id: runs.id,
      jobId: runs.jobId,
      jobVersion: runs.jobVersion,
      state: runs.state,
      stateReason: runs.stateReason,
      waitingFor: runs.waitingFor,
      triggerKind: runs.triggerKind,
      triggerRef: runs.triggerRef,
      actorKind: runs.actorKind,
      actorLabel: runs.actorLabel,
      modelEndpoint: runs.modelEndpoint,
      fairGroup: runs.fairGroup,
      priority: runs.priority,
      attempt: runs.attempt,
      turnsUsed: runs.turnsUsed,
      budgetTurns: runs.budgetTurns,
      tokensUsed: runs.tokensUsed,
      budgetTokens: runs.budgetTokens,
      error: runs.error,
      retryOf: runs.retryOf,
      pauseRequested: runs.pauseRequested,
      cancelRequested: runs.cancelRequested,
      deadline: runs.deadline,
      createdAt: runs.createdAt,
      startedAt: runs.startedAt,
      finishedAt: runs.finishedAt,
      updatedAt: runs.updatedAt,
      cursorAt: createdAtText,
    })
    .from(runs)
    .where(filters.length > 0 ? and(...filters) : undefined)
    .orderBy(desc(runs.createdAt), desc(runs.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > query.limit && last ? encodeCursor(last.cursorAt, last.id) : null;
  return { runs: page.map(({ cursorAt: _omit, ...run }) => run), nextCursor };
}

/** One run with its turns (every attempt, in order) and its pending approvals. */
/** Whether a run with this id exists: one primary-key probe (the run page decides its 404 with it before streaming). */
export async function runExists(db: Queryable, runId: string): Promise<boolean> {
  const [row] = await db.select({ id: runs.id }).from(runs).where(eq(runs.id, runId)).limit(1);
  return row !== undefined;
}

export async function getRunDetail(db: Queryable, runId: string) {
  const [run] = await db.select().from(runs).where(eq(runs.id, runId));
  if (!run) throw new AppError("not_found", `Run ${runId} not found`);
  const [turnRows, pending] = await Promise.all([
    db.select().from(turns).where(eq(turns.runId, runId)).orderBy(asc(turns.index), asc(turns.attempt)),
    db
      .select()
      .from(approvals)
      .where(and(eq(approvals.runId, runId), eq(approvals.status, "pending")))
      .orderBy(asc(approvals.requestedAt)),
  ]);
  const { leaseToken: _secret, ...visible } = run;
  return { run: visible, turns: turnRows, pendingApprovals: pending };
}

export const listApprovalsQuery = z.strictObject({
  status: z.enum(approvalStatuses).optional().default("pending"),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).optional().default(100),
});

/** Approvals by status (pending first-come first-served), with their run's job. */
export async function listApprovals(db: Queryable, query: { status: ApprovalStatus; limit: number }) {
  const rows = await db
    .select({ approval: approvals, jobId: runs.jobId, runState: runs.state })
    .from(approvals)
    .innerJoin(runs, eq(runs.id, approvals.runId))
    .where(eq(approvals.status, query.status))
    .orderBy(query.status === "pending" ? asc(approvals.requestedAt) : desc(approvals.requestedAt))
    .limit(query.limit);
  return rows.map((r) => ({ ...r.approval, jobId: r.jobId, runState: r.runState }));
}
