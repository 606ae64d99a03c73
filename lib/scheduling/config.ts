import "server-only";
import { getEnv } from "@/lib/env";
import type { CostWeights } from "./policy";

/** The cost weights and ageing time from the environment (documented in docs/SCHEDULING.md). */
export function schedulingConfig(): CostWeights & { ageingMs: number } {
  const env = getEnv();
  return {
    inputWeight: env.FLIGHTDECK_SCHEDULING_INPUT_WEIGHT,
    outputWeight: env.FLIGHTDECK_SCHEDULING_OUTPUT_WEIGHT,
    minTurnCost: env.FLIGHTDECK_SCHEDULING_MIN_TURN_COST,
    ageingMs: env.FLIGHTDECK_SCHEDULING_AGEING_MS,
  };
}
