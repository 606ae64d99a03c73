import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Role } from "@/db/schema";
import { auditEvents, auditLog, flashcards, memoryEntities, memoryHistory, memoryLocks, runs } from "@/db/schema";
import { systemPrincipal } from "@/lib/audit";
import { registerCollections, sweepLockQueues } from "@/lib/memory";
import { invokeTool, registerBuiltinTools } from "@/lib/tools";
import { createApiToken } from "@/lib/tokens";
import { transitionRun } from "@/lib/runtime/transitions";
import { serveRoutes, type TestServer } from "@/tests/auth/http";
import * as memoryRoute from "@/app/api/memory/route";
import * as entityRoute from "@/app/api/memory/[collection]/[key]/route";
import * as revertRoute from "@/app/api/runs/[id]/revert-writes/route";
import * as locksRoute from "@/app/api/locks/route";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { auditFor, installJobs, newRun, scopeFor, testJob } from "../helpers/agent-fixtures";

/**
 * Shared memory and locks through the tool gateway on a real database, and the memory
 * routes over loopback HTTP: provenance on every write, bad input as audited error results,
 * version conflicts, FIFO locks that park and are granted, deadlock victims, revert.
 */
let handle: TestDatabase;
let server: TestServer;
const tokens = new Map<Role, string>();

const tools = ["memory_read", "memory_write", "memory_list", "memory_lock", "memory_unlock"];
const writer = testJob({
  id: "mem-writer",
  agent: { model: "default", instructions: "t", tools, maxTurns: 5 },
  memory: { write: ["cards"] },
});
const reader = testJob({ id: "mem-reader", agent: { model: "default", instructions: "t", tools, maxTurns: 5 } });
const urgent = testJob({
  id: "mem-urgent",
  agent: { model: "default", instructions: "t", tools, maxTurns: 5 },
  memory: { write: ["cards"] },
  scheduling: { group: "tests", weight: 1, priority: 5 },
});

beforeAll(async () => {
  handle = await createTestDatabase();
  registerBuiltinTools();
  registerCollections([
    {
      name: "cards",
      description: "test cards",
      schema: z.strictObject({ title: z.string(), priority: z.enum(["low", "high"]).optional() }),
    },
    { name: "other", description: "another", schema: z.record(z.string(), z.json()) },
  ]);
  await installJobs(handle.db, [writer, reader, urgent]);
  server = await serveRoutes({
    "/api/memory": memoryRoute,
    "/api/memory/[collection]/[key]": entityRoute,
    "/api/runs/[id]/revert-writes": revertRoute,
    "/api/locks": locksRoute,
  });
  for (const role of ["reviewer", "lead"] as const) {
    tokens.set(role, (await createApiToken(handle.db, systemPrincipal("tests"), { name: `mem-${role}`, role })).token);
  }
});
afterAll(async () => {
  await server.close();
  await handle.drop();
});

let n = 0;
const call = (toolName: string, input: unknown, turnIndex = 0) => ({
  toolCallId: `m${n}`,
  toolName,
  input,
  turnIndex,
  callIndex: n++,
});

async function http(method: string, path: string, role: Role | null, body?: unknown) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  const token = role ? tokens.get(role) : undefined;
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe("memory tools", () => {
  it("writes with provenance, reads, lists, and refuses a stale expectedVersion without writing", async () => {
    const runId = await newRun(handle.db, writer.id);
    const scope = await scopeFor(handle.db, runId, writer);
    const first = await invokeTool(
      scope,
      call("memory_write", { entity: "cards/a1", value: { title: "first" }, expectedVersion: 0 }, 2),
    );
    expect(first).toMatchObject({ outcome: "succeeded", output: { entity: "cards/a1", version: 1, written: true } });
    const second = await invokeTool(
      scope,
      call("memory_write", { entity: "cards/a1", value: { title: "second", priority: "high" }, expectedVersion: 1 }, 3),
    );
    expect(second.output).toMatchObject({ version: 2 });
    const stale = await invokeTool(
      scope,
      call("memory_write", { entity: "cards/a1", value: { title: "stale" }, expectedVersion: 1 }, 3),
    );
    expect(stale.outcome).toBe("failed");
    expect(stale.error).toMatch(/version conflict on cards\/a1: expected version 1, it is at version 2/);

    const read = await invokeTool(scope, call("memory_read", { entity: "cards/a1" }));
    expect(read.output).toMatchObject({
      found: true,
      version: 2,
      value: { title: "second", priority: "high" },
      updatedByRun: runId,
    });
    const list = await invokeTool(scope, call("memory_list", { collection: "cards", prefix: "a" }));
    expect(list.output).toMatchObject({
      collection: "cards",
      entities: [{ entity: "cards/a1", version: 2 }],
      more: false,
    });

    const history = await handle.db
      .select()
      .from(memoryHistory)
      .where(eq(memoryHistory.key, "a1"))
      .orderBy(memoryHistory.version);
    expect(history).toHaveLength(2);
    expect(history[1]).toMatchObject({
      kind: "write",
      version: 2,
      before: { title: "first" },
      after: { title: "second", priority: "high" },
      runId,
      jobId: writer.id,
      turnIndex: 3,
      toolCallKey: second.key,
      actorKind: "run",
    });
    expect(history[1]?.jobVersion).toMatch(/\w+/);
    expect(history[1]?.authorization).toMatchObject({ via: "job-governance", authorizedBy: "jane.doe@acme.example" });
    const events = await handle.db.select().from(memoryHistory);
    expect(events.length).toBe(2);
    const written = await handle.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "memory.written"), eq(auditLog.actorId, runId)))
      .orderBy(auditLog.seq);
    expect(written.map((e) => [e.subjectId, e.payload.version])).toEqual([
      ["cards/a1", 1],
      ["cards/a1", 2],
    ]);
  });

  it("answers bad input with an error result audited as a policy event, writing nothing", async () => {
    const runId = await newRun(handle.db, writer.id);
    const scope = await scopeFor(handle.db, runId, writer);
    const cases: [string, unknown, RegExp][] = [
      ["memory_write", { entity: "no-slash", value: {} }, /malformed entity name/],
      ["memory_write", { entity: "nope/x", value: {} }, /unknown collection "nope"/],
      [
        "memory_write",
        { entity: "cards/x", value: { title: 3 } },
        /refused by the schema of collection "cards": title/,
      ],
      ["memory_write", { entity: "other/x", value: { a: 1 } }, /may not write collection "other"/],
      ["memory_unlock", { entity: "cards/x" }, /holds no lock on cards\/x/],
      ["memory_lock", { entity: "Bad Name/x", mode: "exclusive" }, /malformed entity name/],
      ["memory_list", { collection: "nope" }, /unknown collection/],
    ];
    for (const [tool, input, message] of cases) {
      const result = await invokeTool(scope, call(tool, input));
      expect(result.outcome, tool).toBe("refused");
      expect(result.error).toMatch(message);
    }
    const violations = await auditFor(handle.db, runId, "memory.policy_violation");
    expect(violations.map((v) => v.payload.reason)).toEqual([
      "malformed_entity",
      "unknown_collection",
      "schema",
      "write_not_allowed",
      "not_held",
      "malformed_entity",
      "unknown_collection",
    ]);
    expect(await handle.db.select().from(memoryEntities).where(eq(memoryEntities.key, "x"))).toEqual([]);
    // The read-only job may read but not write.
    const readOnly = await scopeFor(handle.db, await newRun(handle.db, reader.id), reader);
    expect((await invokeTool(readOnly, call("memory_read", { entity: "cards/a1" }))).outcome).toBe("succeeded");
    expect(
      (await invokeTool(readOnly, call("memory_write", { entity: "cards/a1", value: { title: "x" } }))).error,
    ).toMatch(/may not write/);
  });
});

describe("locks", () => {
  it("parks a conflicting request, grants FIFO on release, and never lets a shared request overtake an exclusive waiter", async () => {
    const [a, b, c] = [
      await newRun(handle.db, writer.id),
      await newRun(handle.db, writer.id),
      await newRun(handle.db, writer.id),
    ];
    const [sa, sb, sc] = [
      await scopeFor(handle.db, a, writer),
      await scopeFor(handle.db, b, writer),
      await scopeFor(handle.db, c, writer),
    ];
    expect((await invokeTool(sa, call("memory_lock", { entity: "cards/l1", mode: "shared" }))).outcome).toBe(
      "succeeded",
    );
    const bLock = call("memory_lock", { entity: "cards/l1", mode: "exclusive" });
    const parked = await invokeTool(sb, bLock);
    expect(parked).toMatchObject({ outcome: "deferred", waitingFor: "lock:cards/l1" });
    // c asks shared: compatible with a, but b (exclusive) is ahead in the queue.
    expect((await invokeTool(sc, call("memory_lock", { entity: "cards/l1", mode: "shared" }))).outcome).toBe(
      "deferred",
    );
    const locks = await http("GET", "/api/locks?entity=cards/l1", "reviewer");
    expect((locks.json.locks as { runId: string; status: string }[]).map((l) => [l.runId, l.status])).toEqual([
      [a, "held"],
      [b, "waiting"],
      [c, "waiting"],
    ]);
    expect((await invokeTool(sa, call("memory_unlock", { entity: "cards/l1" }))).outcome).toBe("succeeded");
    // The same call, resumed under its own key, now runs.
    const resumed = await invokeTool(sb, bLock);
    expect(resumed).toMatchObject({
      outcome: "succeeded",
      output: { entity: "cards/l1", mode: "exclusive", held: true },
    });
    const rows = await handle.db
      .select()
      .from(memoryLocks)
      .where(eq(memoryLocks.entity, "cards/l1"))
      .orderBy(memoryLocks.seq);
    expect(rows.map((r) => [r.runId, r.status])).toEqual([
      [b, "held"],
      [c, "waiting"],
    ]);
    // A finished run releases everything: c is granted.
    await handle.db.transaction(async (tx) => {
      await transitionRun(tx, b, "cancelled", {
        actor: { kind: "system", id: "t", label: "t" },
        authorization: { via: "system" },
        reason: "operator",
      });
    });
    const [cRow] = await handle.db.select().from(memoryLocks).where(eq(memoryLocks.entity, "cards/l1"));
    expect(cRow).toMatchObject({ runId: c, status: "held" });
  });

  it("refuses a write under another run's lock, naming the holder and writing nothing; the holder writes, and anyone after the release", async () => {
    const [holder, intruder] = [await newRun(handle.db, writer.id), await newRun(handle.db, writer.id)];
    const [sh, si] = [await scopeFor(handle.db, holder, writer), await scopeFor(handle.db, intruder, writer)];
    expect((await invokeTool(sh, call("memory_lock", { entity: "cards/w1", mode: "exclusive" }))).outcome).toBe(
      "succeeded",
    );
    const refused = await invokeTool(si, call("memory_write", { entity: "cards/w1", value: { title: "mine" } }));
    expect(refused.outcome).toBe("refused");
    expect(refused.error).toMatch(new RegExp(`cards/w1 is locked \\(exclusive\\) by run ${holder.slice(0, 8)}`));
    const [violation] = await auditFor(handle.db, intruder, "memory.policy_violation");
    expect(violation?.payload).toMatchObject({ reason: "locked_by_another_run", holder });
    expect(await handle.db.select().from(memoryEntities).where(eq(memoryEntities.key, "w1"))).toEqual([]);
    expect(
      (await invokeTool(sh, call("memory_write", { entity: "cards/w1", value: { title: "held" } }, 1))).outcome,
    ).toBe("succeeded");
    expect((await invokeTool(sh, call("memory_unlock", { entity: "cards/w1" }, 1))).outcome).toBe("succeeded");
    expect(
      (await invokeTool(si, call("memory_write", { entity: "cards/w1", value: { title: "after" } }, 1))).outcome,
    ).toBe("succeeded");
  });

  it("refuses the deadlock victim's request (lowest priority, then youngest) with an error naming the other run, and audits the cycle", async () => {
    const older = await newRun(handle.db, writer.id);
    const younger = await newRun(handle.db, writer.id);
    const important = await newRun(handle.db, urgent.id);
    const [so, sy, si] = [
      await scopeFor(handle.db, older, writer),
      await scopeFor(handle.db, younger, writer),
      await scopeFor(handle.db, important, urgent),
    ];
    await invokeTool(so, call("memory_lock", { entity: "cards/d1", mode: "exclusive" }));
    await invokeTool(sy, call("memory_lock", { entity: "cards/d2", mode: "exclusive" }));
    expect((await invokeTool(so, call("memory_lock", { entity: "cards/d2", mode: "exclusive" }))).outcome).toBe(
      "deferred",
    );
    // younger closes the cycle; it is the younger of two equal priorities: its own request is refused.
    const refused = await invokeTool(sy, call("memory_lock", { entity: "cards/d1", mode: "exclusive" }));
    expect(refused.outcome).toBe("refused");
    expect(refused.error).toContain(`deadlock with run ${older}`);
    const [event] = await auditFor(handle.db, younger, "memory.deadlock");
    expect(event?.payload).toMatchObject({ victim: { runId: younger, entity: "cards/d1" } });
    expect((event?.payload.cycle as unknown[]).length).toBe(2);
    // A lead hears of it: a deadlock card on the victim, naming both runs as evidence.
    const cards = await handle.db.select().from(flashcards).where(eq(flashcards.kind, "deadlock"));
    const card = cards.find((c) => c.runId === younger);
    expect(card).toMatchObject({ state: "open", severity: "warning", entity: "cards/d1" });
    expect(card?.evidence.map((e) => e.id).sort()).toEqual([older, younger].sort());
    expect(card?.why).toContain(younger);
    const [raised] = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "flashcard.raised"), eq(auditEvents.subjectId, card?.id ?? "")));
    expect(raised?.payload).toMatchObject({ kind: "deadlock" });

    // Now a cycle where the requester outranks the other run: the other run's waiting request is refused.
    await invokeTool(si, call("memory_lock", { entity: "cards/d3", mode: "exclusive" }));
    const waitLow = call("memory_lock", { entity: "cards/d3", mode: "exclusive" });
    expect((await invokeTool(sy, waitLow)).outcome).toBe("deferred");
    // important wants d2 (held by younger): cycle important → younger → important; victim younger (priority 0 < 5).
    expect((await invokeTool(si, call("memory_lock", { entity: "cards/d2", mode: "exclusive" }))).outcome).toBe(
      "deferred",
    );
    const victimAgain = await invokeTool(sy, waitLow);
    expect(victimAgain.outcome).toBe("refused");
    expect(victimAgain.error).toContain(`deadlock with run ${important}`);
    // No false deadlock: the older run's wait for d2 is still just a wait.
    const [olderRow] = await handle.db
      .select()
      .from(memoryLocks)
      .where(and(eq(memoryLocks.runId, older), eq(memoryLocks.entity, "cards/d2")));
    expect(olderRow?.status).toBe("waiting");
  });
});

describe("lock wait timeout", () => {
  it("a wait past its timeout ends in an error result, and the queue moves on", async () => {
    const holder = await newRun(handle.db, writer.id);
    const waiter = await newRun(handle.db, writer.id);
    await invokeTool(
      await scopeFor(handle.db, holder, writer),
      call("memory_lock", { entity: "cards/t1", mode: "exclusive" }),
    );
    const scope = await scopeFor(handle.db, waiter, writer);
    const request = call("memory_lock", { entity: "cards/t1", mode: "exclusive", timeoutMs: 1 });
    expect((await invokeTool(scope, request)).outcome).toBe("deferred");
    await new Promise((r) => setTimeout(r, 20));
    expect(await sweepLockQueues(handle.db)).toContain(waiter);
    const timedOut = await invokeTool(scope, request);
    expect(timedOut.outcome).toBe("refused");
    expect(timedOut.error).toMatch(/the wait for cards\/t1 timed out after \d+ ms/);
    expect(await handle.db.select().from(memoryLocks).where(eq(memoryLocks.runId, waiter))).toEqual([]);
  });
});

describe("memory routes and revert", () => {
  it("serves collections and an entity with its history; reverts a run's writes as new attributed writes, listing conflicts unless forced", async () => {
    const runA = await newRun(handle.db, writer.id);
    const runB = await newRun(handle.db, writer.id);
    const sa = await scopeFor(handle.db, runA, writer);
    const sb = await scopeFor(handle.db, runB, writer);
    await invokeTool(sb, call("memory_write", { entity: "cards/r1", value: { title: "original" } }));
    await invokeTool(sa, call("memory_write", { entity: "cards/r1", value: { title: "garbage" } }));
    await invokeTool(sa, call("memory_write", { entity: "cards/r2", value: { title: "created by A" } }));
    await invokeTool(sa, call("memory_write", { entity: "cards/r3", value: { title: "A's" } }));
    await invokeTool(sb, call("memory_write", { entity: "cards/r3", value: { title: "B after A" } }));

    const collections = await http("GET", "/api/memory", "reviewer");
    expect(collections.status).toBe(200);
    expect(collections.json.collections).toEqual(expect.arrayContaining([expect.objectContaining({ name: "cards" })]));
    const entity = await http("GET", "/api/memory/cards/r1", "reviewer");
    expect(entity.status).toBe(200);
    expect(entity.json).toMatchObject({ entity: "cards/r1", version: 2, value: { title: "garbage" } });
    expect((entity.json.history as { runId: string; version: number }[]).map((h) => [h.version, h.runId])).toEqual([
      [2, runA],
      [1, runB],
    ]);
    expect((await http("GET", "/api/memory/cards/never", "reviewer")).status).toBe(404);
    expect((await http("GET", "/api/memory/nope/x", "reviewer")).status).toBe(404);

    expect((await http("POST", `/api/runs/${runA}/revert-writes`, "reviewer", { dryRun: true })).status).toBe(403);
    expect((await http("POST", `/api/runs/${runA}/revert-writes`, "lead", {})).status).toBe(400);
    const preview = await http("POST", `/api/runs/${runA}/revert-writes`, "lead", { dryRun: true });
    expect(preview.status).toBe(200);
    expect(preview.json).toMatchObject({ dryRun: true, reverted: 2, conflicts: ["cards/r3"] });
    expect((await handle.db.select().from(memoryHistory).where(eq(memoryHistory.kind, "revert"))).length).toBe(0);

    const applied = await http("POST", `/api/runs/${runA}/revert-writes`, "lead", { dryRun: false });
    expect(applied.json).toMatchObject({ dryRun: false, reverted: 2, conflicts: ["cards/r3"] });
    const r1 = await http("GET", "/api/memory/cards/r1", "reviewer");
    expect(r1.json).toMatchObject({ version: 3, value: { title: "original" } });
    expect((r1.json.history as Record<string, unknown>[])[0]).toMatchObject({
      kind: "revert",
      revertsRun: runA,
      runId: null,
      actor: { kind: "token" },
    });
    const r2 = await http("GET", "/api/memory/cards/r2", "reviewer");
    expect(r2.json).toMatchObject({ exists: false, version: 2 });
    const r3 = await http("GET", "/api/memory/cards/r3", "reviewer");
    expect(r3.json).toMatchObject({ value: { title: "B after A" } });

    const forced = await http("POST", `/api/runs/${runA}/revert-writes`, "lead", {
      dryRun: false,
      force: ["cards/r3"],
    });
    expect(forced.json).toMatchObject({ reverted: 1, conflicts: [] });
    expect((await http("GET", "/api/memory/cards/r3", "reviewer")).json).toMatchObject({ exists: false });
    const [audit] = await auditFor(handle.db, runA, "memory.reverted");
    expect(audit?.payload).toMatchObject({ reverted: ["cards/r1", "cards/r2"], conflicts: ["cards/r3"] });
    expect((await http("POST", "/api/runs/no-such-run/revert-writes", "lead", { dryRun: true })).status).toBe(404);
    const [run] = await handle.db.select({ id: runs.id }).from(runs).where(eq(runs.id, runA));
    expect(run?.id).toBe(runA);
  });
});
