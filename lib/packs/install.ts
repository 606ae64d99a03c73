import "server-only";
import type { JobDefinition } from "@/lib/jobs";
import { registerCollections } from "@/lib/memory";
import { registerSimulatedScript } from "@/lib/models";
import { registerTools } from "@/lib/tools";
import type { DomainPack } from "./domain-pack";

/**
 * Makes these packs' tools and simulated scripts known to this process and answers all
 * their jobs (start-up validates and syncs the job set). Installing again replaces what an
 * earlier install registered under the same names (Next dev reloads).
 */
export function installPacks(packs: readonly DomainPack[]): JobDefinition[] {
  const jobs: JobDefinition[] = [];
  for (const pack of packs) {
    registerTools(pack.tools);
    registerCollections(pack.collections ?? []);
    for (const [jobId, script] of Object.entries(pack.simulatedScripts)) registerSimulatedScript(jobId, script);
    jobs.push(...pack.jobs);
  }
  return jobs;
}
