/** A worker process running the no-op executor (spawned by run.ts). Args: --worker-id= --concurrency= */
import { runWorkerProcess } from "@/server/worker-process";
import { benchJob } from "./bench-job";
import { noopExecutor } from "./noop-executor";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

void runWorkerProcess({
  executor: noopExecutor,
  // The bench job must be in this build, or version pinning leaves its runs to another worker.
  loadJobs: async () => [benchJob],
  workerId: arg("worker-id"),
  concurrency: Number(arg("concurrency") ?? 4),
  pollIntervalMs: 1000,
  leaseMs: 30_000,
  logger: (level, msg, fields) => {
    if (level !== "debug") process.stdout.write(JSON.stringify({ level, msg, ...fields }) + "\n");
  },
});
