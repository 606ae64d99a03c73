import "server-only";
import { and, asc, desc, eq, gte, inArray, like, lte, or, sql, type SQL } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { actorKinds, auditLog, runs, user } from "@/db/schema";
import { rowsOf } from "@/db/rows";
import { AppError } from "@/lib/errors";
import { freeTextMatch, type CommonWords } from "./free-text";
import { AUDIT_QUERY_SYNTAX, AuditQueryError, parseAuditQuery, type ParsedAuditQuery } from "./query-language";

/** Turns a query string into a 400 naming the failing term and showing the syntax. */
export function parseAuditQueryOr400(q: string | undefined, now = Date.now()): ParsedAuditQuery {
  try {
    return parseAuditQuery(q ?? "", now);
  } catch (error) {
    if (error instanceof AuditQueryError) {
      throw new AppError("bad_request", error.message, {
        field: "q",
        token: error.token,
        ...(error.suggestion ? { suggestion: `${error.suggestion}:` } : {}),
        syntax: AUDIT_QUERY_SYNTAX,
      });
    }
    throw error;
  }
}

// Expressions the explorer filters on; each has a partial index (db/schema/audit.ts).
export const payloadRunId = sql`(${auditLog.payload} ->> 'runId')`;
export const payloadJobId = sql`(${auditLog.payload} ->> 'jobId')`;
export const payloadOutcome = sql`(${auditLog.payload} ->> 'outcome')`;

const FALSE = sql`false`;

/** Repeats the partial indexes' predicate so the planner can use them. */
const hasKey = (key: "runId" | "jobId" | "outcome") => sql`${auditLog.payload} ? ${sql.raw(`'${key}'`)}`;

let actionCache: { at: number; actions: string[] } | null = null;

/**
 * Every distinct action in the log, read by skipping through the (action, id) index one
 * action at a time (a few dozen probes, not a scan), cached for 30 s. A prefix such as
 * `run.*` becomes `action IN (…)`, which the index answers for any collation.
 */
export async function distinctActions(db: Queryable): Promise<string[]> {
  if (actionCache && Date.now() - actionCache.at < 30_000) return actionCache.actions;
  const rows = await db.execute(sql`
    with recursive a(action) as (
      (select action from audit_events order by action limit 1)
      union all
      select (select e.action from audit_events e where e.action > a.action order by e.action limit 1) from a where a.action is not null
    ) select action from a where action is not null`);
  const list = rowsOf<{ action: string }>(rows).map((r) => r.action);
  actionCache = { at: Date.now(), actions: list };
  return list;
}

/** Run ids starting with each prefix (case-insensitive); 400 when a prefix is ambiguous beyond 10 runs. */
async function resolveRunPrefixes(db: Queryable, prefixes: readonly string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const prefix of prefixes) {
    const escaped = prefix.replace(/[\\%_]/g, (c) => `\\${c}`);
    const found = await db
      .select({ id: runs.id })
      .from(runs)
      .where(like(runs.id, `${escaped}%`))
      .orderBy(asc(runs.id))
      .limit(11);
    if (found.length > 10) {
      throw new AppError("bad_request", `run:${prefix} matches more than 10 runs; give more characters of the id`, {
        field: "q",
        token: `run:${prefix}`,
        syntax: AUDIT_QUERY_SYNTAX,
      });
    }
    ids.push(...found.map((r) => r.id));
  }
  return ids;
}

/** Inclusive id bounds of a time window (null: unbounded); an empty window has min > max. */
export interface IdRange {
  min: number | null;
  max: number | null;
}

/** ts bounds as id bounds (ids follow insertion order; ts is taken at insertion), so a time window is an index range on id. */
async function idBoundsForTime(
  db: Queryable,
  since: Date | null,
  until: Date | null,
): Promise<{ conditions: SQL[]; ids: IdRange }> {
  const conditions: SQL[] = [];
  const ids: IdRange = { min: null, max: null };
  // Concurrent writers can insert a few milliseconds out of ts order; a minute of slack keeps the bound safe.
  const slack = 60_000;
  if (since) {
    const [first] = await db
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(gte(auditLog.ts, new Date(since.getTime() - slack)))
      .orderBy(asc(auditLog.ts))
      .limit(1);
    ids.min = first ? first.id : Number.MAX_SAFE_INTEGER;
    conditions.push(first ? gte(auditLog.id, first.id) : FALSE, gte(auditLog.ts, since));
  }
  if (until) {
    const [last] = await db
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(lte(auditLog.ts, new Date(until.getTime() + slack)))
      .orderBy(desc(auditLog.ts))
      .limit(1);
    ids.max = last ? last.id : 0;
    conditions.push(last ? lte(auditLog.id, last.id) : FALSE, lte(auditLog.ts, until));
  }
  return { conditions, ids };
}

export interface ResolvedAuditQuery {
  conditions: SQL[];
  /** Full run ids a run: prefix resolved to. */
  runIds: string[];
  /**
   * When free text is matched by reading events' text (common or short words) rather than the
   * search index: that condition, and the query's other conditions (`conditions` holds both);
   * for indexable common words, what lets a page take their newest matches from the index
   * (`common`) and the id range of the query's time window (`ids`).
   */
  byScan: { text: SQL; others: SQL[]; common: CommonWords | null; ids: IdRange } | null;
}

/** The SQL conditions of a parsed query (several small lookups: users by email, run prefixes, actions, time → id). */
export async function resolveAuditQuery(db: Queryable, p: ParsedAuditQuery): Promise<ResolvedAuditQuery> {
  const conditions: SQL[] = [];

  if (p.actors.length > 0) {
    const emails = p.actors.filter((a) => a.includes("@")).map((a) => a.toLowerCase());
    const userIds =
      emails.length > 0
        ? (await db.select({ id: user.id }).from(user).where(inArray(user.email, emails))).map((u) => u.id)
        : [];
    const parts: SQL[] = [];
    for (const a of p.actors) {
      const colon = a.indexOf(":");
      const kind = colon > 0 ? a.slice(0, colon) : a;
      if ((actorKinds as readonly string[]).includes(kind)) {
        const k = kind as (typeof actorKinds)[number];
        parts.push(
          colon > 0
            ? (and(eq(auditLog.actorKind, k), eq(auditLog.actorId, a.slice(colon + 1))) ?? FALSE)
            : eq(auditLog.actorKind, k),
        );
      } else {
        // An id (user, token, worker…) or a user's email (resolved above): both use the (kind, id) index.
        parts.push(eq(auditLog.actorId, a));
      }
    }
    if (userIds.length > 0) parts.push(inArray(auditLog.actorId, userIds));
    conditions.push(or(...parts) ?? FALSE);
  }

  if (p.actions.length > 0) {
    const exact = p.actions.filter((a) => !a.prefix).map((a) => a.value);
    const prefixes = p.actions.filter((a) => a.prefix).map((a) => a.value);
    const names = new Set(exact);
    if (prefixes.length > 0)
      for (const action of await distinctActions(db))
        if (prefixes.some((pre) => action.startsWith(pre))) names.add(action);
    conditions.push(names.size > 0 ? inArray(auditLog.action, [...names]) : FALSE);
  }

  if (p.subjects.length > 0) {
    conditions.push(
      or(
        ...p.subjects.map((s) =>
          s.type
            ? (and(eq(auditLog.subjectType, s.type), eq(auditLog.subjectId, s.id)) ?? FALSE)
            : eq(auditLog.subjectId, s.id),
        ),
      ) ?? FALSE,
    );
  }

  let runIds: string[] = [];
  if (p.runs.length > 0) {
    runIds = await resolveRunPrefixes(db, p.runs);
    conditions.push(
      runIds.length === 0
        ? FALSE
        : (or(
            and(eq(auditLog.subjectType, "run"), inArray(auditLog.subjectId, runIds)),
            and(hasKey("runId"), inArray(payloadRunId, runIds)),
            and(eq(auditLog.actorKind, "run"), inArray(auditLog.actorId, runIds)),
          ) ?? FALSE),
    );
  }

  if (p.jobs.length > 0) {
    conditions.push(
      or(
        and(hasKey("jobId"), inArray(payloadJobId, p.jobs)),
        and(eq(auditLog.subjectType, "job"), inArray(auditLog.subjectId, p.jobs)),
      ) ?? FALSE,
    );
  }

  if (p.tokens.length > 0) {
    conditions.push(
      or(
        and(eq(auditLog.actorKind, "token"), inArray(auditLog.actorId, p.tokens)),
        and(eq(auditLog.subjectType, "token"), inArray(auditLog.subjectId, p.tokens)),
      ) ?? FALSE,
    );
  }

  if (p.outcomes.length > 0) conditions.push(and(hasKey("outcome"), inArray(payloadOutcome, p.outcomes)) ?? FALSE);

  const text = await freeTextMatch(db, p.text);
  const others = [...conditions];
  if (text) conditions.push(text.condition);

  const time = await idBoundsForTime(db, p.since, p.until);
  conditions.push(...time.conditions);
  others.push(...time.conditions);
  return {
    conditions,
    runIds,
    byScan: text?.byScan ? { text: text.condition, others, common: text.common, ids: time.ids } : null,
  };
}

export interface FacetCount {
  value: string;
  label: string;
  count: number;
}

export interface AuditFacets {
  actions: FacetCount[];
  actors: FacetCount[];
  /** Runs the matching events belong to: "which runs touched X" for a free-text or key query. */
  runs: FacetCount[];
  /** Matching events counted (the newest, at most FACET_SCAN_LIMIT). */
  scanned: number;
  /** More events match than were counted. */
  capped: boolean;
  /**
   * Free text matched by scan (a common or short word) is counted among the newest this
   * many events the rest of the query matches; null when the count is not limited that way.
   */
  textWindow: number | null;
}

/** Facets count at most this many of the newest matching events, so they stay fast on any log. */
export const FACET_SCAN_LIMIT = 100_000;

/**
 * Events a facet count reads when free text is matched by scan: matching text costs about
 * a microsecond an event, and a word common enough to skip the index may still be too rare
 * for FACET_SCAN_LIMIT to end the scan early.
 */
export const FACET_TEXT_WINDOW = 100_000;

/**
 * Counts by action, by actor and by run (top 15 each) over the newest FACET_SCAN_LIMIT
 * events the query matches (all of them when fewer; `capped` says when not). One scan.
 * When free text is matched by scan (`byScan` from resolveAuditQuery), the text is
 * tested on the newest FACET_TEXT_WINDOW events the rest of the query matches, so a
 * since:/until: window moves what is counted, and `capped` says when older ones exist.
 */
export async function auditFacets(
  db: Queryable,
  query: Pick<ResolvedAuditQuery, "conditions" | "byScan">,
  options: { textWindow?: number } = {},
): Promise<AuditFacets> {
  const scanText = query.byScan?.text ?? null;
  const textWindow = options.textWindow ?? FACET_TEXT_WINDOW;
  const others = query.byScan?.others ?? query.conditions;
  const where = (list: readonly SQL[]) => (list.length > 0 ? sql`where ${and(...list)}` : sql``);
  // Named like the table, so the conditions' qualified columns read the window's rows.
  const source = scanText
    ? sql`(select * from ${auditLog} ${where(others)} order by ${auditLog.id} desc limit ${textWindow}) as ${auditLog} where ${scanText}`
    : sql`${auditLog} ${where(others)}`;
  const windowFull = scanText
    ? sql`(select count(*) > ${textWindow} from (select 1 from ${auditLog} ${where(others)} limit ${textWindow + 1}) x)`
    : sql`false`;
  const rows = rowsOf<{ facet: string; value: string | null; label: string | null; count: number | string }>(
    await db.execute(sql`
      with m as materialized (
        select ${auditLog.action} as action, ${auditLog.actorKind} || ':' || coalesce(${auditLog.actorId}, '') as actor, ${auditLog.actorLabel} as actor_label,
               coalesce(${payloadRunId}, case when ${auditLog.subjectType} = 'run' then ${auditLog.subjectId} end) as run
        from ${source} order by ${auditLog.id} desc limit ${FACET_SCAN_LIMIT + 1}
      ),
      a as (select 'action' as facet, action as value, action as label, count(*) as count from m group by action order by 4 desc, 2 limit 15),
      b as (select 'actor', actor, max(actor_label), count(*) from m group by actor order by 4 desc, 2 limit 15),
      r as (select 'run', run, run, count(*) from m where run is not null group by run order by 4 desc, 2 limit 15),
      t as (select 'total', null, null, count(*) from m),
      w as (select 'window', null, null, case when ${windowFull} then 1 else 0 end)
      select * from a union all select * from b union all select * from r union all select * from t union all select * from w`),
  );
  const pick = (facet: string): FacetCount[] =>
    rows
      .filter((r) => r.facet === facet)
      .map((r) => ({
        value: r.value ?? "",
        label: facet === "run" ? (r.value ?? "").slice(0, 8) : (r.label ?? r.value ?? ""),
        count: Number(r.count),
      }));
  const total = Number(rows.find((r) => r.facet === "total")?.count ?? 0);
  const older = Number(rows.find((r) => r.facet === "window")?.count ?? 0) === 1;
  return {
    actions: pick("action"),
    actors: pick("actor"),
    runs: pick("run"),
    scanned: Math.min(total, FACET_SCAN_LIMIT),
    capped: total > FACET_SCAN_LIMIT || older,
    textWindow: scanText ? textWindow : null,
  };
}
