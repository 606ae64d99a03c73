import "server-only";

/**
 * What the running process booted into, for /api/health and the UI — and for the last line `npm start` prints
 * (scripts/lib/serve.mjs reads `demoSignIn` from this slot once the server answers).
 */
export interface BootState {
  startedAt: Date;
  bootMs: number | null;
  embeddedRuntime: boolean;
  runtimeRunning: boolean;
  /** A demo account to sign in with (the lead when there is one); password null = "the FLIGHTDECK_DEMO_PASSWORD value". */
  demoSignIn?: { email: string; password: string | null } | null;
}

/**
 * Everything this process registers at start-up, in one object. Each owning module adds
 * its part by augmenting this interface next to the code that reads it, so lib/context
 * depends on nothing:
 * - jobs: the job registry (lib/jobs/registry.ts)
 * - tools: the tool registry (lib/tools/registry.ts)
 * - simulatedScripts: the simulated model's scripts (lib/models/simulated-script.ts)
 * - turnExecutor: the runtime's turn executor (lib/runtime/executor-registry.ts)
 * - memoryCollections: the packs' shared-memory collections (lib/memory/collections.ts)
 * Those modules are the only readers and writers of their part.
 */
export interface AppContext {
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
  store[key] ??= { boot: { startedAt: new Date(), bootMs: null, embeddedRuntime: false, runtimeRunning: false } };
  return store[key];
}
