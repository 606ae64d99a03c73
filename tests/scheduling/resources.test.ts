import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/db/rows";
import { resetEnvCache } from "@/lib/env";
import { acquireToolCall, chargeWrite } from "@/lib/resources/acquire";
import { requeueRefilledWaits } from "@/lib/resources/wake";
import { createRun } from "@/lib/runtime/create-run";
import { checkToolQuota } from "@/lib/tools/stages/quota";
import type { TestDatabase } from "@/tests/helpers/db";
import { operator, runtimeDatabase } from "@/tests/runtime/helpers";

let handle: TestDatabase;
beforeAll(async () => {
  handle = await runtimeDatabase();
});
afterEach(() => {
  delete process.env.FLIGHTDECK_TOOL_QUOTAS;
  delete process.env.FLIGHTDECK_WRITE_BUDGET_PER_MINUTE;
  resetEnvCache();
});
afterAll(async () => {
  await handle.drop();
});

const run = (key: string) =>
  handle.db.transaction((tx) =>
    createRun(tx, {
      jobId: "scripted",
      input: { turns: 1 },
      trigger: { kind: "manual" },
      actor: operator,
      fairShareKey: key,
    }),
  );

describe("rate-limited resources", () => {
  it("tool calls per minute, per key when configured so; write budgets per key", async () => {
    process.env.FLIGHTDECK_TOOL_QUOTAS = JSON.stringify({ http_fetch: { callsPerMinute: 2, perKey: true } });
    process.env.FLIGHTDECK_WRITE_BUDGET_PER_MINUTE = "1";
    resetEnvCache();
    const a = await run("quota-a");
    const b = await run("quota-b");
    expect(await acquireToolCall(handle.db, a.id, "http_fetch")).toEqual({ allowed: true });
    expect(await acquireToolCall(handle.db, a.id, "http_fetch")).toEqual({ allowed: true });
    expect(await acquireToolCall(handle.db, a.id, "http_fetch")).toMatchObject({
      allowed: false,
      resource: "tool:http_fetch",
    });
    expect(await acquireToolCall(handle.db, b.id, "http_fetch")).toEqual({ allowed: true });
    expect(await acquireToolCall(handle.db, a.id, "read_file")).toEqual({ allowed: true });
    expect(await chargeWrite(handle.db, "quota-a", "workspace")).toEqual({ allowed: true });
    expect(await chargeWrite(handle.db, "quota-a", "state")).toMatchObject({ allowed: false, resource: "writes" });
    expect(await chargeWrite(handle.db, "quota-b", "memory")).toEqual({ allowed: true });
  });

  it("a shared-memory write is charged to the key's write budget at the gateway; taking a lock is not", async () => {
    process.env.FLIGHTDECK_WRITE_BUDGET_PER_MINUTE = "1";
    resetEnvCache();
    const a = await run("memory-budget-a");
    const ask = (tool: string) =>
      checkToolQuota({ db: handle.db, runId: a.id, jobId: "scripted", tool, sideEffect: "workspace" });
    expect(await ask("memory_lock")).toEqual({ allowed: true });
    expect(await ask("memory_unlock")).toEqual({ allowed: true });
    expect(await ask("memory_write")).toEqual({ allowed: true });
    const refused = await ask("memory_write");
    expect(refused).toMatchObject({ allowed: false, resource: "writes" });
    expect(refused.allowed ? "" : refused.reason).toContain("memory write deferred");
    expect(await ask("memory_lock")).toEqual({ allowed: true });
  });

  it("wakes a resource wait when its window has refilled, not before", async () => {
    process.env.FLIGHTDECK_TOOL_QUOTAS = JSON.stringify({ http_fetch: { callsPerMinute: 1 } });
    resetEnvCache();
    const older = await run("wake-a");
    const fresh = await run("wake-b");
    await handle.db.execute(sql`
      update runs set state = 'waiting', state_reason = 'resource', waiting_for = 'tool:http_fetch',
        updated_at = case when id = ${older.id} then date_trunc('minute', now()) - interval '1 second' else now() end
      where id in (${older.id}, ${fresh.id})`);
    const result = await requeueRefilledWaits(handle.db, "t");
    expect(result.requeued).toBe(1);
    expect(result.nextInMs).not.toBeNull();
    const states = rowsOf<{ id: string; state: string }>(
      await handle.db.execute(sql`select id, state from runs where id in (${older.id}, ${fresh.id})`),
    );
    expect(Object.fromEntries(states.map((s) => [s.id, s.state]))).toEqual({
      [older.id]: "queued",
      [fresh.id]: "waiting",
    });
  });
});
