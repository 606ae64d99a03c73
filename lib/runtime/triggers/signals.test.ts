import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditEvents, runs, signalDeliveries } from "@/db/schema";
import type { Principal } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { registerJobDefinitions } from "@/lib/jobs/registry";
import { syncRegistry } from "@/lib/jobs/sync";
import { verifyAuditChain } from "@/lib/audit/verify";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { jobDeclaration, signalJob } from "@/tests/fixtures/jobs";
import { deliverSignal } from "./signals";

let handle: TestDatabase;
const operator: Principal = { kind: "token", id: "tok_ops", label: "ops-bot", role: "operator" };
const payload = { subject: "Printer on fire", body: "Help", customer: "c@acme.example" };

beforeAll(async () => {
  handle = await createTestDatabase();
  const defs = registerJobDefinitions([
    signalJob("triage-ticket", "ticket.created"),
    jobDeclaration({ id: "manual-only" }),
  ]);
  await syncRegistry(handle.db, defs);
});
afterAll(async () => {
  await handle.drop();
});

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

async function runCount(): Promise<number> {
  return (await handle.db.select().from(runs)).length;
}

describe("deliverSignal", () => {
  it("creates one run per subscribed job from the validated payload and audits the delivery", async () => {
    const delivery = await deliverSignal(handle.db, {
      name: "ticket.created",
      payload: { ...payload, extra: "dropped by the schema" },
      actor: operator,
    });
    expect(delivery.replayed).toBe(false);
    expect(delivery.runs).toHaveLength(1);
    const [run] = await handle.db
      .select()
      .from(runs)
      .where(eq(runs.id, delivery.runs[0] ?? ""));
    expect(run).toMatchObject({
      jobId: "triage-ticket",
      triggerKind: "signal",
      triggerRef: "ticket.created",
      actorKind: "token",
      actorId: "tok_ops",
      input: payload,
    });
    const [event] = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "signal.received"), eq(auditEvents.subjectId, "ticket.created")));
    expect(event).toMatchObject({ actorKind: "token", actorId: "tok_ops", actorLabel: "ops-bot" });
    expect(event?.payload).toMatchObject({ signal: "ticket.created", idempotencyKey: null, runIds: delivery.runs });
    expect(event?.authorization).toMatchObject({ permission: "signals.send", role: "operator" });
  });

  it("refuses an unknown signal with not_found and creates nothing", async () => {
    const before = await runCount();
    const error = await rejection(deliverSignal(handle.db, { name: "ticket.deleted", payload, actor: operator }));
    expect(error.code).toBe("not_found");
    expect(error.status).toBe(404);
    expect(await runCount()).toBe(before);
  });

  it("refuses a payload that does not match the declared schema with the zod issues", async () => {
    const before = await runCount();
    const error = await rejection(
      deliverSignal(handle.db, {
        name: "ticket.created",
        payload: { subject: "", body: "x", customer: "not-an-email" },
        actor: operator,
      }),
    );
    expect(error.status).toBe(400);
    const issues = error.details?.issues as { path: (string | number)[] }[];
    expect(issues.map((i) => i.path.join("."))).toEqual(expect.arrayContaining(["subject", "customer"]));
    expect(await runCount()).toBe(before);
  });

  it("with an Idempotency-Key answers the same runs again and creates nothing", async () => {
    const first = await deliverSignal(handle.db, {
      name: "ticket.created",
      payload,
      idempotencyKey: "evt-1",
      actor: operator,
    });
    const runsAfterFirst = await runCount();
    const auditAfterFirst = (await handle.db.select().from(auditEvents)).length;
    const again = await deliverSignal(handle.db, {
      name: "ticket.created",
      payload,
      idempotencyKey: "evt-1",
      actor: operator,
    });
    expect(again).toEqual({ runs: first.runs, replayed: true, woken: [] });
    expect(await runCount()).toBe(runsAfterFirst);
    expect((await handle.db.select().from(auditEvents)).length).toBe(auditAfterFirst);

    // Without a key, or with another key, the same payload is a new delivery.
    const other = await deliverSignal(handle.db, {
      name: "ticket.created",
      payload,
      idempotencyKey: "evt-2",
      actor: operator,
    });
    const unkeyed = await deliverSignal(handle.db, { name: "ticket.created", payload, actor: operator });
    expect(new Set([...first.runs, ...other.runs, ...unkeyed.runs]).size).toBe(3);
  });

  it("refuses a key reused with a different payload (409) and a malformed key (400)", async () => {
    await deliverSignal(handle.db, { name: "ticket.created", payload, idempotencyKey: "evt-3", actor: operator });
    const conflict = await rejection(
      deliverSignal(handle.db, {
        name: "ticket.created",
        payload: { ...payload, body: "different" },
        idempotencyKey: "evt-3",
        actor: operator,
      }),
    );
    expect(conflict.status).toBe(409);
    const bad = await rejection(
      deliverSignal(handle.db, { name: "ticket.created", payload, idempotencyKey: "has space", actor: operator }),
    );
    expect(bad.status).toBe(400);
  });

  it("concurrent duplicate requests all answer the same run ids and create one set of runs", async () => {
    const before = await runCount();
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        deliverSignal(handle.db, { name: "ticket.created", payload, idempotencyKey: "evt-race", actor: operator }),
      ),
    );
    const ids = new Set(results.map((r) => JSON.stringify(r.runs)));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(await runCount()).toBe(before + 1);
    const [row] = await handle.db
      .select()
      .from(signalDeliveries)
      .where(eq(signalDeliveries.idempotencyKey, "evt-race"));
    expect(row?.runIds).toEqual(results[0]?.runs);
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true });
  });
});
