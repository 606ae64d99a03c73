import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq, gt, inArray, isNotNull, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres, type Db, type DatabaseHandle } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { rowsOf } from "@/db/rows";
import { runs, turns, workspaceFiles } from "@/db/schema";
import { createAgentExecutor } from "@/lib/agent";
import { verifyAuditChain } from "@/lib/audit";
import { pingDatabase } from "@/db/ping";
import { silentLogger } from "@/lib/runtime/log";
import { withTransientRetry } from "@/lib/runtime/transient";
import { startWorker } from "@/lib/runtime/worker";
import { registerBuiltinTools } from "@/lib/tools";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { installJobs, newRun } from "../helpers/agent-fixtures";
import { killAll, spawnWorker, type WorkerChild } from "../runtime/processes";
import { EFFECTS_JOB, faultJobs, registerFaultTools, SLOW_JOB } from "./fixtures/fault-jobs";
import { startPrivatePostgres, type PrivatePostgres } from "./private-postgres";

/**
 * The fault-injection suite (Postgres only). Real worker processes run the agent executor
 * with a non-deterministic simulated model, writing workspace files and calling a loopback
 * HTTP sink that counts deliveries per Idempotency-Key. Each scenario reports runs lost,
 * runs failed and keys delivered with different bodies — all must be 0 — and verifies the
 * audit chain. Figures are printed as `fault-figures` JSON lines.
 */
const LEASE_MS = 1500;
const TERMINAL = ["succeeded", "failed", "cancelled", "timed_out"];
const SCRIPT = "tests/faults/fixtures/agent-worker.ts";

let handle: TestDatabase;
let sink: Server;
let port = 0;
const deliveries = new Map<string, string[]>();
const children: WorkerChild[] = [];

function spawn(url: string, id: string, args: Record<string, number> = {}): WorkerChild {
  const child = spawnWorker(
    url,
    id,
    { "lease-ms": LEASE_MS, "poll-ms": 200, concurrency: 4, ...args },
    { script: SCRIPT, env: { FAULT_SINK_PORT: String(port) } },
  );
  children.push(child);
  return child;
}

/** Queries of the test itself ride through the faults it injects. */
const retrying = <T>(fn: () => Promise<T>) => withTransientRetry(fn, { deadline: new Date(Date.now() + 60_000) });

async function settle(db: Db, ids: string[], timeoutMs = 90_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const rows = await retrying(() =>
      db.select({ id: runs.id, state: runs.state }).from(runs).where(inArray(runs.id, ids)),
    );
    if (rows.filter((r) => TERMINAL.includes(r.state)).length === ids.length || Date.now() > until) return rows;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function report(db: Db, scenario: string, ids: string[], extra: Record<string, unknown> = {}) {
  const rows = await settle(db, ids);
  const keys = [...deliveries.entries()].filter(([key]) => ids.some((id) => key.startsWith(`${id}:`)));
  const figures = {
    scenario,
    runs: ids.length,
    lost: ids.length - rows.filter((r) => TERMINAL.includes(r.state)).length,
    failed: rows.filter((r) => r.state !== "succeeded").length,
    effects: keys.length,
    duplicatedDifferentBodies: keys.filter(([, bodies]) => new Set(bodies).size > 1).length,
    repeatedSameBody: keys.reduce((n, [, bodies]) => n + bodies.length - 1, 0),
    auditVerified: (await retrying(() => verifyAuditChain(db))).ok,
    ...extra,
  };
  console.log(JSON.stringify({ msg: "fault-figures", ...figures }));
  expect(figures).toMatchObject({ lost: 0, failed: 0, duplicatedDifferentBodies: 0, auditVerified: true });
  // Two sink calls per run, each delivered under its own key.
  expect(figures.effects).toBe(ids.length * 2);
  return figures;
}

async function createRuns(db: Db, n: number, job = EFFECTS_JOB): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await retrying(() => newRun(db, job)));
  return ids;
}

beforeAll(async () => {
  sink = createServer((req, res) => {
    const key = String(req.headers["idempotency-key"] ?? "none");
    deliveries.set(key, [...(deliveries.get(key) ?? []), req.url ?? ""]);
    // Slow enough that kills land in the middle of tool calls.
    setTimeout(() => res.end("ok"), 40 + Math.floor(Math.random() * 120));
  });
  await new Promise<void>((r) => sink.listen(0, "127.0.0.1", r));
  port = (sink.address() as AddressInfo).port;
});
afterAll(async () => {
  await killAll(children);
  await new Promise((r) => sink.close(r));
});

describe.runIf(process.env.TEST_DATABASE_URL)("fault injection (Postgres)", () => {
  beforeAll(async () => {
    registerBuiltinTools();
    registerFaultTools(port);
    handle = await createTestDatabase();
    await installJobs(handle.db, faultJobs(port));
  });
  afterAll(async () => {
    await killAll(children);
    await handle?.drop();
  });

  it("SIGKILL of a worker in the middle of tool calls: nothing lost, failed or duplicated", async () => {
    const url = handle.url ?? "";
    const a = spawn(url, "kill-a");
    spawn(url, "kill-b");
    await Promise.all(children.slice(-2).map((c) => c.waitForLine((l) => l.msg === "worker started", 60_000)));
    const ids = await createRuns(handle.db, 24);
    await a.waitForLine((l) => l.msg === "turn checkpointed" || l.msg === "worker started", 30_000);
    await new Promise((r) => setTimeout(r, 800));
    const killedAt = Date.now();
    a.child.kill("SIGKILL");
    await a.exited;
    spawn(url, "kill-c");
    const figures = await report(handle.db, "sigkill", ids);
    // The first turn resumed by another worker after the kill (attempt > 1), on the database clock.
    const [first] = await handle.db
      .select({ at: sql<number | null>`(extract(epoch from min(${turns.startedAt})) * 1000)::float8` })
      .from(turns)
      .where(
        and(
          inArray(turns.runId, ids),
          gt(turns.attempt, 1),
          sql`${turns.startedAt} > to_timestamp(${killedAt / 1000})`,
        ),
      );
    const resumedAt = first?.at ? Number(first.at) : null;
    console.log(
      JSON.stringify({
        msg: "fault-figures",
        scenario: "sigkill-recovery",
        leaseMs: LEASE_MS,
        killToResumedMs: resumedAt ? resumedAt - killedAt : null,
        leaseExpiryToResumedMs: resumedAt ? resumedAt - killedAt - LEASE_MS : null,
      }),
    );
    expect(figures.runs).toBe(24);
    await killAll(children);
  }, 180_000);

  it("SIGSTOP past the lease: the stale worker wakes, its workspace write is refused, the rescuer's stands", async () => {
    const url = handle.url ?? "";
    const stale = spawn(url, "stale");
    const [runId] = await createRuns(handle.db, 1, SLOW_JOB);
    if (!runId) throw new Error("no run");
    await stale.waitForLine((l) => l.msg === "slow_write started" && l.runId === runId, 60_000);
    stale.child.kill("SIGSTOP");
    const rescuer = spawn(url, "rescuer");
    // The rescuer claims once the lease expired (attempt 2) and waits on the stale call's open transaction.
    const until = Date.now() + 60_000;
    while ((await handle.db.select({ attempt: runs.attempt }).from(runs).where(eq(runs.id, runId)))[0]?.attempt !== 2) {
      if (Date.now() > until) throw new Error("rescuer never claimed");
      await new Promise((r) => setTimeout(r, 100));
    }
    stale.child.kill("SIGCONT");
    const refused = await stale.waitForLine((l) => l.msg === "slow_write refused" && l.runId === runId, 30_000);
    expect(String(refused.error)).toMatch(/lease .* lost: workspace write refused/);
    const [done] = await settle(handle.db, [runId], 60_000);
    expect(done?.state).toBe("succeeded");
    const [file] = await handle.db
      .select()
      .from(workspaceFiles)
      .where(and(eq(workspaceFiles.runId, runId), eq(workspaceFiles.path, "stale.txt")));
    const content = rowsOf<{ content: string }>(
      await handle.db.execute(
        sql`select convert_from(content, 'UTF8') as content from workspace_blobs where sha256 = ${file?.sha256 ?? ""}`,
      ),
    )[0]?.content;
    expect(content).toBe(`written by pid ${rescuer.child.pid}`);
    expect((await verifyAuditChain(handle.db)).ok).toBe(true);
    console.log(
      JSON.stringify({ msg: "fault-figures", scenario: "sigstop", staleWriteRefused: true, fileWrittenBy: "rescuer" }),
    );
    await killAll([stale, rescuer]);
  }, 120_000);

  it("pg_terminate_backend of every app connection under load: the pools heal, no run fails", async () => {
    const url = handle.url ?? "";
    spawn(url, "term-a");
    spawn(url, "term-b");
    await Promise.all(children.slice(-2).map((c) => c.waitForLine((l) => l.msg === "worker started", 60_000)));
    // The test process is an app instance too: it runs a worker on its own pool.
    const local = await startWorker({
      handle,
      executor: createAgentExecutor(),
      workerId: "term-app",
      pollIntervalMs: 200,
      leaseMs: LEASE_MS,
      logger: silentLogger,
    });
    const ids = await createRuns(handle.db, 24);
    const admin = await openPostgres(url, 1);
    let terminated = 0;
    for (let round = 0; round < 6; round++) {
      await new Promise((r) => setTimeout(r, 400));
      const killed = rowsOf<{ ok: boolean }>(
        await admin.db.execute(sql`select pg_terminate_backend(pid) as ok from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid() and application_name like 'flightdeck%'`),
      );
      terminated += killed.length;
    }
    await admin.close();
    const healthStarted = Date.now();
    expect(
      await retrying(() =>
        pingDatabase(handle).then((ok) =>
          ok ? ok : Promise.reject(Object.assign(new Error("down"), { code: "08006" })),
        ),
      ),
    ).toBe(true);
    const figures = await report(handle.db, "pg_terminate_backend", ids, {
      rounds: 6,
      connectionsTerminated: terminated,
      healthyAfterMs: Date.now() - healthStarted,
    });
    await local.stop();
    await killAll(children);
    expect(figures.lost).toBe(0);
  }, 180_000);

  it("SIGTERM drain during load: the worker exits 0 within the grace, hands back what it held, nothing is lost", async () => {
    const url = handle.url ?? "";
    const draining = spawn(url, "drain-a", { "grace-ms": 3000 });
    spawn(url, "drain-b", { "grace-ms": 3000 });
    await Promise.all(children.slice(-2).map((c) => c.waitForLine((l) => l.msg === "worker started", 60_000)));
    const ids = await createRuns(handle.db, 24);
    await new Promise((r) => setTimeout(r, 1200));
    const sentAt = Date.now();
    draining.child.kill("SIGTERM");
    const code = await draining.exited;
    const exitMs = Date.now() - sentAt;
    expect(code).toBe(0);
    const stopped = await draining.waitForLine((l) => l.msg === "worker stopped", 1_000);
    const held = await handle.db
      .select({ id: runs.id })
      .from(runs)
      .where(and(eq(runs.leaseOwner, "drain-a"), isNotNull(runs.leaseToken), gt(runs.leaseExpiresAt, sql`now()`)));
    expect(held).toEqual([]);
    await report(handle.db, "sigterm-drain", ids, {
      exitMs,
      drainMs: stopped.drainMs,
      turnsInFlight: stopped.turnsInFlight,
      leasesLeftHeld: held.length,
    });
    await killAll(children);
  }, 180_000);
});

describe.runIf(process.env.TEST_DATABASE_URL)("Postgres restart under load (private cluster)", () => {
  let cluster: PrivatePostgres | undefined;
  let db: DatabaseHandle | undefined;
  afterAll(async () => {
    await killAll(children);
    await db?.close().catch(() => {});
    cluster?.destroy();
  });

  it("workers keep serving through a restart: health says down, then recovers without a process restart", async () => {
    cluster = await startPrivatePostgres();
    db = await openPostgres(cluster.url, 4);
    await runMigrations(db);
    await installJobs(db.db, faultJobs(port));
    spawn(cluster.url, "restart-a");
    spawn(cluster.url, "restart-b");
    await Promise.all(children.slice(-2).map((c) => c.waitForLine((l) => l.msg === "worker started", 60_000)));
    const ids = await createRuns(db.db, 16);
    await new Promise((r) => setTimeout(r, 1000));
    const stoppedAt = Date.now();
    cluster.stop();
    const healthWhileDown = await pingDatabase(db, 1_000);
    await new Promise((r) => setTimeout(r, 1500));
    cluster.start();
    const startedAt = Date.now();
    let servedAgainMs: number | null = null;
    for (const until = Date.now() + 60_000; Date.now() < until;) {
      const [row] = await db.db
        .select({ n: sql<number>`count(*)::int` })
        .from(turns)
        .where(and(inArray(turns.runId, ids), gt(turns.finishedAt, new Date(startedAt))))
        .catch(() => [undefined]);
      if (row && row.n > 0) {
        servedAgainMs = Date.now() - startedAt;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const healthAfter = await pingDatabase(db);
    expect(healthWhileDown).toBe(false);
    expect(healthAfter).toBe(true);
    await report(db.db, "postgres-restart", ids, {
      downMs: startedAt - stoppedAt,
      servedAgainAfterStartMs: servedAgainMs,
      healthWhileDown: healthWhileDown ? "up" : "down",
    });
  }, 240_000);
});
