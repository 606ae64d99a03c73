import "server-only";
import { notifyLive } from "@/lib/live/channel";
import { sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { modelEndpoints } from "@/db/schema";
import { listModelEndpointConfigs } from "@/lib/models";

export interface ModelEndpointConfig {
  name: string;
  provider: string;
  model: string;
  /** Runs holding a live lease on this endpoint at once, across every instance. */
  maxConcurrency: number;
  /** Tokens per minute across every instance; null: no limit. */
  tokensPerMinute?: number | null;
}

/**
 * The endpoints of the model configuration (lib/models: "default" with
 * FLIGHTDECK_DEFAULT_MODEL_CONCURRENCY, "simulated", FLIGHTDECK_MODEL_ENDPOINTS).
 */
export function configuredModelEndpoints(): ModelEndpointConfig[] {
  return listModelEndpointConfigs();
}

/** Upserts the configured endpoints; claims read max_concurrency from here. */
export async function syncModelEndpoints(db: Queryable, endpoints: ModelEndpointConfig[]): Promise<void> {
  if (endpoints.length === 0) return;
  await db
    .insert(modelEndpoints)
    .values(endpoints.map((e) => ({ ...e })))
    .onConflictDoUpdate({
      target: modelEndpoints.name,
      set: {
        provider: sql`excluded.provider`,
        model: sql`excluded.model`,
        maxConcurrency: sql`excluded.max_concurrency`,
        tokensPerMinute: sql`excluded.tokens_per_minute`,
        updatedAt: sql`now()`,
      },
    });
  await notifyLive(db, "resources", "endpoints");
}
