import "server-only";
import { and, eq, gt, inArray, asc } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { memoryEntities, memoryHistory, runs } from "@/db/schema";
import { appendAudit } from "@/lib/audit/append";
import type { AuditInput } from "@/lib/audit/types";
import { AppError } from "@/lib/errors";
import { runWrites, writeEntity, type HistoryRow } from "./store";

/**
 * Reverting a run's writes: for every entity the run wrote, put back the value it had
 * before the run's first write to it, as a NEW write (kind revert) with its own provenance
 * — the person who asked, under their authority, naming the reverted run. History is never
 * edited. An entity another writer changed after the run's last write is a conflict: listed,
 * left alone, unless `force` names it.
 */
export type RevertStatus = "revert" | "conflict" | "forced" | "unchanged";

export interface RevertChange {
  entity: string;
  status: RevertStatus;
  /** The value now (null: absent or deleted). */
  current: unknown;
  currentVersion: number;
  /** What the revert writes (null: delete — the run created the entity). */
  restore: unknown;
  /** The run's last version of the entity. */
  runVersion: number;
  /** For conflicts: who changed it after the run (newest first). */
  changedAfter: { version: number; runId: string | null; actor: string; at: string }[];
}

export interface RevertPlan {
  runId: string;
  dryRun: boolean;
  changes: RevertChange[];
  /** Entities listed as conflicts and not forced. */
  conflicts: string[];
  /** How many compensating writes were (or would be) made. */
  reverted: number;
}

interface RevertBy {
  actor: AuditInput["actor"];
  authorization: Record<string, unknown>;
}

async function planIn(q: Db | Tx, runId: string, force: ReadonlySet<string>, lock: boolean): Promise<RevertChange[]> {
  const writes = await runWrites(q, runId, 100_000);
  const byEntity = new Map<string, { collection: string; key: string; first: HistoryRow; last: HistoryRow }>();
  for (const w of writes) {
    const name = `${w.collection}/${w.key}`;
    const seen = byEntity.get(name);
    if (seen) seen.last = w;
    else byEntity.set(name, { collection: w.collection, key: w.key, first: w, last: w });
  }
  const changes: RevertChange[] = [];
  const names = [...byEntity.keys()].sort();
  for (let i = 0; i < names.length; i += 500) {
    const chunk = names
      .slice(i, i + 500)
      .map((n) => byEntity.get(n))
      .filter((e) => e !== undefined);
    const collections = [...new Set(chunk.map((c) => c.collection))];
    const query = q
      .select()
      .from(memoryEntities)
      .where(
        and(
          inArray(memoryEntities.collection, collections),
          inArray(
            memoryEntities.key,
            chunk.map((c) => c.key),
          ),
        ),
      );
    const rows = lock ? await query.for("update") : await query;
    const current = new Map(rows.map((r) => [`${r.collection}/${r.key}`, r]));
    for (const e of chunk) {
      const name = `${e.collection}/${e.key}`;
      const row = current.get(name);
      const currentVersion = row?.version ?? 0;
      const restore = e.first.before ?? null;
      const currentValue = row?.value ?? null;
      let status: RevertStatus;
      let changedAfter: RevertChange["changedAfter"] = [];
      if (currentVersion === e.last.version) {
        status = JSON.stringify(currentValue) === JSON.stringify(restore) ? "unchanged" : "revert";
      } else {
        const later = await q
          .select()
          .from(memoryHistory)
          .where(
            and(
              eq(memoryHistory.collection, e.collection),
              eq(memoryHistory.key, e.key),
              gt(memoryHistory.version, e.last.version),
            ),
          )
          .orderBy(asc(memoryHistory.version));
        changedAfter = later
          .reverse()
          .slice(0, 10)
          .map((h) => ({ version: h.version, runId: h.runId, actor: h.actorLabel, at: h.at.toISOString() }));
        const revertedAlready = later.length > 0 && later.every((h) => h.revertsRun === runId);
        status = revertedAlready ? "unchanged" : force.has(name) ? "forced" : "conflict";
      }
      changes.push({
        entity: name,
        status,
        current: currentValue,
        currentVersion,
        restore,
        runVersion: e.last.version,
        changedAfter,
      });
    }
  }
  return changes;
}

/** Preview (dryRun) or apply the revert of a run's writes, in one transaction, audited as `memory.reverted`. */
export async function revertRunWrites(
  db: Db,
  runId: string,
  options: { dryRun: boolean; force?: readonly string[]; by: RevertBy },
): Promise<RevertPlan> {
  const [run] = await db.select({ id: runs.id }).from(runs).where(eq(runs.id, runId));
  if (!run) throw new AppError("not_found", `Run ${runId} not found`);
  const force = new Set(options.force ?? []);
  if (options.dryRun) return summarize(runId, true, await planIn(db, runId, force, false));
  return db.transaction(async (tx) => {
    const changes = await planIn(tx, runId, force, true);
    const plan = summarize(runId, false, changes);
    for (const change of changes) {
      if (change.status !== "revert" && change.status !== "forced") continue;
      const slash = change.entity.indexOf("/");
      await writeEntity(
        tx,
        { collection: change.entity.slice(0, slash), key: change.entity.slice(slash + 1) },
        change.restore,
        {
          expectedVersion: change.currentVersion,
          provenance: {
            kind: "revert",
            runId: null,
            jobId: null,
            jobVersion: null,
            turnIndex: null,
            callIndex: null,
            toolCallKey: null,
            actor: options.by.actor,
            authorization: options.by.authorization,
            revertsRun: runId,
          },
        },
      );
    }
    await appendAudit(tx, {
      actor: options.by.actor,
      action: "memory.reverted",
      subject: { type: "run", id: runId },
      authorization: options.by.authorization,
      payload: {
        runId,
        reverted: changes
          .filter((c) => c.status === "revert")
          .map((c) => c.entity)
          .slice(0, 1_000),
        forced: changes.filter((c) => c.status === "forced").map((c) => c.entity),
        conflicts: plan.conflicts,
        count: plan.reverted,
      },
    });
    return plan;
  });
}

function summarize(runId: string, dryRun: boolean, changes: RevertChange[]): RevertPlan {
  return {
    runId,
    dryRun,
    changes,
    conflicts: changes.filter((c) => c.status === "conflict").map((c) => c.entity),
    reverted: changes.filter((c) => c.status === "revert" || c.status === "forced").length,
  };
}
