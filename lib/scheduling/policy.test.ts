import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultCostWeights, liftOnReturn, pickNext, turnCost } from "./policy";
import { simulate, type SimRun } from "./simulate";

const MIN = defaultCostWeights.minTurnCost;

describe("turn cost", () => {
  it("is input + 2 × output tokens, never below the documented minimum", () => {
    expect(turnCost({ inputTokens: 1000, outputTokens: 200 })).toBe(1400);
    expect(turnCost({ inputTokens: 0, outputTokens: 0 })).toBe(MIN);
    expect(turnCost({ inputTokens: 10, outputTokens: 5 }, { inputWeight: 1, outputWeight: 4, minTurnCost: 1 })).toBe(
      30,
    );
  });

  it("lifts a returning key to one turn of credit below the minimum of the active keys, never lowers it", () => {
    expect(liftOnReturn(10, 500)).toBe(500);
    expect(liftOnReturn(10, 500, 100)).toBe(400);
    expect(liftOnReturn(450, 500, 100)).toBe(450);
    expect(liftOnReturn(900, 500, 100)).toBe(900);
    expect(liftOnReturn(10, null, 100)).toBe(10);
  });
});

describe("pickNext", () => {
  const run = (
    id: string,
    key: string,
    extra: Partial<{ priority: number; deadline: number; createdAt: number; runnableSince: number }> = {},
  ) => ({
    id,
    key,
    priority: extra.priority ?? 0,
    deadline: extra.deadline ?? null,
    createdAt: extra.createdAt ?? 0,
    runnableSince: extra.runnableSince ?? extra.createdAt ?? 0,
  });

  it("serves the key with the least virtual time, then earliest deadline, then age", () => {
    const v = new Map([
      ["a", 50],
      ["b", 10],
    ]);
    const runnable = [
      run("a1", "a"),
      run("b1", "b", { createdAt: 1 }),
      run("b2", "b", { createdAt: 2, deadline: 100 }),
    ];
    expect(pickNext({ now: 10, runnable, vtime: (k) => v.get(k) ?? 0, ageingMs: 1000 })?.id).toBe("b2");
  });

  it("serves the top class first, and a lower class once it has waited the ageing time", () => {
    const runnable = [run("hi", "a", { priority: 5, createdAt: 50 }), run("lo", "b", { priority: 0, createdAt: 0 })];
    expect(pickNext({ now: 999, runnable, vtime: () => 0, ageingMs: 1000 })?.id).toBe("hi");
    expect(pickNext({ now: 1000, runnable, vtime: () => 0, ageingMs: 1000 })?.id).toBe("lo");
  });
});

/** Random workloads: keys with weights, bursts at t=0 plus later arrivals, random token usage and durations. */
const workload = fc.record({
  slots: fc.integer({ min: 1, max: 4 }),
  weights: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 5 }),
  burst: fc.integer({ min: 20, max: 60 }),
  seed: fc.array(
    fc.tuple(fc.integer({ min: 0, max: 900 }), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 100, max: 5000 })),
    {
      minLength: 50,
      maxLength: 50,
    },
  ),
});

describe("VTC on a simulated clock (property)", () => {
  it("keeps backlogged keys' weighted service within (slots + 1) × max turn cost / min weight", () => {
    fc.assert(
      fc.property(workload, ({ slots, weights, burst, seed }) => {
        const keys = weights.map((_, i) => `k${i}`);
        const runs: SimRun[] = [];
        let maxCost = MIN;
        keys.forEach((key, ki) => {
          for (let i = 0; i < burst * (weights[ki] ?? 1); i++) {
            const [inTok, outTok, duration] = seed[(i * 7 + ki * 13) % seed.length] ?? [0, 0, 1];
            maxCost = Math.max(maxCost, turnCost({ inputTokens: inTok, outputTokens: outTok }));
            runs.push({
              id: `${key}-${i}`,
              key,
              arrival: 0,
              durationMs: duration,
              usage: { inputTokens: inTok, outputTokens: outTok },
            });
          }
        });
        const bound = ((slots + 1) * maxCost) / Math.min(...weights);
        let allBacklogged = true;
        let worst = 0;
        simulate(runs, {
          slots,
          weights: Object.fromEntries(keys.map((k, i) => [k, weights[i] ?? 1])),
          onPick: ({ backlogged }) => {
            if (backlogged.size < keys.length) allBacklogged = false;
            if (!allBacklogged) return;
            const vs = [...backlogged.values()];
            worst = Math.max(worst, Math.max(...vs) - Math.min(...vs));
          },
        });
        expect(worst).toBeLessThanOrEqual(bound);
      }),
      { numRuns: 60 },
    );
  });

  it("never starves: every run starts, and a key arriving mid-burst starts within a bounded number of turns", () => {
    fc.assert(
      fc.property(workload, fc.integer({ min: 0, max: 30_000 }), ({ slots, weights, burst, seed }, lateAt) => {
        const keys = weights.map((_, i) => `k${i}`);
        const runs: SimRun[] = [];
        let maxCost = MIN;
        keys.forEach((key, ki) => {
          for (let i = 0; i < burst * 3; i++) {
            const [inTok, outTok, duration] = seed[(i * 11 + ki) % seed.length] ?? [0, 0, 1];
            maxCost = Math.max(maxCost, turnCost({ inputTokens: inTok, outputTokens: outTok }));
            runs.push({
              id: `${key}-${i}`,
              key,
              arrival: (i % 5) * 1000,
              durationMs: duration,
              usage: { inputTokens: inTok, outputTokens: outTok },
            });
          }
        });
        runs.push({
          id: "late",
          key: "late",
          arrival: lateAt,
          durationMs: 1000,
          usage: { inputTokens: 10, outputTokens: 10 },
        });
        const startOrder: string[] = [];
        const result = simulate(runs, {
          slots,
          weights: Object.fromEntries(keys.map((k, i) => [k, weights[i] ?? 1])),
          onPick: ({ picked }) => startOrder.push(picked.id),
        });
        expect(result.started.size).toBe(runs.length);
        const lateStart = result.started.get("late") ?? Infinity;
        // Turns started after "late" arrived and before it started.
        const overtaking = runs.filter(
          (r) =>
            r.id !== "late" &&
            r.arrival <= lateAt &&
            (result.started.get(r.id) ?? 0) > lateAt &&
            (result.started.get(r.id) ?? 0) < lateStart,
        ).length;
        const perKey = (slots + 1) * Math.ceil(maxCost / MIN) * Math.max(...weights);
        expect(overtaking).toBeLessThanOrEqual(keys.length * perKey);
      }),
      { numRuns: 40 },
    );
  });

  it("ageing bound: a lower-class run under a flood of higher-class work starts within ageingMs + one turn", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1000, max: 20_000 }),
        fc.integer({ min: 100, max: 3000 }),
        (slots, ageingMs, turnMs) => {
          const runs: SimRun[] = [];
          for (let i = 0; i < 400; i++) {
            runs.push({
              id: `hi-${i}`,
              key: `hi${i % 3}`,
              priority: 10,
              arrival: Math.floor(i / 4) * 200,
              durationMs: turnMs,
              usage: { inputTokens: 500, outputTokens: 100 },
            });
          }
          runs.push({
            id: "lo",
            key: "lo",
            priority: 0,
            arrival: 50,
            durationMs: turnMs,
            usage: { inputTokens: 500, outputTokens: 100 },
          });
          const result = simulate(runs, { slots, ageingMs });
          const wait = (result.started.get("lo") ?? Infinity) - 50;
          expect(wait).toBeLessThanOrEqual(ageingMs + turnMs);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("a sparse key returning from idle takes the next free slot ahead of backlogged keys, once per arrival", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 50, max: 2000 }),
        fc.integer({ min: 0, max: 6 }),
        (slots, others, turnMs, extra) => {
          // Idle long enough that every backlogged key got more than one turn since its last claim: sooner,
          // its own virtual time still stands above theirs and it takes its share, not precedence.
          const spacing = 2 * others + 2 + extra;
          const usage = { inputTokens: 300, outputTokens: 100 };
          const runs: SimRun[] = [];
          for (let k = 0; k < others; k++)
            for (let i = 0; i < 100 * slots; i++)
              runs.push({ id: `b${k}-${i}`, key: `b${k}`, arrival: 0, durationMs: turnMs, usage });
          for (let i = 0; i < 8; i++)
            runs.push({ id: `s-${i}`, key: "sparse", arrival: 1 + i * spacing * turnMs, durationMs: turnMs, usage });
          const picks: { now: number; id: string }[] = [];
          const result = simulate(runs, { slots, onPick: ({ now, picked }) => picks.push({ now, id: picked.id }) });
          for (let i = 1; i < 8; i++) {
            const arrival = 1 + i * spacing * turnMs;
            const first = picks.find((p) => p.now >= arrival);
            // Its first run had no finished turn (no credit); every later one has one turn of it.
            expect(first?.id).toBe(`s-${i}`);
            expect(result.started.get(`s-${i}`)).toBe(first?.now);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it("is work-conserving: a slot never idles while a run is runnable", () => {
    const runs: SimRun[] = Array.from({ length: 200 }, (_, i) => ({
      id: `r${i}`,
      key: i % 10 === 0 ? "b" : "a",
      arrival: 0,
      durationMs: 1000,
      usage: { inputTokens: 100, outputTokens: 50 },
    }));
    const result = simulate(runs, { slots: 4 });
    expect(result.busyMs / (result.endMs * 4)).toBeGreaterThanOrEqual(0.99);
  });
});
