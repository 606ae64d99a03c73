import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/db/rows";
import { auditLog } from "@/db/schema";
import {
  appendAuditEvents,
  auditFacets,
  FACET_TEXT_WINDOW,
  indexAuditSearchBatch,
  listAuditEvents,
  listAuditQuery,
  parseAuditQueryOr400,
  resolveAuditQuery,
  sealBatch,
  searchIndexedThrough,
  type AuditInput,
} from "@/lib/audit";
import { freeTextMatch, INDEXED_MATCH_LIMIT } from "@/lib/audit/explorer/free-text";
import { auditSearchText } from "@/lib/audit/search-index";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { refusal } from "./fixtures";

let handle: TestDatabase;

/** Event k of the log: a rare word in a few, a common one in more than the index lookup takes, a short one in some. */
function event(k: number, extra: Record<string, unknown> = {}): AuditInput {
  return {
    actor: { kind: "user", id: `u${k % 7}`, label: k % 97 === 0 ? "needle-label@example.com" : "op@example.com" },
    action: "tool.called",
    subject: { type: "run", id: k % 89 === 0 ? `run-needle-${k}` : `run-${k % 50}` },
    authorization: { via: "session", role: "operator" },
    payload: {
      path: k % 400 === 0 ? `notes/needle-${k}.md` : k % 333 === 0 ? `notes/MiXeD-Case-${k}.md` : `notes/${k}.md`,
      note: k % 2 === 0 ? "common-hay" : "other",
      tag: k % 10 === 0 ? "zq" : "yy",
      ...extra,
    },
  };
}

const TOTAL = 2 * (INDEXED_MATCH_LIMIT + 200);

/** The events whose searchable text holds every word (case-insensitive), newest first: what the explorer must answer. */
async function truth(words: string[]): Promise<number[]> {
  const rows = rowsOf<{ id: number | string; body: string }>(
    await handle.db.execute(
      sql`select id, payload::text || E'\n' || actor_label || E'\n' || coalesce(subject_id, '') as body from audit_events order by id desc`,
    ),
  );
  return rows
    .filter((r) => words.every((w) => r.body.toLowerCase().includes(w.toLowerCase())))
    .map((r) => Number(r.id));
}

/**
 * Every page of the explorer's answer, newest first. The explorer's windows are shrunk to this
 * log's size, so a common word's pages come from the index's ordered matches as on a large log.
 */
async function search(
  q: string,
  options: { limit?: number; recentWindow?: number; narrowLimit?: number } = {},
): Promise<number[]> {
  const query = await resolveAuditQuery(handle.db, parseAuditQueryOr400(q));
  const tuning = { recentWindow: options.recentWindow ?? 100, narrowLimit: options.narrowLimit ?? 200 };
  const ids: number[] = [];
  let cursor: number | undefined;
  for (;;) {
    const page = await listAuditQuery(handle.db, query, { limit: options.limit ?? 500, cursor }, tuning);
    ids.push(...page.events.map((e) => e.id));
    if (page.nextCursor === null) return ids;
    cursor = page.nextCursor;
  }
}

/** Every page as the scan of everything answers the query (listAuditEvents with its conditions). */
async function pagesByScan(q: string): Promise<number[]> {
  const { conditions } = await resolveAuditQuery(handle.db, parseAuditQueryOr400(q));
  const ids: number[] = [];
  let cursor: number | undefined;
  for (;;) {
    const page = await listAuditEvents(handle.db, { limit: 500, cursor, extra: conditions });
    ids.push(...page.events.map((e) => e.id));
    if (page.nextCursor === null) return ids;
    cursor = page.nextCursor;
  }
}

/** Whether the words are looked up through the search index rather than by reading every event's text. */
const viaIndex = async (words: string[]) => (await freeTextMatch(handle.db, words))?.byScan === false;

beforeAll(async () => {
  handle = await createTestDatabase();
  const all = Array.from({ length: TOTAL }, (_, k) => event(k));
  await handle.db.transaction((tx) => appendAuditEvents(tx, all.slice(0, TOTAL / 2)));
  await handle.db.transaction((tx) => appendAuditEvents(tx, all.slice(TOTAL / 2)));
  while (((await sealBatch(handle.db, { maxEvents: 1000 }))?.sealed ?? 0) > 0);
  // The index stops short of the log: the last 300 sealed events are matched by scan, like
  // events the indexer has not reached yet in a deployment; 50 more are not even sealed.
  for (let through = 0; through < TOTAL - 300;) {
    const result = await indexAuditSearchBatch(handle.db, Math.min(1000, TOTAL - 300 - through));
    through = result?.indexedThrough ?? through;
  }
  await handle.db.transaction((tx) =>
    appendAuditEvents(
      tx,
      Array.from({ length: 50 }, (_, k) => event(TOTAL + k, k % 10 === 0 ? { late: "needle-late" } : {})),
    ),
  );
}, 120_000);
afterAll(async () => {
  await handle.drop();
});

describe("free text in the audit explorer", () => {
  it("keeps the search index a prefix of the sealed log, each event once", async () => {
    expect(await searchIndexedThrough(handle.db)).toBe(TOTAL - 300);
    const [row] = rowsOf<{ n: number | string; min: number | string; max: number | string }>(
      await handle.db.execute(sql`select count(*) as n, min(seq) as min, max(seq) as max from audit_search`),
    );
    expect([Number(row?.n), Number(row?.min), Number(row?.max)]).toEqual([TOTAL - 300, 1, TOTAL - 300]);
  });

  it("finds a rare word through the index, and in events not indexed or not sealed yet by scan", async () => {
    expect(await viaIndex(["needle"])).toBe(true);
    const want = await truth(["needle"]);
    // Indexed matches, sealed-but-unindexed ones (the last 300) and unsealed ones (the last 50) alike.
    expect(want.length).toBeGreaterThan(40);
    expect(want.some((id) => id > TOTAL)).toBe(true);
    expect(want.some((id) => id > TOTAL - 300 && id <= TOTAL)).toBe(true);
    expect(await search("needle")).toEqual(want);
    expect(await search("NEEDLE-LABEL")).toEqual(await truth(["needle-label"]));
    expect(await search('"notes/needle-400.md"')).toEqual(await truth(["notes/needle-400.md"]));
    expect(await search("needle-late")).toEqual(await truth(["needle-late"]));
    // Case folds both ways: the index holds lowercased text, the word is lowercased to match it.
    expect(await viaIndex(["mixed-case"])).toBe(true);
    const mixed = await truth(["mixed-case"]);
    expect(mixed.length).toBeGreaterThan(5);
    expect(await search("mixed-CASE")).toEqual(mixed);
  });

  it("scans for a word with more matches than the index lookup takes, and for words shorter than a trigram", async () => {
    expect(await viaIndex(["common-hay"])).toBe(false);
    const common = await truth(["common-hay"]);
    expect(common.length).toBeGreaterThan(INDEXED_MATCH_LIMIT);
    expect(await search("common-hay")).toEqual(common);
    expect(await viaIndex(["zq"])).toBe(false);
    expect(await search("zq")).toEqual(await truth(["zq"]));
  });

  it("matches every word, whichever way each is looked up, and keeps the other filters", async () => {
    expect(await search("needle common-hay")).toEqual(await truth(["needle", "common-hay"]));
    expect(await search("needle zq")).toEqual(await truth(["needle", "zq"]));
    const byActor = await search("actor:user:u3 needle");
    const rows = rowsOf<{ id: number | string }>(
      await handle.db.execute(sql`select id from audit_events where actor_id = 'u3' order by id desc`),
    );
    const u3 = new Set(rows.map((r) => Number(r.id)));
    expect(byActor).toEqual((await truth(["needle"])).filter((id) => u3.has(id)));
    expect(await search("no-such-word-anywhere")).toEqual([]);
  });

  it("counts facets over the same matches", async () => {
    const rare = await resolveAuditQuery(handle.db, parseAuditQueryOr400("needle"));
    expect(rare.byScan).toBeNull();
    const facets = await auditFacets(handle.db, rare);
    expect(facets.scanned).toBe((await truth(["needle"])).length);
    expect(facets.actions).toEqual([{ value: "tool.called", label: "tool.called", count: facets.scanned }]);
    expect([facets.capped, facets.textWindow]).toEqual([false, null]);
    // A common word is counted by scan among the newest FACET_TEXT_WINDOW events: the whole of this log.
    const common = await resolveAuditQuery(handle.db, parseAuditQueryOr400("common-hay"));
    expect(common.byScan).not.toBeNull();
    const counted = await auditFacets(handle.db, common);
    expect(counted.scanned).toBe((await truth(["common-hay"])).length);
    expect([counted.capped, counted.textWindow]).toEqual([false, FACET_TEXT_WINDOW]);
    // With a smaller window: the newest 1,000 events the rest of the query matches, older ones said to be left out.
    const window = await auditFacets(handle.db, common, { textWindow: 1000 });
    const newest = rowsOf<{ id: number | string }>(
      await handle.db.execute(sql`select id from audit_events order by id desc limit 1000`),
    ).map((r) => Number(r.id));
    const inWindow = (await truth(["common-hay"])).filter((id) => id >= Math.min(...newest));
    expect([window.scanned, window.capped, window.textWindow]).toEqual([inWindow.length, true, 1000]);
    // An until: bound moves the window back instead of leaving it on the newest events.
    const [mid] = rowsOf<{ ts: Date | string }>(
      await handle.db.execute(sql`select ts from audit_events order by id limit 1 offset ${TOTAL / 2}`),
    );
    const until = new Date(mid?.ts ?? 0).toISOString();
    const earlier = await resolveAuditQuery(handle.db, parseAuditQueryOr400(`common-hay until:${until}`));
    const back = await auditFacets(handle.db, earlier, { textWindow: 1000 });
    expect(back.scanned).toBeGreaterThan(400);
  });

  it("catches up to the sealed log in batches, from where it stopped", async () => {
    const again = await indexAuditSearchBatch(handle.db, 100);
    expect(again?.indexed).toBe(100);
    while (((await indexAuditSearchBatch(handle.db, 1000))?.indexed ?? 0) > 0);
    expect(await searchIndexedThrough(handle.db)).toBe(TOTAL);
    expect(await search("needle")).toEqual(await truth(["needle"]));
  });

  it("refuses index rows that are not the next seq with its sealed event's text, even from the table's owner", async () => {
    await handle.db.transaction((tx) => appendAuditEvents(tx, [event(TOTAL + 90)]));
    while (((await sealBatch(handle.db, { maxEvents: 1000 }))?.sealed ?? 0) > 0);
    const through = await searchIndexedThrough(handle.db);
    const row = (seq: number, eventId: number | null, body: string) =>
      refusal(() =>
        handle.db.execute(sql`insert into audit_search (seq, event_id, body) values (${seq}, ${eventId}, ${body})`),
      );
    const [next] = rowsOf<{ id: number | string; body: string }>(
      await handle.db.execute(
        sql`select id, lower(${auditSearchText}) as body from audit_log where seq = ${through + 1}`,
      ),
    );
    const id = Number(next?.id);
    expect(await row(through + 5, id, "x")).toMatch(/not the next one to index/);
    expect(await row(through + 1, id, "a false text")).toMatch(/must be its sealed event's/);
    expect(await row(through + 1, id + 1, next?.body ?? "")).toMatch(/belongs to event/);
    expect(await row(through + 1, null, next?.body ?? "")).toMatch(/belongs to event/);
    expect(await row(through, id, "again")).toMatch(/not the next one to index/);
    expect(await searchIndexedThrough(handle.db)).toBe(through);
  });

  it("pages a common word from the index's matches in id order, with the rest of the query and the unindexed tail", async () => {
    const common = await resolveAuditQuery(handle.db, parseAuditQueryOr400("common-hay"));
    expect(common.byScan?.common).not.toBeNull();
    const want = await truth(["common-hay"]);
    // Matches the index does not hold yet (the last 300 sealed, the 50 unsealed) come first.
    expect(want.filter((id) => id > TOTAL - 300).length).toBeGreaterThan(100);
    // A page the newest 100 events cannot fill: the rest comes from the index (pages of 500), or from the
    // scan of everything when the window covers the log (the default on a log this small).
    expect(await search("common-hay")).toEqual(want);
    expect(await search("common-hay", { limit: 37 })).toEqual(want);
    expect(await search("common-hay", { recentWindow: 1_000_000 })).toEqual(want);
    // The rest of the query, checked against each match (broad: more events than narrowLimit) or scanned (narrow).
    const [mid] = rowsOf<{ ts: Date | string }>(
      await handle.db.execute(sql`select ts from audit_events order by id limit 1 offset ${TOTAL / 2}`),
    );
    const at = new Date(mid?.ts ?? 0).toISOString();
    for (const q of [
      "actor:user:u3 common-hay",
      "common-hay needle",
      `common-hay until:${at}`,
      `common-hay since:${at}`,
      "common-hay zq",
      "action:auth.* common-hay",
    ]) {
      const scanned = await pagesByScan(q);
      expect(await search(q), q).toEqual(scanned);
      expect(await search(q, { narrowLimit: 1_000_000 }), q).toEqual(scanned);
      expect(await search(q, { limit: 23 }), q).toEqual(scanned);
    }
    expect((await pagesByScan("actor:user:u3 common-hay")).length).toBeGreaterThan(200);
  });

  it("ends a common word's newest window at the cursor or the until: bound, and goes on to older pages when the window holds exactly a page", async () => {
    const query = await resolveAuditQuery(handle.db, parseAuditQueryOr400("common-hay"));
    const want = await truth(["common-hay"]);
    const tuning = { recentWindow: 10, narrowLimit: 0 };
    // The newest 10 events below a cursor hold exactly `limit` matches: the page is full and an older one follows.
    const cursor = (want[40] ?? 0) + 1;
    const newest10 = rowsOf<{ id: number | string }>(
      await handle.db.execute(sql`select id from audit_events where id < ${cursor} order by id desc limit 10`),
    ).map((r) => Number(r.id));
    const exact = want.filter((id) => newest10.includes(id)).length;
    expect(exact).toBeGreaterThan(0);
    const page = await listAuditQuery(handle.db, query, { limit: exact, cursor }, tuning);
    expect(page.events.map((e) => e.id)).toEqual(want.filter((id) => id < cursor).slice(0, exact));
    expect(page.nextCursor).not.toBeNull();
    // An until: bound far below the newest events (its ids as resolveAuditQuery gives them).
    const max = want[want.length / 2] ?? 0;
    const bounded = {
      ...query,
      conditions: [...query.conditions, sql`${auditLog.id} <= ${max}`],
      byScan: query.byScan && {
        ...query.byScan,
        others: [...query.byScan.others, sql`${auditLog.id} <= ${max}`],
        ids: { min: null, max },
      },
    };
    const first = await listAuditQuery(handle.db, bounded, { limit: 20 }, tuning);
    expect(first.events.map((e) => e.id)).toEqual(want.filter((id) => id <= max).slice(0, 20));
  });

  it("keeps the explorer's other filter fields with a common word", async () => {
    const query = await resolveAuditQuery(handle.db, parseAuditQueryOr400("common-hay"));
    const tuning = { recentWindow: 50, narrowLimit: 0 };
    const filters = [
      { actorKind: "user" as const, actorId: "u3" },
      { action: "tool.called", subjectType: "run", subjectId: "run-8" },
      { from: new Date(0), to: new Date(Date.now() + 60_000) },
    ];
    for (const filter of filters) {
      const scanned = await listAuditEvents(handle.db, { limit: 500, ...filter, extra: query.conditions });
      const page = await listAuditQuery(handle.db, query, { limit: 500, ...filter }, tuning);
      expect(
        page.events.map((e) => e.id),
        JSON.stringify(filter),
      ).toEqual(scanned.events.map((e) => e.id));
      expect(page.events.length).toBeGreaterThan(0);
    }
  });

  it("keeps a query resolved earlier right after the sealer and the indexer move on (a later page, an export)", async () => {
    await handle.db.transaction((tx) =>
      appendAuditEvents(tx, [event(TOTAL + 100, { late: "needle-moving" }), event(TOTAL + 101)]),
    );
    const before = await resolveAuditQuery(handle.db, parseAuditQueryOr400("needle-moving"));
    const commonBefore = await resolveAuditQuery(handle.db, parseAuditQueryOr400("common-hay"));
    while (((await sealBatch(handle.db, { maxEvents: 1000 }))?.sealed ?? 0) > 0);
    while (((await indexAuditSearchBatch(handle.db, 1000))?.indexed ?? 0) > 0);
    const page = await listAuditEvents(handle.db, { limit: 50, extra: before.conditions });
    expect(page.events.map((e) => e.id)).toEqual(await truth(["needle-moving"]));
    expect(page.events).toHaveLength(1);
    // A common word: events indexed since are in both the index's matches and the tail, and listed once.
    const ids: number[] = [];
    let cursor: number | undefined;
    do {
      const next = await listAuditQuery(
        handle.db,
        commonBefore,
        { limit: 300, cursor },
        { recentWindow: 10, narrowLimit: 0 },
      );
      ids.push(...next.events.map((e) => e.id));
      cursor = next.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(ids).toEqual(await truth(["common-hay"]));
  });

  it("finds what a scan finds for letters outside ASCII, whatever the database's locale folds", async () => {
    await handle.db.transaction((tx) =>
      appendAuditEvents(tx, [event(TOTAL + 200, { who: "ÄRGER-Straße-Ünïcode" }), event(TOTAL + 201)]),
    );
    while (((await sealBatch(handle.db, { maxEvents: 1000 }))?.sealed ?? 0) > 0);
    while (((await indexAuditSearchBatch(handle.db, 1000))?.indexed ?? 0) > 0);
    for (const word of ["ärger-straße", "ÄRGER-STRASSE", "Ünïcode", "straße-ün"]) {
      const scanned = rowsOf<{ id: number | string }>(
        await handle.db.execute(
          sql`select id from audit_log where ${auditSearchText} ilike ${`%${word}%`} order by id desc`,
        ),
      ).map((r) => Number(r.id));
      expect(await search(word), word).toEqual(scanned);
    }
    expect(await search("Ünïcode")).toHaveLength(1);
  });
});

describe("a common word when seq order is not id order", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ install: false });
  });
  afterAll(async () => {
    await db.drop();
  });

  it("lists what a scan lists when older ids were sealed after newer ones and are not indexed yet", async () => {
    const count = INDEXED_MATCH_LIMIT * 2 + 400;
    // A word in every event: common even among the half the index holds.
    const all = Array.from({ length: count }, (_, k) => event(k, { dense: "dense-hay" }));
    await db.db.transaction((tx) => appendAuditEvents(tx, all));
    const [first] = rowsOf<{ id: number | string }>(await db.db.execute(sql`select min(id) as id from audit_events`));
    const lowest = Number(first?.id);
    // The newer half is sealed first (as when a long transaction commits its older ids late), then the rest;
    // the index stops 100 events into the older half, so most ids far below the newest are matched by scan.
    while (((await sealBatch(db.db, { maxEvents: 1000, fromId: lowest + count / 2 }))?.sealed ?? 0) > 0);
    while (((await sealBatch(db.db, { maxEvents: 1000 }))?.sealed ?? 0) > 0);
    const through = count / 2 + 100;
    while ((await searchIndexedThrough(db.db)) < through) await indexAuditSearchBatch(db.db, 100);
    for (const q of ["dense-hay", "dense-hay actor:user:u3", "action:tool.called dense-hay"]) {
      const query = await resolveAuditQuery(db.db, parseAuditQueryOr400(q));
      expect(query.byScan?.common?.through, q).toBe(through);
      const want: number[] = [];
      let cursor: number | undefined;
      do {
        const page = await listAuditEvents(db.db, { limit: 500, cursor, extra: query.conditions });
        want.push(...page.events.map((e) => e.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      expect(
        want.some((id) => id < lowest + count / 2 - 200),
        q,
      ).toBe(true);
      for (const limit of [50, 333]) {
        const ids: number[] = [];
        do {
          const page = await listAuditQuery(db.db, query, { limit, cursor }, { recentWindow: 100, narrowLimit: 0 });
          ids.push(...page.events.map((e) => e.id));
          cursor = page.nextCursor ?? undefined;
        } while (cursor !== undefined);
        expect(ids, `${q}, pages of ${limit}`).toEqual(want);
      }
    }
  });
});
