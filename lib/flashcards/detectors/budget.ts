import type { RaiseInput } from "../types";

export const BUDGET_THRESHOLD = 0.8;

export interface BudgetSnapshot {
  id: string;
  jobId: string;
  tokensUsed: number;
  turnsUsed: number;
  budgetTokens: number;
  budgetTurns: number;
  budgetWallClockMs: number;
  startedAt: Date | null;
}

/**
 * Budget detector, at the checkpoint: the turn just recorded carried the run across 80%
 * of its tokens, turns or wall clock. Pure: `before` and `after` are the run around the
 * turn, `previousAtMs` when the run was last written (the previous boundary).
 */
export function detectBudget(
  before: BudgetSnapshot,
  after: BudgetSnapshot,
  previousAtMs: number,
  nowMs: number,
): RaiseInput[] {
  const found: RaiseInput[] = [];
  const crossed = (from: number, to: number, limit: number) =>
    limit > 0 && from < BUDGET_THRESHOLD * limit && to >= BUDGET_THRESHOLD * limit;
  const raise = (dimension: "tokens" | "turns" | "wall_clock", used: string, limit: string, pct: number) =>
    found.push({
      kind: "budget",
      fingerprint: `budget:${after.id}:${dimension}`,
      severity: pct >= 1 ? "critical" : "warning",
      title: `Run of ${after.jobId} used ${Math.round(pct * 100)}% of its ${dimension.replace("_", " ")} budget`,
      why: `This run has used ${used} of ${limit} ${dimension.replace("_", " ")}; at 100% the runtime stops it.`,
      runId: after.id,
      jobId: after.jobId,
      evidence: [{ type: "run", id: after.id }],
      details: {
        dimension,
        tokensUsed: after.tokensUsed,
        budgetTokens: after.budgetTokens,
        turnsUsed: after.turnsUsed,
        budgetTurns: after.budgetTurns,
        budgetWallClockMs: after.budgetWallClockMs,
      },
    });
  if (crossed(before.tokensUsed, after.tokensUsed, after.budgetTokens)) {
    raise("tokens", String(after.tokensUsed), String(after.budgetTokens), after.tokensUsed / after.budgetTokens);
  }
  if (crossed(before.turnsUsed, after.turnsUsed, after.budgetTurns)) {
    raise("turns", String(after.turnsUsed), String(after.budgetTurns), after.turnsUsed / after.budgetTurns);
  }
  if (after.startedAt) {
    const start = after.startedAt.getTime();
    const elapsedBefore = Math.max(0, previousAtMs - start);
    const elapsed = nowMs - start;
    if (crossed(elapsedBefore, elapsed, after.budgetWallClockMs)) {
      raise(
        "wall_clock",
        `${Math.round(elapsed / 1000)} s`,
        `${Math.round(after.budgetWallClockMs / 1000)} s`,
        elapsed / after.budgetWallClockMs,
      );
    }
  }
  return found;
}
