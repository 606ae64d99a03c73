import "server-only";
import { errorMessage, jsonLogger } from "@/lib/runtime/log";
import { runWorkerProcess } from "./worker-process";

// `npm run worker`: every domain pack's jobs and the agent executor.
runWorkerProcess({
  loadJobs: async () => {
    const { allJobs } = await import("@/domains");
    // After the packs: they register their tools and simulated scripts on import.
    const { registerAgentExecutor } = await import("@/lib/agent");
    registerAgentExecutor();
    return allJobs;
  },
}).catch((error) => {
  jsonLogger("error", "worker failed to start", { error: errorMessage(error) });
  process.exit(1);
});
