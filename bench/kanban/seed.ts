import { randomUUID } from "node:crypto";
import type { Db } from "@/db/client";
import { jobs, runs, type RunState } from "@/db/schema";
import { getJobDefinition } from "@/lib/jobs";

/**
 * Board-shaped data: how many runs of each state the bench seeds. Done is capped at 200
 * on the board, so 5,000 seeded runs are 5,000 cards.
 */
export function distribution(total: number): [RunState, number][] {
  const share: [RunState, number][] = [
    ["queued", 0.4],
    ["running", 0.12],
    ["waiting", 0.2],
    ["paused", 0.12],
    ["failed", 0.08],
    ["timed_out", 0.04],
  ];
  const out: [RunState, number][] = share.map(([state, f]) => [state, Math.floor(total * f)]);
  const done = Math.min(200, total - out.reduce((n, [, c]) => n + c, 0));
  out.push(["succeeded", Math.ceil(done * 0.7)], ["cancelled", Math.floor(done * 0.3)]);
  const rest = total - out.reduce((n, [, c]) => n + c, 0);
  out[0] = ["queued", (out[0]?.[1] ?? 0) + rest];
  return out;
}

/** Inserts runs straight through the db layer (no runtime, no audit): the board only reads them. */
export async function seedBoardRuns(db: Db, total: number): Promise<Record<string, number>> {
  const jobRows = await db.select({ id: jobs.id, version: jobs.currentVersion }).from(jobs);
  const defs = jobRows.flatMap((j) => {
    const def = getJobDefinition(j.id);
    return def ? [{ def, version: j.version }] : [];
  });
  if (defs.length === 0) throw new Error("no jobs registered");
  const counts: Record<string, number> = {};
  const now = Date.now();
  const minutesAgo = (m: number) => new Date(now - m * 60_000);
  const rows: (typeof runs.$inferInsert)[] = [];
  let i = 0;
  for (const [state, count] of distribution(total)) {
    counts[state] = count;
    for (let k = 0; k < count; k++, i++) {
      const pick = defs[i % defs.length];
      if (!pick) continue;
      const { def, version } = pick;
      const createdMinutesAgo = (total - i) % 1_400;
      const finished = ["succeeded", "failed", "cancelled", "timed_out"].includes(state);
      const turns =
        finished || state === "running" || state === "paused" ? 1 + (i % Math.max(1, def.agent.maxTurns - 1)) : 0;
      rows.push({
        id: randomUUID(),
        jobId: def.id,
        jobVersion: version,
        state,
        stateReason:
          state === "waiting"
            ? "approval"
            : state === "failed"
              ? "budget"
              : state === "paused"
                ? "operator"
                : state === "timed_out"
                  ? "wall_clock"
                  : null,
        error: state === "failed" ? `turn budget exhausted (${turns}/${turns})` : null,
        governance: { ...def.governance },
        triggerKind: i % 3 === 0 ? "manual" : "signal",
        triggerRef: i % 3 === 0 ? null : "ticket.created",
        actorKind: "system",
        actorId: "bench",
        actorLabel: "kanban bench",
        input: { subject: `Bench ticket ${i}`, body: "Seeded by bench/kanban", customer: "bench@example.com" },
        // What the job's run.title would derive, so cards carry a title as real ones do.
        title: `Bench ticket ${i}: cannot sign in after the password reset`,
        modelEndpoint: def.agent.model,
        budgetTokens: def.budgets.tokens,
        budgetTurns: Math.min(def.budgets.turns, def.agent.maxTurns),
        budgetWallClockMs: def.budgets.wallClockMs,
        tokensUsed: turns * 1_800,
        turnsUsed: turns,
        fairGroup: def.scheduling.group,
        weight: def.scheduling.weight,
        priority: def.scheduling.priority,
        createdAt: minutesAgo(createdMinutesAgo + 5),
        startedAt: state === "queued" || state === "waiting" ? null : minutesAgo(createdMinutesAgo + 4),
        finishedAt: finished ? minutesAgo(Math.min(createdMinutesAgo, 600)) : null,
        updatedAt: minutesAgo(Math.min(createdMinutesAgo, 600)),
      });
    }
  }
  for (let start = 0; start < rows.length; start += 500) await db.insert(runs).values(rows.slice(start, start + 500));
  return counts;
}
