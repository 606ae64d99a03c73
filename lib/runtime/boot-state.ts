import "server-only";

/** What the running process booted into, for /api/health and the UI. */
export interface BootState {
  startedAt: Date;
  bootMs: number | null;
  embeddedRuntime: boolean;
  runtimeRunning: boolean;
}

const key = Symbol.for("flightdeck.boot");
type G = typeof globalThis & { [key]?: BootState };

export function bootState(): BootState {
  const g = globalThis as G;
  g[key] ??= { startedAt: new Date(), bootMs: null, embeddedRuntime: false, runtimeRunning: false };
  return g[key];
}
