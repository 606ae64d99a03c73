import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * A throwaway Postgres cluster for the restart case: initdb + pg_ctl in a temp directory on
 * a free loopback port, so restarting it touches no other database on the machine.
 * Runs the server as the `postgres` OS user when the tests run as root (initdb refuses root).
 */
export interface PrivatePostgres {
  url: string;
  port: number;
  restart(): void;
  stop(): void;
  start(): void;
  destroy(): void;
}

const BIN = process.env.PG_BIN_DIR ?? "/usr/lib/postgresql/15/bin";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(path.join(tmpdir(), "i11-pg-"));
  chmodSync(dir, 0o777);
  const data = path.join(dir, "data");
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  // The C locale whatever the caller's LANG says: initdb refuses a locale the machine lacks,
  // and a failure must say why, so its output goes into the thrown error.
  const env = { ...process.env, LANG: "C", LC_ALL: "C" };
  const run = (bin: string, args: string[]) => {
    const command = path.join(BIN, bin);
    const [file, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
    try {
      execFileSync(file, argv, { env, stdio: ["ignore", "pipe", "pipe"] });
    } catch (error) {
      const output = error instanceof Error && "stderr" in error ? String(error.stderr) : "";
      throw new Error(`${bin} failed: ${output.trim() || String(error)}`);
    }
  };
  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
  const ctl = (action: string, extra: string[] = []) => run("pg_ctl", [action, "-D", data, "-w", "-t", "30", ...extra]);
  const start = () => ctl("start", ["-o", options, "-l", path.join(dir, "log")]);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop: () => ctl("stop", ["-m", "fast"]),
    restart: () => ctl("restart", ["-m", "fast", "-o", options]),
    destroy() {
      try {
        ctl("stop", ["-m", "immediate"]);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
