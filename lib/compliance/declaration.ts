import "server-only";
import type { DeclarationProblem } from "@/lib/jobs/errors";
import type { JobDefinition } from "@/lib/jobs/schema";
import { builtinTools } from "@/lib/tools/builtin";
import { getTool } from "@/lib/tools/registry";

/**
 * Governance that contradicts itself stops start-up (with the schema's own checks):
 * - every tool a job may call touches only data categories the job declares;
 * - a `high` risk job has human oversight other than `none`.
 * Tools not registered here are left to the gateway's allowlist (it refuses unknown tools).
 */
export function governanceProblems(defs: readonly JobDefinition[]): DeclarationProblem[] {
  const problems: DeclarationProblem[] = [];
  defs.forEach((def, position) => {
    const declared = new Set(def.governance.dataCategories);
    for (const name of def.agent.tools) {
      const tool = getTool(name) ?? builtinTools.find((t) => t.name === name);
      if (!tool) continue;
      const outside = tool.dataCategories.filter((c) => !declared.has(c));
      if (outside.length > 0) {
        problems.push({
          jobId: def.id,
          position,
          path: "governance.dataCategories",
          message: `tool "${name}" touches ${outside.map((c) => `"${c}"`).join(", ")}, which the job does not declare (declared: ${[...declared].join(", ") || "none"})`,
        });
      }
    }
    if (def.governance.riskLevel === "high" && def.governance.humanOversight === "none") {
      problems.push({
        jobId: def.id,
        position,
        path: "governance.humanOversight",
        message: `riskLevel "high" requires human oversight ("approve-tools" or "approve-run"), not "none"`,
      });
    }
  });
  return problems;
}
