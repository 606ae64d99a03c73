import { cn } from "@/lib/utils";
import type { BoardRun } from "@/lib/board";
import { budgetShare } from "./run-status-line";

type Budget = Pick<BoardRun, "turnsUsed" | "budgetTurns" | "tokensUsed" | "budgetTokens">;

/** A 2px bar of the larger budget share; amber from 80 %, red when spent. */
export function BudgetBar({ run, className }: { run: Budget; className?: string }) {
  const share = budgetShare(run);
  const width = `${Math.min(100, Math.round(share * 100))}%`;
  return (
    <div aria-hidden className={cn("h-0.5 w-full overflow-hidden rounded-full bg-surface-muted", className)}>
      <div
        className={cn(
          "h-full rounded-full transition-[width] duration-300",
          share >= 1 ? "bg-danger" : share >= 0.8 ? "bg-warning" : "bg-accent/70",
        )}
        style={{ width }}
      />
    </div>
  );
}

export function budgetDescription(run: Budget): string {
  return `${run.turnsUsed} of ${run.budgetTurns} turns, ${run.tokensUsed.toLocaleString("en-US")} of ${run.budgetTokens.toLocaleString("en-US")} tokens used`;
}
