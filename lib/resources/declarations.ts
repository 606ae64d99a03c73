import "server-only";
import { JobDeclarationError, type DeclarationProblem } from "@/lib/jobs/errors";
import type { JobDefinition } from "@/lib/jobs/schema";
import { modelEndpoints } from "@/lib/models/config";
import { toolQuotas, writeBudgetPerMinute, WRITES_RESOURCE } from "./quotas";

/** Every resource name the configuration declares: model endpoints, tool:<name> quotas, writes. */
export function configuredResourceNames(): Set<string> {
  const names = new Set<string>([...modelEndpoints().keys()]);
  for (const q of toolQuotas()) names.add(q.resource);
  if (writeBudgetPerMinute() !== null) names.add(WRITES_RESOURCE);
  return names;
}

/**
 * Start-up check: a job's model endpoint and the resources it declares
 * (scheduling.resources) must exist in the configuration. Throws JobDeclarationError
 * naming each job and resource, so boot stops before serving.
 */
export function checkDeclaredResources(defs: readonly JobDefinition[]): void {
  const known = configuredResourceNames();
  const endpoints = new Set(modelEndpoints().keys());
  const problems: DeclarationProblem[] = [];
  for (const def of defs) {
    if (!endpoints.has(def.agent.model)) {
      problems.push({
        jobId: def.id,
        position: null,
        path: "agent.model",
        message: `Unknown resource "${def.agent.model}": no model endpoint of that name is configured`,
      });
    }
    (def.scheduling.resources ?? []).forEach((name, i) => {
      if (!known.has(name)) {
        problems.push({
          jobId: def.id,
          position: null,
          path: `scheduling.resources[${i}]`,
          message: `Unknown resource "${name}": configure it (FLIGHTDECK_TOOL_QUOTAS, FLIGHTDECK_WRITE_BUDGET_PER_MINUTE or FLIGHTDECK_MODEL_ENDPOINTS)`,
        });
      }
    });
  }
  if (problems.length > 0) throw new JobDeclarationError(problems);
}
