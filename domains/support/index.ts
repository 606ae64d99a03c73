import "server-only";
import { definePack } from "@/lib/packs";
import { kbRefresh, kbRefreshScript } from "./jobs/kb-refresh";
import { slaSweep, slaSweepScript } from "./jobs/sla-sweep";
import { demoTriageScript, triageTicket } from "./jobs/triage-ticket";
import { supportCollections } from "./memory";
import { supportCustomers, supportReplies, supportTickets } from "./schema";
import { startDemoTrickle } from "./demo-trickle";
import { startSupportDemo } from "./seed";
import { supportTools } from "./tools";

/**
 * The customer-support pack: jobs, their domain tools, the simulated model's scripts, the
 * demo seed and the pack's own tables — one value. Importing it registers nothing; the
 * composition root (server/packs.ts) installs it.
 */
export const supportPack = definePack({
  name: "support",
  jobs: [triageTicket, slaSweep, kbRefresh],
  tools: supportTools,
  collections: supportCollections,
  simulatedScripts: {
    [triageTicket.id]: demoTriageScript,
    [slaSweep.id]: slaSweepScript,
    [kbRefresh.id]: kbRefreshScript,
  },
  tables: { supportCustomers, supportTickets, supportReplies },
  startDemo: startSupportDemo,
  demoTrickle: (db, onError) => startDemoTrickle(db, { onError }),
});

export const supportJobs = supportPack.jobs;
export { supportTools };
export { seedSupportDemo, startSupportDemo, demoOpenTickets } from "./seed";
export { triageTicket, slaSweep, kbRefresh };
