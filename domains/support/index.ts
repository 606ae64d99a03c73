import "server-only";
import type { JobDefinition } from "@/lib/jobs";
import { registerSimulatedScript } from "@/lib/models";
import { kbRefresh, kbRefreshScript } from "./jobs/kb-refresh";
import { slaSweep, slaSweepScript } from "./jobs/sla-sweep";
import { triageScript, triageTicket } from "./jobs/triage-ticket";
import { registerSupportTools, supportTools } from "./tools";

/**
 * The customer-support pack: jobs, their domain tools and the simulated model's scripts.
 * Importing it registers the tools and scripts (the job list goes to domains/index.ts).
 */
export const supportJobs: JobDefinition[] = [triageTicket, slaSweep, kbRefresh];

registerSupportTools();
registerSimulatedScript(triageTicket.id, triageScript);
registerSimulatedScript(slaSweep.id, slaSweepScript);
registerSimulatedScript(kbRefresh.id, kbRefreshScript);

export { supportTools };
export { seedSupportDemo, startSupportDemo, demoOpenTickets } from "./seed";
export { triageTicket, slaSweep, kbRefresh };
