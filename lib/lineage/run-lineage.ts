import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { approvals, auditLog, cronTicks, jobVersions, runPurges, runs, signalDeliveries } from "@/db/schema";
import { auditEventColumns, toAuditEvent } from "@/lib/audit/row";
import type { AuditEvent } from "@/lib/audit/types";
import { AppError } from "@/lib/errors";
import { touchedBy, type Touched } from "./touched";

/** A line of the lineage points at the audit events that prove it. */
export interface AuditRef {
  id: number;
  seq: number | null;
  action: string;
  ts: string;
}

export interface LineageActor {
  kind: string;
  id: string | null;
  label: string;
}

export interface RunLineage {
  run: { id: string; jobId: string; jobVersion: string; state: string; createdAt: string; finishedAt: string | null };
  /** The job declaration's governance as pinned on the run, and the registry version it came from. */
  declaration: {
    owner: string | null;
    purpose: string | null;
    riskLevel: string | null;
    dataCategories: string[];
    humanOversight: string | null;
    authorizedBy: string | null;
    authorizedAt: string | null;
    retentionDays: number | null;
    registryVersion: string;
    versionRegisteredAt: string | null;
    audit: AuditRef[];
  };
  /** What started the run. */
  started: {
    trigger: string;
    by: LineageActor;
    /** How the starter proved itself: session and role, API token id, job governance (cron), … */
    authorization: Record<string, unknown>;
    tokenId: string | null;
    cronTick: string | null;
    signal: { name: string; idempotencyKey: string | null } | null;
    retryOf: string | null;
    audit: AuditRef[];
  };
  approvals: {
    id: string;
    kind: string;
    subject: string;
    /** What was decided, for people: "the send_reply call", "the run". */
    what: string;
    status: string;
    requestedAt: string;
    decidedBy: LineageActor | null;
    role: string | null;
    decidedAt: string | null;
    note: string | null;
    audit: AuditRef[];
  }[];
  /** Pause, resume, cancel, retry… by people or tokens. */
  controls: {
    action: string;
    by: LineageActor;
    role: string | null;
    at: string;
    reason: string | null;
    audit: AuditRef[];
  }[];
  toolCalls: {
    key: string;
    turnIndex: number;
    callIndex: number;
    tool: string;
    outcome: string;
    at: string;
    sideEffect: string | null;
    dataCategories: string[];
    /** The authority the call ran under: the job's governance (authorizedBy, version), plus the approval when one was needed. */
    authorization: {
      via: string;
      authorizedBy: string | null;
      jobVersion: string | null;
      approvalId: string | null;
      approvedBy: string | null;
    };
    touched: Touched;
    audit: AuditRef[];
  }[];
  /** Everything the run's tool calls touched, de-duplicated. */
  touched: Touched;
  purge: { purgedAt: string; retentionDays: number; removed: Record<string, number | boolean> } | null;
}

const ref = (e: AuditEvent): AuditRef => ({ id: e.id, seq: e.seq, action: e.action, ts: e.ts });
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** The run's own events: about the run, naming it in the payload, or acted by it (three index ranges). */
export async function runAuditEvents(db: Queryable, runId: string): Promise<AuditEvent[]> {
  const rows = await db
    .select(auditEventColumns)
    .from(auditLog)
    .where(
      sql`(${auditLog.subjectType} = 'run' and ${auditLog.subjectId} = ${runId})
        or (${auditLog.payload} ? 'runId' and (${auditLog.payload} ->> 'runId') = ${runId})
        or (${auditLog.actorKind} = 'run' and ${auditLog.actorId} = ${runId})`,
    )
    .orderBy(asc(auditLog.id));
  return rows.map(toAuditEvent);
}

const SELF_ACTORS = new Set(["run", "system"]);

/** GET /api/runs/{id}/lineage: who authorized this run and what it touched, each line linked to its audit events. */
export async function runLineage(db: Queryable, runId: string): Promise<RunLineage> {
  const [run] = await db.select().from(runs).where(eq(runs.id, runId)).limit(1);
  if (!run) throw new AppError("not_found", `Run ${runId} not found`);

  const [events, approvalRows, [version], [purge]] = await Promise.all([
    runAuditEvents(db, runId),
    db.select().from(approvals).where(eq(approvals.runId, runId)).orderBy(asc(approvals.requestedAt)),
    db
      .select({ createdAt: jobVersions.createdAt })
      .from(jobVersions)
      .where(and(eq(jobVersions.jobId, run.jobId), eq(jobVersions.version, run.jobVersion)))
      .limit(1),
    db.select().from(runPurges).where(eq(runPurges.runId, runId)).limit(1),
  ]);

  const g = run.governance;
  const created = events.find((e) => e.action === "run.created" && e.subject.id === runId);
  const registered = await db
    .select(auditEventColumns)
    .from(auditLog)
    .where(
      and(
        eq(auditLog.subjectType, "job"),
        eq(auditLog.subjectId, run.jobId),
        sql`${auditLog.payload} ->> 'version' = ${run.jobVersion}`,
      ),
    )
    .orderBy(asc(auditLog.id))
    .limit(3);

  let cronTick: string | null = null;
  let signal: RunLineage["started"]["signal"] = null;
  if (run.triggerKind === "schedule") {
    const [tick] = await db
      .select({ tickAt: cronTicks.tickAt })
      .from(cronTicks)
      .where(and(eq(cronTicks.jobId, run.jobId), eq(cronTicks.runId, runId)))
      .limit(1);
    cronTick = iso(tick?.tickAt ?? null);
  }
  if (run.triggerKind === "signal" && run.triggerRef) {
    const [delivery] = await db
      .select({ key: signalDeliveries.idempotencyKey })
      .from(signalDeliveries)
      .where(
        and(
          eq(signalDeliveries.signalName, run.triggerRef),
          sql`${signalDeliveries.runIds} @> ${JSON.stringify([runId])}::jsonb`,
        ),
      )
      .limit(1);
    signal = { name: run.triggerRef, idempotencyKey: delivery?.key ?? null };
  }
  const signalEvent = run.triggerKind === "signal" ? await signalReceivedEvent(db, run.triggerRef, runId) : null;

  const byApproval = new Map<string, AuditEvent[]>();
  const byCall = new Map<string, AuditEvent[]>();
  const controls: RunLineage["controls"] = [];
  for (const e of events) {
    if (e.subject.type === "approval" && e.subject.id)
      byApproval.set(e.subject.id, [...(byApproval.get(e.subject.id) ?? []), e]);
    const callKey = str(e.payload.callKey);
    if (callKey && e.action.startsWith("tool.")) byCall.set(callKey, [...(byCall.get(callKey) ?? []), e]);
    if (e.action.startsWith("run.") && e.action !== "run.created" && !SELF_ACTORS.has(e.actor.kind)) {
      controls.push({
        action: e.action,
        by: e.actor,
        role: str(e.authorization.role),
        at: e.ts,
        reason: str(e.payload.reason),
        audit: [ref(e)],
      });
    }
  }

  const approvalById = new Map(approvalRows.map((a) => [a.id, a]));
  const toolCallsOut: RunLineage["toolCalls"] = [];
  for (const [key, list] of byCall) {
    const last = list[list.length - 1] as AuditEvent;
    const p = last.payload;
    const approvalId = str(p.approvalId) ?? list.map((e) => str(e.payload.approvalId)).find((x) => x !== null) ?? null;
    const approval = approvalId ? approvalById.get(approvalId) : undefined;
    const tool = str(p.tool) ?? "unknown";
    toolCallsOut.push({
      key,
      turnIndex: typeof p.turnIndex === "number" ? p.turnIndex : Number(key.split(":")[1] ?? 0),
      callIndex: typeof p.callIndex === "number" ? p.callIndex : Number(key.split(":")[2] ?? 0),
      tool,
      outcome: str(p.outcome) ?? last.action.replace(/^tool\./, ""),
      at: last.ts,
      sideEffect: str(p.sideEffect),
      dataCategories: Array.isArray(p.dataCategories)
        ? p.dataCategories.filter((c): c is string => typeof c === "string")
        : [],
      authorization: {
        via: str(last.authorization.via) ?? "job-governance",
        authorizedBy: str(last.authorization.authorizedBy),
        jobVersion: str(last.authorization.jobVersion),
        approvalId,
        approvedBy: approval?.status === "approved" ? approval.decidedByLabel : null,
      },
      touched: touchedBy(tool, p.input, p.output),
      audit: list.map(ref),
    });
  }
  toolCallsOut.sort((a, b) => a.turnIndex - b.turnIndex || a.callIndex - b.callIndex);

  const touched: Touched = { files: [], stateKeys: [], records: [], hosts: [] };
  for (const c of toolCallsOut) {
    for (const k of ["files", "stateKeys", "records", "hosts"] as const)
      for (const v of c.touched[k]) if (!touched[k].includes(v)) touched[k].push(v);
  }

  return {
    run: {
      id: run.id,
      jobId: run.jobId,
      jobVersion: run.jobVersion,
      state: run.state,
      createdAt: run.createdAt.toISOString(),
      finishedAt: iso(run.finishedAt),
    },
    declaration: {
      owner: str(g.owner),
      purpose: str(g.purpose),
      riskLevel: str(g.riskLevel),
      dataCategories: Array.isArray(g.dataCategories)
        ? g.dataCategories.filter((c): c is string => typeof c === "string")
        : [],
      humanOversight: str(g.humanOversight),
      authorizedBy: str(g.authorizedBy),
      authorizedAt: str(g.authorizedAt),
      retentionDays: typeof g.retentionDays === "number" ? g.retentionDays : null,
      registryVersion: run.jobVersion,
      versionRegisteredAt: iso(version?.createdAt ?? null),
      audit: registered.map(toAuditEvent).map(ref),
    },
    started: {
      trigger: run.triggerKind,
      by: { kind: run.actorKind, id: run.actorId, label: run.actorLabel },
      authorization: created?.authorization ?? {},
      tokenId: run.actorKind === "token" ? run.actorId : null,
      cronTick,
      signal,
      retryOf: run.retryOf,
      audit: [...(signalEvent ? [ref(signalEvent)] : []), ...(created ? [ref(created)] : [])],
    },
    approvals: approvalRows.map((a) => {
      const list = byApproval.get(a.id) ?? [];
      const decided = list.find((e) => e.action === `approval.${a.status}`);
      return {
        id: a.id,
        kind: a.kind,
        subject: a.subject,
        what: a.kind === "tool" ? `the ${str(a.details.tool) ?? a.subject.split(":")[0] ?? "tool"} call` : "the run",
        status: a.status,
        requestedAt: a.requestedAt.toISOString(),
        decidedBy: a.decidedByLabel
          ? { kind: a.decidedByKind ?? "user", id: a.decidedById, label: a.decidedByLabel }
          : null,
        role: decided ? str(decided.authorization.role) : null,
        decidedAt: iso(a.decidedAt),
        note: a.note,
        audit: list.map(ref),
      };
    }),
    controls,
    toolCalls: toolCallsOut,
    touched,
    purge: purge
      ? { purgedAt: purge.purgedAt.toISOString(), retentionDays: purge.retentionDays, removed: purge.removed }
      : null,
  };
}

/** The signal.received event that created this run (subject = the signal, payload.runIds names it). */
async function signalReceivedEvent(db: Queryable, signal: string | null, runId: string): Promise<AuditEvent | null> {
  if (!signal) return null;
  const [row] = await db
    .select(auditEventColumns)
    .from(auditLog)
    .where(
      and(
        eq(auditLog.subjectType, "signal"),
        eq(auditLog.subjectId, signal),
        sql`${auditLog.payload} -> 'runIds' @> ${JSON.stringify([runId])}::jsonb`,
      ),
    )
    .limit(1);
  return row ? toAuditEvent(row) : null;
}
