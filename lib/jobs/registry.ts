import "server-only";
import { appContext } from "@/lib/context";
import type { JobDefinition, SignalTrigger } from "./schema";
import { validateDeclarations } from "./validate";

export { validateDeclarations } from "./validate";

/**
 * The in-memory code registry: the declarations this process was built with. The
 * database registry (jobs, job_versions) is synced from it at start-up; run creation
 * reads input schemas and budgets from here because zod schemas do not survive jsonb.
 * Held by the app context (lib/context) so the several module graphs of a Next server
 * share one registry.
 */
interface JobRegistryState {
  byId: Map<string, JobDefinition>;
  bySignal: Map<string, { def: JobDefinition; trigger: SignalTrigger }[]>;
}

declare module "@/lib/context/app-context" {
  interface AppContext {
    jobs?: JobRegistryState;
  }
}

function state(): JobRegistryState {
  return (appContext().jobs ??= { byId: new Map(), bySignal: new Map() });
}

/**
 * Replaces the registry with this set of declarations (validated as a set: unique ids
 * and signal names). Throws JobDeclarationError and leaves the registry unchanged.
 */
export function registerJobDefinitions(defs: readonly unknown[]): JobDefinition[] {
  const valid = validateDeclarations(defs);
  const next: JobRegistryState = { byId: new Map(), bySignal: new Map() };
  for (const def of valid) {
    next.byId.set(def.id, def);
    for (const trigger of def.triggers) {
      if (trigger.kind !== "signal") continue;
      const list = next.bySignal.get(trigger.name) ?? [];
      list.push({ def, trigger });
      next.bySignal.set(trigger.name, list);
    }
  }
  appContext().jobs = next;
  return valid;
}

export function getJobDefinition(id: string): JobDefinition | undefined {
  return state().byId.get(id);
}

export function listJobDefinitions(): JobDefinition[] {
  return [...state().byId.values()];
}

/** Jobs that run when this signal arrives (empty for an unknown signal). */
export function signalSubscribers(name: string): { def: JobDefinition; trigger: SignalTrigger }[] {
  return state().bySignal.get(name) ?? [];
}
