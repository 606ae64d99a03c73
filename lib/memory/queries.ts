import "server-only";
import type { Queryable } from "@/db/client";
import { listCollections } from "./collections";
import { entityName, type EntityRef } from "./entity";
import { listLocks } from "./locks";
import { collectionStats, entityHistory, readEntity, runWrites, type HistoryRow } from "./store";

export interface CollectionSummary {
  name: string;
  description: string;
  entities: number;
  lastWriteAt: string | null;
}

/** Declared collections with their live entity counts (GET /api/memory, the Memory page). */
export async function collectionsOverview(db: Queryable): Promise<CollectionSummary[]> {
  const stats = new Map((await collectionStats(db)).map((s) => [s.collection, s]));
  return listCollections().map((c) => ({
    name: c.name,
    description: c.description,
    entities: stats.get(c.name)?.entities ?? 0,
    lastWriteAt: stats.get(c.name)?.lastWriteAt?.toISOString() ?? null,
  }));
}

export interface HistoryEntry {
  version: number;
  kind: "write" | "revert";
  before: unknown;
  after: unknown;
  runId: string | null;
  jobId: string | null;
  jobVersion: string | null;
  turnIndex: number | null;
  callIndex: number | null;
  toolCallKey: string | null;
  actor: { kind: string; id: string | null; label: string };
  authorization: Record<string, unknown>;
  revertsRun: string | null;
  at: string;
}

export function historyEntry(h: HistoryRow): HistoryEntry {
  return {
    version: h.version,
    kind: h.kind,
    before: h.before ?? null,
    after: h.after ?? null,
    runId: h.runId,
    jobId: h.jobId,
    jobVersion: h.jobVersion,
    turnIndex: h.turnIndex,
    callIndex: h.callIndex,
    toolCallKey: h.toolCallKey,
    actor: { kind: h.actorKind, id: h.actorId, label: h.actorLabel },
    authorization: h.authorization,
    revertsRun: h.revertsRun,
    at: h.at.toISOString(),
  };
}

export interface EntityPage {
  entity: string;
  collection: string;
  key: string;
  exists: boolean;
  value: unknown;
  version: number;
  updatedAt: string | null;
  /** Newest first. */
  history: HistoryEntry[];
}

/** An entity and its history, or undefined when it was never written. */
export async function entityPage(db: Queryable, ref: EntityRef): Promise<EntityPage | undefined> {
  const [current, history] = await Promise.all([readEntity(db, ref), entityHistory(db, ref)]);
  if (!current && history.length === 0) return undefined;
  return {
    entity: entityName(ref),
    ...ref,
    exists: Boolean(current),
    value: current?.value ?? null,
    version: current?.version ?? history[0]?.version ?? 0,
    updatedAt: current?.updatedAt.toISOString() ?? history[0]?.at.toISOString() ?? null,
    history: history.map(historyEntry),
  };
}

/** The run page's shared-memory panel: what the run wrote (oldest first) and its locks. */
export async function runMemoryView(db: Queryable, runId: string) {
  const [writes, locks] = await Promise.all([runWrites(db, runId, 500), listLocks(db, { runId })]);
  return { writes: writes.map((w) => ({ ...historyEntry(w), entity: `${w.collection}/${w.key}` })), locks };
}
