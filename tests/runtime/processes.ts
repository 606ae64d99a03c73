import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

/** A worker child process and the JSON lines it has printed so far. */
export interface WorkerChild {
  id: string;
  child: ChildProcess;
  lines: Record<string, unknown>[];
  /** Resolves with the first line (already printed or future) that matches. */
  waitForLine(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
}

const root = path.resolve(import.meta.dirname, "../..");

export function spawnWorker(
  databaseUrl: string,
  id: string,
  args: Record<string, string | number> = {},
  options: { script?: string; env?: Record<string, string> } = {},
): WorkerChild {
  const argv = Object.entries({ "worker-id": id, ...args }).map(([k, v]) => `--${k}=${v}`);
  // node itself with tsx as a loader (not the tsx CLI, which runs the script in a child
  // process): the signals the tests send must reach the worker, not a wrapper.
  const child = spawn(
    process.execPath,
    [
      "--conditions=react-server",
      "--import",
      "tsx",
      path.join(root, options.script ?? "tests/runtime/fixtures/worker-process.ts"),
      ...argv,
    ],
    {
      cwd: root,
      env: {
        // The test jobs' second endpoint (tests/runtime/helpers.ts syncs it with one slot); a worker
        // refuses to start when a job it declares names an endpoint it has not configured.
        FLIGHTDECK_MODEL_ENDPOINTS: JSON.stringify({ narrow: { provider: "simulated", maxConcurrency: 1 } }),
        ...process.env,
        ...options.env,
        DATABASE_URL: databaseUrl,
        NODE_ENV: "test",
        // The parent reads the child's log lines as JSON, whatever the developer's terminal prefers.
        FLIGHTDECK_LOG_FORMAT: "json",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const lines: Record<string, unknown>[] = [];
  const waiters: { match: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }[] =
    [];
  const onData = (chunk: Buffer) => {
    for (const text of chunk.toString("utf8").split("\n")) {
      if (!text.trim().startsWith("{")) continue;
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text) as Record<string, unknown>;
      } catch {
        continue;
      }
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.match(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    id,
    child,
    lines,
    exited,
    waitForLine(match, timeoutMs = 30_000) {
      const found = lines.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`worker ${id}: no matching line within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          match,
          resolve: (l) => {
            clearTimeout(timer);
            resolve(l);
          },
        });
      });
    },
  };
}

export async function killAll(children: WorkerChild[]): Promise<void> {
  await Promise.all(
    children.map(async (c) => {
      if (c.child.exitCode !== null || c.child.signalCode !== null) return;
      c.child.kill("SIGCONT");
      c.child.kill("SIGKILL");
      await c.exited;
    }),
  );
}
