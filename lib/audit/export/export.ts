import "server-only";
import { logger } from "@/lib/log";
import { sanitizeError } from "@/lib/errors/sanitize";
import { and, asc, gt, isNotNull, sql, type SQL } from "drizzle-orm";
import type { Db, Queryable } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { auditLog } from "@/db/schema";
import { auditActor, auditAuthorization } from "../actors";
import type { Principal } from "../principal";
import { getEnv } from "@/lib/env";
import { textStream } from "@/lib/utils";
import { AppError } from "@/lib/errors";
import { appendAudit } from "../append";
import { parseAuditQueryOr400, resolveAuditQuery } from "../explorer/search";
import { auditKeys } from "../keys";
import { leafString } from "../leaf";
import { foldRange, inclusionRanges, nodeKey, rangeNodes, type NodeId } from "../merkle";
import { verifierKey } from "../note";
import { consistencyProof } from "../proofs";
import { auditEventColumns, toAuditEvent } from "../row";
import { readNodes } from "../tree-store";
import type { AuditEvent } from "../types";
import { BUNDLE_FORMAT, BUNDLE_README, csvHeader, csvLine, jsonLine } from "./formats";

export const exportFormats = ["jsonl", "csv", "bundle"] as const;
export type ExportFormat = (typeof exportFormats)[number];

const BATCH = 2000;

/** Matching events, oldest first, read in keyset batches: memory holds one batch however large the export. */
async function* eventBatches(
  db: Queryable,
  conditions: readonly SQL[],
  sealedOnly: boolean,
): AsyncGenerator<AuditEvent[]> {
  let after = 0;
  const key = sealedOnly ? auditLog.seq : auditLog.id;
  for (;;) {
    const rows = await db
      .select(auditEventColumns)
      .from(auditLog)
      .where(and(...conditions, ...(sealedOnly ? [isNotNull(auditLog.seq)] : []), gt(key, after)))
      .orderBy(asc(key))
      .limit(BATCH);
    if (rows.length === 0) return;
    const events = rows.map(toAuditEvent);
    yield events;
    const last = events[events.length - 1] as AuditEvent;
    after = sealedOnly ? (last.seq as number) : last.id;
    if (rows.length < BATCH) return;
  }
}

/** Counts matches up to limit + 1 (bounded work, whatever the log's size). */
async function boundedCount(db: Queryable, conditions: readonly SQL[], limit: number): Promise<number> {
  const where = conditions.length > 0 ? sql`where ${and(...conditions)}` : sql``;
  const [row] = rowsOf<{ n: number | string }>(
    await db.execute(sql`select count(*) as n from (select 1 from ${auditLog} ${where} limit ${limit + 1}) t`),
  );
  return Number(row?.n ?? 0);
}

/** Inclusion proofs for a batch of sealed events against the tree of `treeSize`: one node query per batch. */
async function batchInclusion(db: Queryable, events: readonly AuditEvent[], treeSize: number): Promise<string[][]> {
  const perEvent = events.map((e) =>
    inclusionRanges((e.seq as number) - 1, 0, treeSize).map((r) => rangeNodes(r.lo, r.hi)),
  );
  const wanted = new Map<string, NodeId>();
  for (const ranges of perEvent)
    for (const list of ranges) for (const n of list) wanted.set(nodeKey(n.level, n.index), n);
  const stored = await readNodes(db, [...wanted.values()]);
  return perEvent.map((ranges) =>
    ranges.map((list) =>
      foldRange(
        list.map((n) => {
          const hash = stored.get(nodeKey(n.level, n.index));
          if (!hash) throw new Error(`audit tree node (${n.level}, ${n.index}) is missing`);
          return hash;
        }),
      ).toString("base64"),
    ),
  );
}

interface CheckpointRow {
  treeSize: number;
  note: string;
}

async function checkpointCovering(db: Queryable, seq: number): Promise<CheckpointRow | null> {
  const [row] = rowsOf<{ tree_size: number | string; note: string }>(
    await db.execute(
      sql`select tree_size, note from audit_checkpoints where tree_size >= ${seq} order by tree_size limit 1`,
    ),
  );
  return row ? { treeSize: Number(row.tree_size), note: row.note } : null;
}

async function latest(db: Queryable): Promise<CheckpointRow | null> {
  const [row] = rowsOf<{ tree_size: number | string; note: string }>(
    await db.execute(sql`select tree_size, note from audit_checkpoints order by tree_size desc limit 1`),
  );
  return row ? { treeSize: Number(row.tree_size), note: row.note } : null;
}

async function* plainLines(db: Queryable, conditions: readonly SQL[], format: "jsonl" | "csv"): AsyncGenerator<string> {
  if (format === "csv") yield csvHeader();
  for await (const batch of eventBatches(db, conditions, false)) {
    yield batch.map((e) => (format === "csv" ? csvLine(e) : jsonLine(e))).join("");
  }
}

interface BundlePoints {
  proofs: CheckpointRow;
  head: CheckpointRow;
}

/** The checkpoint that first covers the newest matching event (proofs are against it) and the latest one. */
async function bundlePoints(db: Queryable, conditions: readonly SQL[]): Promise<BundlePoints> {
  const [maxRow] = await db
    .select({ max: sql<string | null>`max(${auditLog.seq})` })
    .from(auditLog)
    .where(and(...conditions, isNotNull(auditLog.seq)));
  const maxSeq = Number(maxRow?.max ?? 0);
  const head = await latest(db);
  const proofs = maxSeq > 0 ? await checkpointCovering(db, maxSeq) : head;
  if (!head || !proofs)
    throw new AppError("bad_request", "Nothing is sealed yet: there is no signed checkpoint to prove events against", {
      field: "q",
    });
  return { proofs, head };
}

async function* bundleLines(
  db: Queryable,
  conditions: readonly SQL[],
  q: string,
  count: number,
  { proofs, head }: BundlePoints,
): AsyncGenerator<string> {
  const keys = auditKeys();
  yield jsonLine({
    type: "header",
    format: BUNDLE_FORMAT,
    version: 1,
    origin: keys.origin,
    query: q,
    exportedAt: new Date().toISOString(),
    events: count,
    treeSize: proofs.treeSize,
    latestTreeSize: head.treeSize,
  });
  yield jsonLine({ type: "readme", text: BUNDLE_README });
  yield jsonLine({ type: "verifier-key", key: verifierKey(keys.origin, keys.publicKey) });
  yield jsonLine({ type: "checkpoint", role: "proofs", treeSize: proofs.treeSize, note: proofs.note });
  yield jsonLine({ type: "checkpoint", role: "latest", treeSize: head.treeSize, note: head.note });
  const consistency = await consistencyProof(db, proofs.treeSize, head.treeSize);
  yield jsonLine({ type: "consistency", from: consistency.from, to: consistency.to, hashes: consistency.hashes });
  let written = 0;
  for await (const batch of eventBatches(db, conditions, true)) {
    const paths = await batchInclusion(db, batch, proofs.treeSize);
    yield batch
      .map((e, i) =>
        jsonLine({ type: "event", seq: e.seq, leaf: leafString(e.seq as number, e), event: e, inclusion: paths[i] }),
      )
      .join("");
    written += batch.length;
  }
  yield jsonLine({ type: "end", events: written });
}

const contentTypes: Record<ExportFormat, string> = {
  jsonl: "application/x-ndjson; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  bundle: "application/x-ndjson; charset=utf-8",
};

/**
 * GET /api/audit/export: streams the events a query matches (jsonl, csv) or an evidence
 * bundle of the sealed ones (proofs included). Over the documented size the query is refused
 * with "narrow it"; every export is itself audited (audit.exported) before the first byte.
 */
export async function exportAudit(db: Db, principal: Principal, q: string, format: ExportFormat): Promise<Response> {
  const env = getEnv();
  const { conditions } = await resolveAuditQuery(db, parseAuditQueryOr400(q));
  const max = format === "bundle" ? env.FLIGHTDECK_AUDIT_BUNDLE_MAX_EVENTS : env.FLIGHTDECK_AUDIT_EXPORT_MAX_EVENTS;
  const counted = await boundedCount(
    db,
    format === "bundle" ? [...conditions, isNotNull(auditLog.seq)] : conditions,
    max,
  );
  if (counted > max) {
    throw new AppError(
      "bad_request",
      `The query matches more than ${max} events, the ${format === "bundle" ? "bundle" : "export"} limit: narrow it (e.g. since:/until:, job:, action:)`,
      { field: "q", limit: max },
    );
  }
  const points = format === "bundle" ? await bundlePoints(db, conditions) : null;
  await db.transaction((tx) =>
    appendAudit(tx, {
      actor: auditActor(principal),
      authorization: auditAuthorization(principal, "audit.export"),
      action: "audit.exported",
      subject: { type: "audit", id: null },
      payload: { format, query: q, events: counted },
    }),
  );
  const source = points
    ? bundleLines(db, conditions, q, counted, points)
    : plainLines(db, conditions, format === "csv" ? "csv" : "jsonl");
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const ext = format === "csv" ? "csv" : format === "bundle" ? "bundle.jsonl" : "jsonl";
  return new Response(
    textStream(source, (error) => logger("error", "audit export failed mid-stream", { error: sanitizeError(error) })),
    {
      headers: {
        "content-type": contentTypes[format],
        "content-disposition": `attachment; filename="flightdeck-audit-${stamp}.${ext}"`,
        "cache-control": "no-store",
        "x-audit-export-events": String(counted),
      },
    },
  );
}
