import "server-only";
import type { Db } from "@/db/client";
import { runLineage, type AuditRef, type RunLineage } from "@/lib/lineage";
import { checkInclusion } from "./inclusion";

/** "Who authorized this run, what did it touch, which events say so" — from the product's lineage. */
export interface RunAuthority {
  runId: string;
  jobId: string;
  state: string;
  declaration: { authorizedBy: string | null; authorizedAt: string | null; owner: string | null; version: string };
  trigger: string;
  startedBy: string;
  signal: string | null;
  approvals: { decidedBy: string | null; role: string | null; status: string; note: string | null }[];
  controls: { action: string; by: string; role: string | null }[];
  toolCalls: number;
  touched: RunLineage["touched"];
  /** Every event the lineage cites, with its inclusion proof checked. */
  events: { seq: number | null; action: string; verified: boolean }[];
}

function refs(lineage: RunLineage): AuditRef[] {
  return [
    ...lineage.declaration.audit,
    ...lineage.started.audit,
    ...lineage.approvals.flatMap((a) => a.audit),
    ...lineage.controls.flatMap((c) => c.audit),
    ...lineage.toolCalls.flatMap((t) => t.audit),
  ];
}

export async function runAuthority(
  db: Db,
  runId: string,
  context: { note: string; key: string } | null,
): Promise<RunAuthority> {
  const lineage = await runLineage(db, runId);
  const seen = new Set<number>();
  const events: RunAuthority["events"] = [];
  for (const ref of refs(lineage)) {
    if (seen.has(ref.id)) continue;
    seen.add(ref.id);
    const verified = ref.seq !== null && context !== null ? (await checkInclusion(db, ref.seq, context)).ok : false;
    events.push({ seq: ref.seq, action: ref.action, verified });
  }
  return {
    runId,
    jobId: lineage.run.jobId,
    state: lineage.run.state,
    declaration: {
      authorizedBy: lineage.declaration.authorizedBy,
      authorizedAt: lineage.declaration.authorizedAt,
      owner: lineage.declaration.owner,
      version: lineage.declaration.registryVersion,
    },
    trigger: lineage.started.trigger,
    startedBy: lineage.started.by.label,
    signal: lineage.started.signal
      ? `${lineage.started.signal.name}${lineage.started.signal.idempotencyKey ? ` (key ${lineage.started.signal.idempotencyKey})` : ""}`
      : null,
    approvals: lineage.approvals.map((a) => ({
      decidedBy: a.decidedBy?.label ?? null,
      role: a.role,
      status: a.status,
      note: a.note,
    })),
    controls: lineage.controls.map((c) => ({ action: c.action, by: c.by.label, role: c.role })),
    toolCalls: lineage.toolCalls.length,
    touched: lineage.touched,
    events,
  };
}
