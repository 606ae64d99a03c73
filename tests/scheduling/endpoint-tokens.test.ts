import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { resourceWindows } from "@/db/schema";
import { checkpointTurn } from "@/lib/runtime/checkpoint";
import { claimNextRun, type ClaimedTurn } from "@/lib/runtime/claim";
import { turnContextFor } from "@/lib/runtime/execute-turn";
import { syncModelEndpoints } from "@/lib/runtime/model-endpoints";
import type { TestDatabase } from "@/tests/helpers/db";
import { deterministicExecutor } from "@/tests/runtime/fixtures/deterministic-executor";
import { getRun, newRun, runtimeDatabase } from "@/tests/runtime/helpers";

/**
 * Tokens per minute of a model endpoint: each claim reserves the key's estimated turn cost
 * (at least FLIGHTDECK_SCHEDULING_MIN_TURN_COST, 100) from the endpoint's current minute, the
 * checkpoint replaces it by the turn's real tokens, and a claim over the limit leaves the run
 * waiting for `resource:<endpoint>`. An endpoint without a limit reserves and records nothing.
 */
let handle: TestDatabase;
const executor = deterministicExecutor();

beforeAll(async () => {
  handle = await runtimeDatabase({ default: 4, narrow: 10 });
  await syncModelEndpoints(handle.db, [
    { name: "narrow", provider: "test", model: "test", maxConcurrency: 10, tokensPerMinute: 250 },
  ]);
});
afterAll(async () => {
  await handle.drop();
});

const claim = () => claimNextRun(handle.db, { workerId: "w", leaseMs: 30_000 });

async function complete(turn: ClaimedTurn, tokens: number) {
  const outcome = await checkpointTurn(handle.db, {
    claim: turn,
    workerId: "w",
    executor,
    context: turnContextFor(turn, new AbortController().signal, new Date(Date.now() + 60_000)),
    end: {
      kind: "result",
      result: {
        model: "test",
        messagesIn: [],
        messagesOut: [],
        toolCalls: [],
        usage: { inputTokens: tokens, outputTokens: 0 },
        outcome: { kind: "continue" },
      },
    },
  });
  expect(outcome).toBe("applied");
}

async function windowUsed(endpoint: string): Promise<number[]> {
  const rows = await handle.db
    .select({ used: resourceWindows.used })
    .from(resourceWindows)
    .where(eq(resourceWindows.resource, `endpoint:${endpoint}`));
  return rows.map((r) => Number(r.used));
}

describe("endpoint tokens per minute", () => {
  it("reserves at claim, settles at checkpoint, holds a run back over the limit; an unlimited endpoint records nothing", async () => {
    // All of it inside one minute window: start early in a minute.
    const second = new Date().getSeconds();
    if (second > 45) await new Promise((resolve) => setTimeout(resolve, (61 - second) * 1000));

    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await newRun(handle.db, "other-endpoint", { turns: 5 })).id);
    const first = await claim();
    const secondClaim = await claim();
    expect([first?.run.id, secondClaim?.run.id]).toEqual(ids.slice(0, 2));
    expect(await windowUsed("narrow")).toEqual([200]);
    // 200 + 100 > 250: the third waits for the endpoint's tokens.
    expect(await claim()).toBeNull();
    expect((await getRun(handle.db, ids[2] ?? "")).stateReason).toBe("resource:narrow");

    // The first turn used 30 tokens, not the 100 reserved: the window gives 70 back, and one more turn fits
    // (the first run's next turn: the oldest run of the key comes first).
    if (!first || !secondClaim) throw new Error("claims missing");
    await complete(first, 30);
    expect(await windowUsed("narrow")).toEqual([130]);
    const next = await claim();
    expect(next?.run.modelEndpoint).toBe("narrow");
    expect(await windowUsed("narrow")).toEqual([230]);
    expect(await claim()).toBeNull();

    // The default endpoint has no limit: no window row at claim or at checkpoint.
    const free = await newRun(handle.db, "scripted", { turns: 5 });
    const onDefault = await claim();
    expect(onDefault?.run.id).toBe(free.id);
    if (!onDefault) throw new Error("claim missing");
    await complete(onDefault, 500);
    expect(await windowUsed("default")).toEqual([]);
  });
});
