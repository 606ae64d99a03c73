import { z } from "zod";
import { defineJob } from "@/lib/jobs";

/** The benchmarks' job: no tools, generous budgets; input.turns sets the run length. */
export const benchJob = defineJob({
  id: "bench-noop",
  title: "Dispatch benchmark",
  description: "No-op turns.",
  input: z.object({ turns: z.number().int().min(1).optional(), t: z.number().optional() }),
  triggers: [{ kind: "manual" }],
  agent: { model: "default", instructions: "Nothing.", tools: [], maxTurns: 100 },
  budgets: { tokens: 1_000_000, turns: 100, wallClockMs: 3_600_000 },
  scheduling: { group: "bench", weight: 1, priority: 0 },
  governance: {
    owner: "bench@flightdeck.local",
    purpose: "Benchmark",
    riskLevel: "minimal",
    dataCategories: [],
    humanOversight: "none",
    authorizedBy: "bench@flightdeck.local",
    authorizedAt: "2026-11-01",
    retentionDays: 1,
  },
});
