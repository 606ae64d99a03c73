import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/db/rows";
import { appendAuditEvents, startAuditSealer, verifyAuditLog } from "@/lib/audit";
import { auditKeyDir } from "@/lib/audit/keys";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { sampleAuditInput } from "./fixtures";

const root = path.resolve(import.meta.dirname, "../..");
const TOTAL = 40_000;

function spawnSealer(url: string): ChildProcess {
  return spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", path.join(root, "tests/audit/fixtures/sealer-process.ts")],
    {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url, NODE_ENV: "test", FLIGHTDECK_AUDIT_KEY_DIR: auditKeyDir() },
      stdio: "ignore",
    },
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.runIf(!!process.env.TEST_DATABASE_URL)("sealer leadership across processes (Postgres)", () => {
  let handle: TestDatabase;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    handle = await createTestDatabase();
    for (let i = 0; i < TOTAL; i += 1000) {
      await handle.db.transaction((tx) =>
        appendAuditEvents(
          tx,
          Array.from({ length: 1000 }, (_, k) => sampleAuditInput({ payload: { n: i + k } })),
        ),
      );
    }
  }, 300_000);
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    await handle.drop();
  });

  it("a sealer SIGKILLed mid-batch is taken over by another; nothing lost or doubled", async () => {
    const url = handle.url ?? "";
    const a = spawnSealer(url);
    const b = spawnSealer(url);
    children.push(a, b);
    const checkpoints = async () =>
      Number(
        rowsOf<{ n: string | number }>(await handle.db.execute(sql`select count(*) as n from audit_checkpoints`))[0]?.n,
      );
    // The sealer lock, held only inside a batch's transaction, names the process sealing now.
    const holder = async () =>
      rowsOf<{ pid: number }>(
        await handle.db.execute(
          sql`select a.pid from pg_locks l join pg_stat_activity a on a.pid = l.pid where l.locktype = 'advisory' and l.granted and l.objid = ${0x7365616c}`,
        ),
      )[0]?.pid;
    // Let one batch commit, then kill whichever process holds the lock in a later batch.
    const deadline = Date.now() + 60_000;
    while ((await checkpoints()) < 1 && Date.now() < deadline) await sleep(20);
    let killedDuringBatch = false;
    while (!killedDuringBatch && Date.now() < deadline) {
      const pid = await holder();
      if (pid !== undefined) {
        // the backend pid is the database's; find our child by asking who it is: kill both
        // candidates in turn would be wrong, so kill the one whose connection holds it.
        const owner = rowsOf<{ app: string; port: number | null }>(
          await handle.db.execute(
            sql`select application_name as app, client_port as port from pg_stat_activity where pid = ${pid}`,
          ),
        )[0];
        if (owner) {
          // Kill the child whose socket is that client port: probe with lsof-free /proc lookup.
          const victim = await childOwningPort([a, b], owner.port);
          if (victim) {
            victim.kill("SIGKILL");
            killedDuringBatch = true;
          }
        }
      }
      await sleep(5);
    }
    expect(killedDuringBatch).toBe(true);
    // The other process takes over within seconds and seals everything.
    // Taking over means holding the sealer lock: measured to the first moment the survivor holds it
    // (its batch may then take a while on a loaded machine).
    const started = Date.now();
    let takenOver = false;
    while (!takenOver && Date.now() - started < 30_000) {
      const pid = await holder();
      if (pid !== undefined) {
        const owner = rowsOf<{ port: number | null }>(
          await handle.db.execute(sql`select client_port as port from pg_stat_activity where pid = ${pid}`),
        )[0];
        const child = owner ? await childOwningPort([a, b], owner.port) : undefined;
        takenOver = child !== undefined && !child.killed;
      }
      if (!takenOver) await sleep(10);
    }
    expect(takenOver).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
    while (Date.now() - started < 120_000) {
      const [row] = rowsOf<{ unsealed: string | number }>(
        await handle.db.execute(sql`select count(*) as unsealed from audit_log where seq is null`),
      );
      if (Number(row?.unsealed) === 0) break;
      await sleep(100);
    }
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    const [stats] = rowsOf<{
      n: string | number;
      lo: string | number;
      hi: string | number;
      d: string | number;
      p: string | number;
    }>(
      await handle.db.execute(
        sql`select count(*) as n, min(seq) as lo, max(seq) as hi, count(distinct seq) as d, count(distinct payload->>'n') as p from audit_log`,
      ),
    );
    expect([stats?.n, stats?.lo, stats?.hi, stats?.d, stats?.p].map(Number)).toEqual([TOTAL, 1, TOTAL, TOTAL, TOTAL]);
    const sealer = startAuditSealer(handle, { intervalMs: 50 });
    await sealer.drain();
    await sealer.stop();
    expect(await verifyAuditLog(handle.db, { anchorDir: null })).toMatchObject({
      ok: true,
      checked: TOTAL,
      treeSize: TOTAL,
      unsealed: 0,
    });
  }, 300_000);
});

/** Which child process has a TCP connection from this local port (Linux /proc). */
async function childOwningPort(children: ChildProcess[], port: number | null): Promise<ChildProcess | undefined> {
  if (port === null) return undefined;
  const { readFile, readdir, readlink } = await import("node:fs/promises");
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  const inodes = new Set<string>();
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const text = await readFile(file, "utf8").catch(() => "");
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[1]?.endsWith(hexPort) && cols[9]) inodes.add(cols[9]);
    }
  }
  for (const child of children) {
    if (child.pid === undefined) continue;
    const fds = await readdir(`/proc/${child.pid}/fd`).catch(() => []);
    for (const fd of fds) {
      const link = await readlink(`/proc/${child.pid}/fd/${fd}`).catch(() => "");
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (m?.[1] && inodes.has(m[1])) return child;
    }
  }
  return undefined;
}
