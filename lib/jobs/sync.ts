import "server-only";
import { eq, inArray, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { jobs, jobVersions } from "@/db/schema";
import { appendAudit } from "@/lib/audit/append";
import { canonicalJson } from "@/lib/audit/canonical";
import { auditActor, auditAuthorization, systemPrincipal } from "@/lib/audit";
import type { Principal } from "@/lib/audit";
import type { JobDefinition } from "./schema";
import { asJsonObject, serializeJob, type SerializedJob } from "./serialize";
import { versionOfSerialized } from "./version";

/** Transaction-scoped advisory lock ("fdjob") so instances starting together sync one at a time. */
export const REGISTRY_LOCK_KEY = 0x66646a6f62;

export interface SyncResult {
  registered: { id: string; version: string; previousVersion: string | null }[];
  removed: string[];
  unchanged: string[];
}

type JobRow = typeof jobs.$inferSelect;

/** Top-level fields whose content differs (all of them for a first registration). */
function changedFields(previous: Record<string, unknown> | null, next: SerializedJob): string[] {
  const nextObj = asJsonObject(next);
  const keys = new Set([...Object.keys(nextObj), ...Object.keys(previous ?? {})]);
  return [...keys]
    .filter((k) => previous === null || canonicalJson(previous[k] ?? null) !== canonicalJson(nextObj[k] ?? null))
    .sort();
}

/** Canonical form of the schedule triggers, to tell whether the schedule changed. */
function schedulesOf(declaration: Record<string, unknown>): string {
  const triggers = Array.isArray(declaration.triggers) ? (declaration.triggers as unknown[]) : [];
  return canonicalJson(
    triggers.filter((t) => typeof t === "object" && t !== null && (t as { kind?: unknown }).kind === "schedule"),
  );
}

async function register(
  tx: Tx,
  actor: Principal,
  def: JobDefinition,
  serialized: SerializedJob,
  version: string,
  existing: JobRow | undefined,
): Promise<void> {
  const declaration = asJsonObject(serialized);
  if (existing) {
    const restarted = existing.removedAt !== null || schedulesOf(existing.declaration) !== schedulesOf(declaration);
    await tx
      .update(jobs)
      .set({
        domain: serialized.domain,
        title: serialized.title,
        currentVersion: version,
        declaration,
        removedAt: null,
        updatedAt: sql`now()`,
        ...(restarted ? { scheduleSince: sql`now()` } : {}),
      })
      .where(eq(jobs.id, def.id));
  } else {
    await tx.insert(jobs).values({
      id: def.id,
      domain: serialized.domain,
      title: serialized.title,
      currentVersion: version,
      declaration,
    });
  }
  // A declaration reverted to an earlier content already has its version row.
  await tx.insert(jobVersions).values({ jobId: def.id, version, declaration }).onConflictDoNothing();
  const restored = existing !== undefined && existing.removedAt !== null;
  await appendAudit(tx, {
    actor: auditActor(actor),
    action: "job.registered",
    subject: { type: "job", id: def.id },
    authorization: {
      ...auditAuthorization(actor),
      authorizedBy: def.governance.authorizedBy,
      authorizedAt: def.governance.authorizedAt,
    },
    payload: {
      version,
      previousVersion: existing?.currentVersion ?? null,
      changedFields:
        existing && existing.currentVersion === version ? [] : changedFields(existing?.declaration ?? null, serialized),
      ...(restored ? { restored: true } : {}),
      riskLevel: def.governance.riskLevel,
      humanOversight: def.governance.humanOversight,
    },
  });
}

export interface SyncOptions {
  /**
   * Mark jobs this set does not declare removed (the default: the declarations are the whole
   * registry). False: register or update these alone and leave every other job as it is — a
   * process that adds its own jobs beside a deployment's (npm run proof -- --live).
   */
  removeUndeclared?: boolean;
}

/**
 * Brings the database registry in line with the declarations in code, in one
 * transaction: new or changed declarations get a version row and a `job.registered`
 * event; jobs no longer declared are marked removed (`job.removed`), their runs and
 * versions kept. Syncing the same declarations again writes nothing.
 */
export async function syncRegistry(
  db: Db,
  defs: readonly JobDefinition[],
  actor: Principal = systemPrincipal("registry-sync", "registry sync"),
  options: SyncOptions = {},
): Promise<SyncResult> {
  const prepared = defs.map((def) => {
    const serialized = serializeJob(def);
    return { def, serialized, version: versionOfSerialized(serialized) };
  });
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(REGISTRY_LOCK_KEY))})`);
    const rows = await tx.select().from(jobs);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const result: SyncResult = { registered: [], removed: [], unchanged: [] };

    for (const { def, serialized, version } of prepared) {
      const existing = byId.get(def.id);
      if (existing && existing.currentVersion === version && existing.removedAt === null) {
        result.unchanged.push(def.id);
        continue;
      }
      await register(tx, actor, def, serialized, version, existing);
      result.registered.push({ id: def.id, version, previousVersion: existing?.currentVersion ?? null });
    }

    if (options.removeUndeclared !== false) {
      const declared = new Set(defs.map((d) => d.id));
      const gone = rows.filter((r) => r.removedAt === null && !declared.has(r.id));
      result.removed = await markRemoved(tx, actor, gone);
    }
    return result;
  });
}

/** Marks these jobs removed (`job.removed`), their runs and versions kept; answers the ids it changed. */
export async function removeJobs(db: Db, ids: readonly string[], actor: Principal): Promise<string[]> {
  if (ids.length === 0) return [];
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${sql.raw(String(REGISTRY_LOCK_KEY))})`);
    const rows = await tx
      .select()
      .from(jobs)
      .where(inArray(jobs.id, [...ids]));
    return markRemoved(
      tx,
      actor,
      rows.filter((r) => r.removedAt === null),
    );
  });
}

async function markRemoved(tx: Tx, actor: Principal, gone: readonly JobRow[]): Promise<string[]> {
  if (gone.length === 0) return [];
  await tx
    .update(jobs)
    .set({ removedAt: sql`now()`, updatedAt: sql`now()` })
    .where(
      inArray(
        jobs.id,
        gone.map((r) => r.id),
      ),
    );
  for (const row of gone) {
    await appendAudit(tx, {
      actor: auditActor(actor),
      action: "job.removed",
      subject: { type: "job", id: row.id },
      authorization: auditAuthorization(actor),
      payload: { version: row.currentVersion },
    });
  }
  return gone.map((r) => r.id);
}
