import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/db/rows";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { appendAuditEvents, sealBatch } from "@/lib/audit";
import { refusal, sampleAuditInput } from "@/tests/audit/fixtures";

let handle: TestDatabase;
beforeAll(async () => {
  handle = await createTestDatabase();
  await handle.db.transaction((tx) =>
    appendAuditEvents(
      tx,
      Array.from({ length: 6 }, (_, i) => sampleAuditInput({ payload: { i } })),
    ),
  );
  await sealBatch(handle.db);
  // two more, left unsealed
  await handle.db.transaction((tx) =>
    appendAuditEvents(tx, [sampleAuditInput({ action: "late.a" }), sampleAuditInput({ action: "late.b" })]),
  );
});
afterAll(async () => {
  await handle.drop();
});

describe("the database guards the audit tables", () => {
  it("has every guard trigger enabled ALWAYS", async () => {
    const rows = rowsOf<{ rel: string; tgname: string; tgenabled: string }>(
      await handle.db.execute(sql`
        select tgrelid::regclass::text as rel, tgname, tgenabled::text as tgenabled from pg_trigger
        where tgrelid in ('audit_events'::regclass, 'audit_seqs'::regclass, 'audit_tree_nodes'::regclass, 'audit_checkpoints'::regclass, 'audit_rejections'::regclass)
          and not tgisinternal order by 1, 2`),
    );
    expect(rows.map((r) => `${r.rel}.${r.tgname}:${r.tgenabled}`)).toEqual([
      "audit_checkpoints.audit_checkpoints_no_change:A",
      "audit_checkpoints.audit_checkpoints_no_truncate:A",
      "audit_events.audit_events_insert_check:A",
      "audit_events.audit_events_no_truncate:A",
      "audit_events.audit_events_no_update_delete:A",
      "audit_rejections.audit_rejections_no_change:A",
      "audit_rejections.audit_rejections_no_truncate:A",
      "audit_seqs.audit_seqs_no_change:A",
      "audit_seqs.audit_seqs_no_truncate:A",
      "audit_tree_nodes.audit_tree_nodes_no_change:A",
      "audit_tree_nodes.audit_tree_nodes_no_truncate:A",
    ]);
  });

  for (const replica of [false, true]) {
    const mode = replica ? "under session_replication_role = replica" : "normally";
    const attempt = (statement: ReturnType<typeof sql>) =>
      refusal(() =>
        handle.db.transaction(async (tx) => {
          if (replica) await tx.execute(sql`set local session_replication_role = replica`);
          await tx.execute(statement);
        }),
      );

    it(`refuses every UPDATE of an event, sealed or not ${mode}`, async () => {
      const sealed = sql`(select event_id from audit_seqs where seq = 3)`;
      expect(await attempt(sql`update audit_events set actor_label = 'mallory' where id = ${sealed}`)).toMatch(
        /append-only: UPDATE refused/,
      );
      expect(await attempt(sql`update audit_events set payload = '{}' where action = 'late.a'`)).toMatch(
        /append-only: UPDATE refused/,
      );
      expect(await attempt(sql`update audit_events set mac = 'x' where action = 'late.a'`)).toMatch(
        /append-only: UPDATE refused/,
      );
    });

    it(`refuses UPDATE, DELETE and TRUNCATE of the seqs ${mode}`, async () => {
      expect(await attempt(sql`update audit_seqs set seq = 99 where seq = 3`)).toMatch(
        /audit_seqs is append-only: UPDATE refused/,
      );
      expect(await attempt(sql`update audit_seqs set event_id = event_id + 1 where seq = 3`)).toMatch(
        /audit_seqs is append-only: UPDATE refused/,
      );
      expect(await attempt(sql`delete from audit_seqs where seq = 3`)).toMatch(/audit_seqs is append-only: DELETE/);
      expect(await attempt(sql`truncate audit_seqs`)).toMatch(/audit_seqs is append-only: TRUNCATE/);
    });

    it(`refuses DELETE and TRUNCATE ${mode}`, async () => {
      expect(
        await attempt(sql`delete from audit_events where id = (select event_id from audit_seqs where seq = 3)`),
      ).toMatch(/append-only: DELETE refused/);
      expect(await attempt(sql`delete from audit_events where action = 'late.a'`)).toMatch(
        /append-only: DELETE refused/,
      );
      expect(await attempt(sql`truncate audit_events`)).toMatch(/append-only: TRUNCATE refused/);
    });

    it(`refuses an INSERT whose ts no reader can hold (±infinity, past a JavaScript date) ${mode}`, async () => {
      for (const ts of ["infinity", "-infinity", "294000-01-01T00:00:00Z"])
        expect(
          await attempt(sql`insert into audit_events (ts, actor_kind, actor_label, action, subject_type, "authorization", payload, nonce, mac)
            values (${ts}::timestamptz, 'user', 'm', 'approval.approved', 'run', '{}', '{}', 'n', 'forged')`),
          ts,
        ).toMatch(/not a time an event can have/);
    });

    it(`refuses an INSERT without a MAC ${mode}`, async () => {
      expect(
        await attempt(sql`insert into audit_events (ts, actor_kind, actor_label, action, subject_type, "authorization", payload)
          values (now(), 'user', 'm', 'x', 'y', '{}', '{}')`),
      ).toMatch(/inserted with its nonce and MAC/);
    });

    it(`refuses changes to the tree, checkpoints and rejections ${mode}`, async () => {
      for (const table of ["audit_tree_nodes", "audit_checkpoints", "audit_rejections"]) {
        // (no rejection exists yet: a row trigger has nothing to refuse there)
        if (table !== "audit_rejections")
          expect(await attempt(sql.raw(`delete from ${table}`))).toMatch(new RegExp(`${table} is append-only: DELETE`));
        expect(await attempt(sql.raw(`truncate ${table}`))).toMatch(new RegExp(`${table} is append-only: TRUNCATE`));
      }
      expect(await attempt(sql`update audit_tree_nodes set hash = '\\x00' where level = 0 and idx = 0`)).toMatch(
        /append-only: UPDATE/,
      );
      expect(await attempt(sql`update audit_checkpoints set note = 'x'`)).toMatch(/append-only: UPDATE/);
    });
  }

  it("left every event in place", async () => {
    const rows = rowsOf<{ n: number | string; sealed: number | string }>(
      await handle.db.execute(sql`select count(*) as n, count(seq) as sealed from audit_log`),
    );
    expect(rows.map((r) => [Number(r.n), Number(r.sealed)])).toEqual([[8, 6]]);
  });

  it("gives the least-privilege role INSERT and SELECT on the audit tables, SELECT on the view, and no ownership", async () => {
    const privileges = rowsOf<{ t: string; p: string }>(
      await handle.db.execute(sql`
        select table_name as t, string_agg(privilege_type, ',' order by privilege_type) as p
        from information_schema.role_table_grants
        where grantee = 'flightdeck_app'
          and table_name in ('audit_events', 'audit_seqs', 'audit_log', 'audit_tree_nodes', 'audit_checkpoints', 'audit_rejections', 'audit_search')
        group by table_name order by table_name`),
    );
    expect(privileges).toEqual([
      { t: "audit_checkpoints", p: "INSERT,SELECT" },
      { t: "audit_events", p: "INSERT,SELECT" },
      { t: "audit_log", p: "SELECT" },
      { t: "audit_rejections", p: "INSERT,SELECT" },
      { t: "audit_search", p: "INSERT,SELECT" },
      { t: "audit_seqs", p: "INSERT,SELECT" },
      { t: "audit_tree_nodes", p: "INSERT,SELECT" },
    ]);
    const columns = rowsOf<{ c: string }>(
      await handle.db.execute(sql`
        select column_name as c from information_schema.column_privileges
        where grantee = 'flightdeck_app' and table_name like 'audit%' and privilege_type = 'UPDATE'`),
    );
    expect(columns).toEqual([]);
    const owners = rowsOf<{ owner: string }>(
      await handle.db.execute(sql`select tableowner as owner from pg_tables where tablename like 'audit%'`),
    );
    expect(owners.length).toBeGreaterThanOrEqual(6);
    expect(owners.map((o) => o.owner)).not.toContain("flightdeck_app");
  });
});
