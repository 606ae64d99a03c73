import "server-only";
import type { Db } from "@/db/client";
import type { JobDefinition } from "@/lib/jobs";
import type { MemoryCollection } from "@/lib/memory";
import type { SimulatedScript } from "@/lib/models";
import type { ToolDefinition } from "@/lib/tools";

/**
 * A domain pack as one value: everything a business domain brings to the runtime. Importing
 * a pack registers nothing; the composition root (server/packs.ts) lists the packs and
 * installs them at start-up.
 */
export interface DomainPack {
  /** Short name, for logs. */
  readonly name: string;
  readonly jobs: readonly JobDefinition[];
  /** The pack's domain tools (the built-in tools come with the runtime). */
  readonly tools: readonly ToolDefinition[];
  /** Shared-memory collections the pack declares, each with the zod schema its values must pass. */
  readonly collections?: readonly MemoryCollection[];
  /** The offline simulated model's script per job id. */
  readonly simulatedScripts: Readonly<Record<string, SimulatedScript>>;
  /**
   * The pack's own Drizzle tables (also listed in drizzle.config.ts so migrations include
   * them). Carried here so the pack is complete as a value; the runtime does not read them.
   */
  readonly tables: Readonly<Record<string, unknown>>;
  /** Demo data for a fresh embedded install: seeds and starts runs, answers their ids. */
  readonly startDemo?: (db: Db) => Promise<{ runIds: string[] }>;
  /**
   * The paced demo's steady stream of new work (e.g. tickets every few seconds), started
   * after startDemo when FLIGHTDECK_DEMO_PACE is on; answers how to stop it.
   */
  readonly demoTrickle?: (db: Db, onError: (error: unknown) => void) => { stop(): void };
}

export function definePack(pack: DomainPack): DomainPack {
  return pack;
}
