import "server-only";
import { appContext, type BootState } from "@/lib/context";

export type { BootState };

/** What the running process booted into, for /api/health and the UI (part of the app context). */
export function bootState(): BootState {
  return appContext().boot;
}
