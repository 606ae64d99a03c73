import "server-only";
import type { JobDefinition, SignalTrigger } from "@/lib/jobs/schema";
import type { SimulatedScript } from "@/lib/models/simulated-script";
import type { MemoryCollection } from "@/lib/memory/collection-types";
import type { TurnExecutor } from "@/lib/runtime/turn-executor";
import type { ToolDefinition } from "@/lib/tools/types";

/** The in-memory job registry: the declarations this process was built with. */
export interface JobRegistryState {
  byId: Map<string, JobDefinition>;
  bySignal: Map<string, { def: JobDefinition; trigger: SignalTrigger }[]>;
}

/** What the running process booted into, for /api/health and the UI. */
export interface BootState {
  startedAt: Date;
  bootMs: number | null;
  embeddedRuntime: boolean;
  runtimeRunning: boolean;
}

/**
 * Everything this process registers at start-up, in one object: the job registry, the
 * tools, the simulated model's scripts, the turn executor and the boot state. The owning
 * modules (lib/jobs/registry, lib/tools/registry, lib/models/simulated-script,
 * lib/runtime/executor-registry, lib/runtime/boot-state) read and write their part
 * through appContext(); nothing else does.
 */
export interface AppContext {
  jobs: JobRegistryState;
  tools: Map<string, ToolDefinition>;
  simulatedScripts: Map<string, SimulatedScript>;
  /** Shared-memory collections declared by the installed packs (lib/memory/collections). */
  memoryCollections: Map<string, MemoryCollection>;
  turnExecutor: TurnExecutor | undefined;
  boot: BootState;
}

/**
 * The one process-wide slot on globalThis (the database handle, a layer below, keeps its
 * own in db/client.ts). It has to be global rather than module state: Next bundles
 * instrumentation (where start-up registers everything) and the route handlers as
 * separate module graphs, and dev reloads re-evaluate modules.
 */
const key = Symbol.for("flightdeck.appContext");
type GlobalWithContext = typeof globalThis & { [key]?: AppContext };

export function appContext(): AppContext {
  const store = globalThis as GlobalWithContext;
  store[key] ??= {
    jobs: { byId: new Map(), bySignal: new Map() },
    tools: new Map(),
    simulatedScripts: new Map(),
    memoryCollections: new Map(),
    turnExecutor: undefined,
    boot: { startedAt: new Date(), bootMs: null, embeddedRuntime: false, runtimeRunning: false },
  };
  return store[key];
}
