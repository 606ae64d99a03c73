import "server-only";
import { errorMessage, logger } from "@/lib/runtime";
import { registerAgentExecutor } from "@/lib/agent";
import { startMcpServers, type McpServers } from "@/lib/mcp";
import { routeConsoleToLog } from "@/lib/log";
import { installPacks } from "@/lib/packs";
import { packs } from "./packs";
import { runWorkerProcess } from "./worker-process";

let mcp: McpServers | null = null;
// What libraries print comes out in the worker's log format too.
routeConsoleToLog();

// `npm run worker`: every domain pack (server/packs.ts) and the agent executor.
runWorkerProcess({
  loadJobs: async () => {
    const jobs = installPacks(packs);
    // This process's own connections: the tools its runs call go through its gateway.
    mcp = await startMcpServers({ log: (message) => logger("info", message) });
    registerAgentExecutor();
    return jobs;
  },
  // Stdio servers are child processes: close them rather than leave them to notice EOF.
  onStop: async () => {
    await mcp?.close();
  },
}).catch((error) => {
  logger("error", "worker failed to start", { error: errorMessage(error) });
  process.exit(1);
});
