import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { auditListQuerySchema, listAuditEvents, type AuditEvent } from "@/lib/audit";
import { recordAudit, sampleAuditInput } from "@/tests/audit/fixtures";

let handle: TestDatabase;
let all: AuditEvent[];

beforeAll(async () => {
  handle = await createTestDatabase();
  const actors = [
    { kind: "user" as const, id: "u1", label: "admin@flightdeck.local" },
    { kind: "token" as const, id: "t1", label: "ci" },
    { kind: "run" as const, id: "r1", label: "run r1" },
  ];
  for (let i = 0; i < 30; i += 1) {
    const actor = actors[i % 3] ?? actors[0];
    if (!actor) throw new Error("no actor");
    await recordAudit(
      sampleAuditInput({
        actor,
        action: i % 2 === 0 ? "run.created" : "run.cancelled",
        subject: { type: i % 5 === 0 ? "job" : "run", id: `s${i % 4}` },
        payload: { i },
      }),
    );
  }
  all = (await listAuditEvents(handle.db, { limit: 100 })).events;
});
afterAll(async () => {
  await handle.drop();
});

describe("listAuditEvents", () => {
  it("answers newest first and pages by cursor without overlap or loss", async () => {
    expect(all.map((e) => e.id)).toEqual(Array.from({ length: 30 }, (_, k) => 30 - k));
    const seen: number[] = [];
    let cursor: number | undefined;
    for (;;) {
      const page = await listAuditEvents(handle.db, { limit: 7, cursor });
      seen.push(...page.events.map((e) => e.id));
      if (page.nextCursor === null) break;
      expect(page.events).toHaveLength(7);
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(all.map((e) => e.id));
    const exact = await listAuditEvents(handle.db, { limit: 30 });
    expect(exact.nextCursor).toBeNull();
  });

  it("filters by action, actor, subject and time, combined", async () => {
    const byAction = await listAuditEvents(handle.db, { limit: 100, action: "run.cancelled" });
    expect(byAction.events.map((e) => e.id)).toEqual(all.filter((e) => e.action === "run.cancelled").map((e) => e.id));

    const byActor = await listAuditEvents(handle.db, { limit: 100, actorKind: "token", actorId: "t1" });
    expect(byActor.events).toHaveLength(10);
    expect(byActor.events.every((e) => e.actor.kind === "token" && e.actor.id === "t1")).toBe(true);

    const bySubject = await listAuditEvents(handle.db, { limit: 100, subjectType: "job", subjectId: "s0" });
    expect(bySubject.events.map((e) => e.id)).toEqual(
      all.filter((e) => e.subject.type === "job" && e.subject.id === "s0").map((e) => e.id),
    );

    const combined = await listAuditEvents(handle.db, { limit: 2, action: "run.created", actorKind: "user" });
    expect(combined.events.map((e) => e.id)).toEqual([25, 19]);
    const next = await listAuditEvents(handle.db, {
      limit: 2,
      action: "run.created",
      actorKind: "user",
      cursor: combined.nextCursor ?? 0,
    });
    expect(next.events.map((e) => e.id)).toEqual([13, 7]);

    const tenth = all.find((e) => e.id === 10);
    if (!tenth) throw new Error("missing event 10");
    const from = await listAuditEvents(handle.db, { limit: 100, from: new Date(tenth.ts) });
    expect(from.events.every((e) => e.ts >= tenth.ts)).toBe(true);
    expect(from.events.map((e) => e.id)).toContain(10);
    const to = await listAuditEvents(handle.db, { limit: 100, to: new Date(tenth.ts) });
    expect(to.events.every((e) => e.ts <= tenth.ts)).toBe(true);
    expect(to.events.map((e) => e.id)).toContain(10);
  });

  it("marks events sealed only once the sealer gave them a seq", () => {
    expect(all.every((e) => e.seq === null && !e.sealed)).toBe(true);
  });
});

describe("auditListQuerySchema", () => {
  it("parses query-string filters", () => {
    expect(
      auditListQuerySchema.parse({
        cursor: "40",
        limit: "10",
        action: "run.created",
        actorKind: "token",
        from: "2024-01-01T00:00:00Z",
        to: "2024-01-02T00:00:00.000+02:00",
      }),
    ).toEqual({
      cursor: 40,
      limit: 10,
      action: "run.created",
      actorKind: "token",
      from: new Date("2024-01-01T00:00:00Z"),
      to: new Date("2024-01-01T22:00:00Z"),
    });
    expect(auditListQuerySchema.parse({})).toEqual({ limit: 50 });
  });

  it.each([
    { cursor: "abc" },
    { cursor: "0" },
    { limit: "0" },
    { limit: "5000" },
    { actorKind: "robot" },
    { from: "yesterday" },
    { from: "2024-02-01T00:00:00Z", to: "2024-01-01T00:00:00Z" },
    { acton: "typo" },
    { action: "" },
  ])("refuses %o", (query) => {
    expect(auditListQuerySchema.safeParse(query).success).toBe(false);
  });
});
