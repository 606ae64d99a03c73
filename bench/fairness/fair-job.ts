import { z } from "zod";
import { defineJob } from "@/lib/jobs";

/** bench/fairness's job: one turn; input i/o are the token usage the turn reports. */
export const fairJob = defineJob({
  id: "bench-fair",
  title: "Fairness benchmark",
  description: "One turn that sleeps and reports i input and o output tokens.",
  input: z.object({ i: z.number().int().min(0), o: z.number().int().min(0) }),
  triggers: [{ kind: "manual" }],
  agent: { model: "default", instructions: "Nothing.", tools: [], maxTurns: 10 },
  budgets: { tokens: 10_000_000, turns: 10, wallClockMs: 3_600_000 },
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
