import "server-only";
import { errorMessage, jsonLogger } from "@/lib/runtime";
import { registerAgentExecutor } from "@/lib/agent";
import { startMcpServers } from "@/lib/mcp";
import { installPacks } from "@/lib/packs";
import { packs } from "./packs";
import { runWorkerProcess } from "./worker-process";

// `npm run worker`: every domain pack (server/packs.ts) and the agent executor.
runWorkerProcess({
  loadJobs: async () => {
    const jobs = installPacks(packs);
    // This process's own connections: the tools its runs call go through its gateway.
    await startMcpServers({ log: (message) => jsonLogger("info", message) });
    registerAgentExecutor();
    return jobs;
  },
}).catch((error) => {
  jsonLogger("error", "worker failed to start", { error: errorMessage(error) });
  process.exit(1);
});
