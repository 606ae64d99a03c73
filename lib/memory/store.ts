import "server-only";
import { and, asc, desc, eq, gt, like, sql } from "drizzle-orm";
import type { Queryable, Tx } from "@/db/client";
import { memoryEntities, memoryHistory, type MemoryWriteKind } from "@/db/schema";
import type { AuditInput } from "@/lib/audit/types";
import { entityName, type EntityRef } from "./entity";

export type HistoryRow = typeof memoryHistory.$inferSelect;

export interface EntityValue {
  entity: string;
  collection: string;
  key: string;
  value: unknown;
  version: number;
  updatedAt: Date;
  updatedByRun: string | null;
}

/** Who writes, under what authority: stored on the history row of every write. */
export interface WriteProvenance {
  kind: MemoryWriteKind;
  runId: string | null;
  jobId: string | null;
  jobVersion: string | null;
  turnIndex: number | null;
  callIndex: number | null;
  toolCallKey: string | null;
  actor: AuditInput["actor"];
  authorization: Record<string, unknown>;
  revertsRun?: string | null;
}

export class VersionConflictError extends Error {
  constructor(
    readonly entity: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(
      `version conflict on ${entity}: expected version ${expected}, it is at version ${actual}; nothing was written (read it again)`,
    );
    this.name = "VersionConflictError";
  }
}

/** The entity's current value; undefined when it never existed or was deleted by a revert. */
export async function readEntity(db: Queryable, ref: EntityRef): Promise<EntityValue | undefined> {
  const [row] = await db
    .select()
    .from(memoryEntities)
    .where(and(eq(memoryEntities.collection, ref.collection), eq(memoryEntities.key, ref.key)));
  if (!row || row.value === null) return undefined;
  return { entity: entityName(ref), ...row, value: row.value };
}

export interface ListedEntity {
  key: string;
  version: number;
  updatedAt: Date;
}

/** Keys of a collection (live entities only), in key order, after `after` for paging. */
export async function listEntities(
  db: Queryable,
  collection: string,
  options: { prefix?: string; limit?: number; after?: string } = {},
): Promise<{ entities: ListedEntity[]; more: boolean }> {
  const limit = options.limit ?? 100;
  const conditions = [eq(memoryEntities.collection, collection), sql`${memoryEntities.value} is not null`];
  if (options.prefix) conditions.push(like(memoryEntities.key, `${escapeLike(options.prefix)}%`));
  if (options.after) conditions.push(gt(memoryEntities.key, options.after));
  const rows = await db
    .select({ key: memoryEntities.key, version: memoryEntities.version, updatedAt: memoryEntities.updatedAt })
    .from(memoryEntities)
    .where(and(...conditions))
    .orderBy(asc(memoryEntities.key))
    .limit(limit + 1);
  return { entities: rows.slice(0, limit), more: rows.length > limit };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Writes a new version of an entity (value null deletes it) and appends its history row,
 * in the caller's transaction (the caller appends the audit event in the same one). The
 * row is locked first, so concurrent writers of one entity serialise and versions never
 * repeat; with expectedVersion (0 = must not exist) a mismatch throws VersionConflictError
 * before anything is written.
 */
export async function writeEntity(
  tx: Tx,
  ref: EntityRef,
  value: unknown,
  options: { expectedVersion?: number; provenance: WriteProvenance },
): Promise<{ version: number; before: unknown; history: HistoryRow }> {
  const { provenance } = options;
  const [current] = await tx
    .select()
    .from(memoryEntities)
    .where(and(eq(memoryEntities.collection, ref.collection), eq(memoryEntities.key, ref.key)))
    .for("update");
  const currentVersion = current?.version ?? 0;
  const liveVersion = current && current.value !== null ? currentVersion : 0;
  if (
    options.expectedVersion !== undefined &&
    options.expectedVersion !== liveVersion &&
    options.expectedVersion !== currentVersion
  ) {
    throw new VersionConflictError(entityName(ref), options.expectedVersion, currentVersion);
  }
  const version = currentVersion + 1;
  const before = current?.value ?? null;
  const after = value === undefined ? null : value;
  if (current) {
    await tx
      .update(memoryEntities)
      .set({ value: after, version, updatedByRun: provenance.runId, updatedAt: sql`now()` })
      .where(and(eq(memoryEntities.collection, ref.collection), eq(memoryEntities.key, ref.key)));
  } else {
    // Two first writes race on the primary key; the loser fails here and writes nothing.
    await tx.insert(memoryEntities).values({ ...ref, value: after, version, updatedByRun: provenance.runId });
  }
  const [history] = await tx
    .insert(memoryHistory)
    .values({
      ...ref,
      version,
      kind: provenance.kind,
      before,
      after,
      runId: provenance.runId,
      jobId: provenance.jobId,
      jobVersion: provenance.jobVersion,
      turnIndex: provenance.turnIndex,
      callIndex: provenance.callIndex,
      toolCallKey: provenance.toolCallKey,
      actorKind: provenance.actor.kind,
      actorId: provenance.actor.id,
      actorLabel: provenance.actor.label,
      authorization: provenance.authorization,
      revertsRun: provenance.revertsRun ?? null,
    })
    .returning();
  if (!history) throw new Error("memory history row not written");
  return { version, before, history };
}

/** An entity's history, newest first. */
export async function entityHistory(db: Queryable, ref: EntityRef, limit = 200): Promise<HistoryRow[]> {
  return db
    .select()
    .from(memoryHistory)
    .where(and(eq(memoryHistory.collection, ref.collection), eq(memoryHistory.key, ref.key)))
    .orderBy(desc(memoryHistory.version))
    .limit(limit);
}

/** Every write a run made (its own writes, not reverts of it), oldest first. */
export async function runWrites(db: Queryable, runId: string, limit = 5_000): Promise<HistoryRow[]> {
  return db
    .select()
    .from(memoryHistory)
    .where(and(eq(memoryHistory.runId, runId), eq(memoryHistory.kind, "write")))
    .orderBy(asc(memoryHistory.id))
    .limit(limit);
}

/** Reverts of a run's writes, oldest first. */
export async function revertsOf(db: Queryable, runId: string): Promise<HistoryRow[]> {
  return db.select().from(memoryHistory).where(eq(memoryHistory.revertsRun, runId)).orderBy(asc(memoryHistory.id));
}

/** Per collection: live entity count and the last write. */
export async function collectionStats(
  db: Queryable,
): Promise<{ collection: string; entities: number; lastWriteAt: Date | null }[]> {
  const rows = await db
    .select({
      collection: memoryEntities.collection,
      entities: sql<number>`count(*) filter (where ${memoryEntities.value} is not null)::int`,
      lastWriteAt: sql<Date | null>`max(${memoryEntities.updatedAt})`,
    })
    .from(memoryEntities)
    .groupBy(memoryEntities.collection);
  return rows.map((r) => ({ ...r, lastWriteAt: r.lastWriteAt ? new Date(r.lastWriteAt) : null }));
}
