import { describe, expect, it } from "vitest";
import { ANOMALY_MIN_SAMPLES, TokenNorms } from "./anomaly";
import { detectBudget, type BudgetSnapshot } from "./budget";
import { detectFailures } from "./failures";
import { detectNotice } from "./notice";
import { detectPolicy } from "./policy";
import { detectRecoveryLoop, detectStuckWait } from "./stuck";

const run = (over: Partial<BudgetSnapshot> = {}): BudgetSnapshot => ({
  id: "r1",
  jobId: "triage",
  tokensUsed: 0,
  turnsUsed: 0,
  budgetTokens: 1000,
  budgetTurns: 10,
  budgetWallClockMs: 100_000,
  startedAt: null,
  ...over,
});

describe("budget detector", () => {
  it("flags the turn that crosses 80% of tokens, once", () => {
    expect(detectBudget(run({ tokensUsed: 700 }), run({ tokensUsed: 790 }), 0, 0)).toEqual([]);
    const [card] = detectBudget(run({ tokensUsed: 790 }), run({ tokensUsed: 850 }), 0, 0);
    expect(card).toMatchObject({ kind: "budget", fingerprint: "budget:r1:tokens", severity: "warning", runId: "r1" });
    expect(card?.why).toMatch(/850 of 1000 tokens/);
    expect(detectBudget(run({ tokensUsed: 850 }), run({ tokensUsed: 900 }), 0, 0)).toEqual([]);
  });

  it("flags turns and wall clock, critical when the crossing jumps past 100%", () => {
    expect(detectBudget(run({ turnsUsed: 7 }), run({ turnsUsed: 8 }), 0, 0).map((c) => c.fingerprint)).toEqual([
      "budget:r1:turns",
    ]);
    const started = new Date(1_000_000);
    const wall = detectBudget(
      run({ startedAt: started }),
      run({ startedAt: started }),
      1_000_000 + 70_000,
      1_000_000 + 85_000,
    );
    expect(wall.map((c) => c.fingerprint)).toEqual(["budget:r1:wall_clock"]);
    const over = detectBudget(run({ tokensUsed: 100 }), run({ tokensUsed: 1200 }), 0, 0);
    expect(over[0]?.severity).toBe("critical");
  });
});

describe("anomaly detector", () => {
  it("learns a job's usual turn size and flags a turn far above it", () => {
    const norms = new TokenNorms();
    for (let i = 0; i < ANOMALY_MIN_SAMPLES; i++)
      expect(norms.observe({ runId: "r", jobId: "j", turnIndex: i, tokens: 500 })).toBeNull();
    expect(norms.observe({ runId: "r", jobId: "j", turnIndex: 10, tokens: 1200 })).toBeNull();
    const card = norms.observe({ runId: "r2", jobId: "j", turnIndex: 3, tokens: 9000 });
    expect(card).toMatchObject({ kind: "anomaly", fingerprint: "anomaly:j:turn_tokens", runId: "r2" });
    expect(card?.details).toMatchObject({ tokens: 9000 });
    // Other jobs have their own norm; too few samples → nothing.
    expect(norms.observe({ runId: "r3", jobId: "other", turnIndex: 0, tokens: 90_000 })).toBeNull();
  });
});

describe("failures detector", () => {
  it("flags three failures in a row, not two, and a high rate over ten", () => {
    const f = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `f${i}`, state: "failed" }));
    const ok = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `s${i}`, state: "succeeded" }));
    expect(detectFailures("j", [...f(2), ...ok(3)])).toBeNull();
    expect(detectFailures("j", [...f(3), ...ok(3)])).toMatchObject({
      kind: "failures",
      fingerprint: "failures:j",
      runId: "f0",
    });
    const alternating = Array.from({ length: 10 }, (_, i) => ({
      id: `a${i}`,
      state: i % 2 === 0 ? "failed" : "succeeded",
    }));
    expect(detectFailures("j", alternating)?.why).toMatch(/5 of the last 10 runs/);
    expect(detectFailures("j", [{ id: "t", state: "timed_out" }, ...f(2)])).not.toBeNull();
  });
});

describe("policy detector", () => {
  it("one fingerprint per job, tool and kind of refusal", () => {
    const a = detectPolicy({
      action: "tool.policy_violation",
      runId: "r1",
      jobId: "j",
      tool: "rm",
      callKey: "k1",
      error: "not allowed",
      input: {},
    });
    const b = detectPolicy({
      action: "tool.policy_violation",
      runId: "r2",
      jobId: "j",
      tool: "rm",
      callKey: "k2",
      error: "not allowed",
      input: {},
    });
    const c = detectPolicy({
      action: "tool.invalid_input",
      runId: "r2",
      jobId: "j",
      tool: "rm",
      callKey: "k3",
      error: "bad",
      input: {},
    });
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(c.fingerprint).not.toBe(a.fingerprint);
    expect(a.severity).toBe("critical");
    expect(c.severity).toBe("warning");
    expect(
      detectPolicy({
        action: "workspace.escape_refused",
        runId: "r",
        jobId: "j",
        tool: "read_file",
        callKey: "k",
        error: "outside",
        input: {},
      }).title,
    ).toMatch(/outside its workspace/);
  });
});

describe("notice detector", () => {
  it("warning and critical messages become cards, info does not", () => {
    const base = {
      runId: "r",
      jobId: "sla-sweep",
      title: "2 ticket(s) past SLA",
      message: "• a\n• b",
      notificationId: "n",
    };
    expect(detectNotice({ ...base, level: "info" })).toBeNull();
    expect(detectNotice({ ...base, level: "warning" })).toMatchObject({
      kind: "notice",
      severity: "warning",
      fingerprint: "notice:sla-sweep:2 ticket(s) past SLA",
    });
    expect(detectNotice({ ...base, level: "critical" })?.severity).toBe("critical");
  });
});

describe("stuck detector", () => {
  it("flags long waits that are not approvals, and repeated recoveries", () => {
    const wait = { id: "r", jobId: "j", stateReason: "signal", waitingFor: "ticket.closed", waitedMs: 3_600_000 };
    expect(detectStuckWait(wait, 1_800_000)).toMatchObject({
      kind: "stuck",
      fingerprint: "stuck:r:waiting",
      severity: "warning",
    });
    expect(detectStuckWait({ ...wait, waitedMs: 60_000 }, 1_800_000)).toBeNull();
    expect(detectStuckWait({ ...wait, stateReason: "approval" }, 1_800_000)).toBeNull();
    expect(detectRecoveryLoop({ id: "r", jobId: "j", attempt: 3, previousOwner: "w" })).toBeNull();
    expect(detectRecoveryLoop({ id: "r", jobId: "j", attempt: 4, previousOwner: "w" })).toMatchObject({
      kind: "stuck",
      severity: "critical",
    });
  });
});
