import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres, type DatabaseHandle } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { latestCheckpoint, verifyAuditLog } from "@/lib/audit";
import { resetAuditKeys } from "@/lib/audit/keys";
import { resetEnvCache } from "@/lib/env";
import { loadJobRegistry } from "@/lib/jobs";
import { installPacks } from "@/lib/packs";
import { LiveProofRefused, reportHtml, runProof, type ProofReport } from "@/lib/proof";
import { PEOPLE } from "@/lib/proof/people";
import { createRun } from "@/lib/runtime";
import { packs } from "@/server/packs";
import { killAll, spawnWorker, type WorkerChild } from "@/tests/runtime/processes";

/**
 * `npm run proof -- --live` against a running deployment: a database of its own on the
 * TEST_DATABASE_URL server, served by `npm run worker` (server/worker-main.ts: every pack, the agent
 * executor, the audit sealer) in a child process with its own data directory — the deployment. The
 * proof runs in this process with the deployment's environment, as an operator would run it.
 */
const serverUrl = process.env.TEST_DATABASE_URL;
const root = path.resolve(import.meta.dirname, "../..");

describe("npm run proof -- --live, usage", () => {
  it("without DATABASE_URL exits 2 and names it: an embedded database is open in its server's process only", () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.DATABASE_URL;
    const result = spawnSync(
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", "server/proof.ts", "--smoke", "--live"],
      { cwd: root, env, encoding: "utf8", timeout: 60_000 },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("--live needs DATABASE_URL");
  }, 60_000);
});

describe.runIf(serverUrl)("npm run proof -- --live (Postgres)", () => {
  const name = `fd_live_proof_${randomBytes(4).toString("hex")}`;
  let url: string;
  let dataDir: string;
  let outDir: string;
  let deployment: WorkerChild;
  let handle: DatabaseHandle;
  let report: ProofReport;
  let deploymentRunId: string;
  let waitingRunId: string;
  let endpointsBefore: Record<string, unknown>[];
  const envBefore = { ...process.env };

  const applyDeploymentEnvironment = () => {
    process.env.FLIGHTDECK_DATA_DIR = dataDir;
    process.env.FLIGHTDECK_AUDIT_ANCHOR_DIR = path.join(dataDir, "anchors");
    delete process.env.FLIGHTDECK_AUDIT_KEY_DIR;
    delete process.env.FLIGHTDECK_AUDIT_SIGNING_KEY;
    delete process.env.FLIGHTDECK_AUDIT_MAC_KEY;
    delete process.env.FLIGHTDECK_AUDIT_LOG_ORIGIN;
    resetEnvCache();
    resetAuditKeys();
  };
  const count = async (query: ReturnType<typeof sql>) =>
    Number(rowsOf<{ n: number | string }>(await handle.db.execute(query))[0]?.n ?? 0);
  const endpointRows = async () =>
    rowsOf<Record<string, unknown>>(
      await handle.db.execute(sql`select name, provider, model, max_concurrency, tokens_per_minute
        from model_endpoints where name not like 'proof-%' order by name`),
    );

  beforeAll(async () => {
    if (!serverUrl) return;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`create database "${name}"`);
    } finally {
      await admin.end();
    }
    const u = new URL(serverUrl);
    u.pathname = `/${name}`;
    url = u.toString();
    dataDir = await mkdtemp(path.join(tmpdir(), "fd-live-deployment-"));
    outDir = await mkdtemp(path.join(tmpdir(), "fd-live-proof-"));
    // The deployment: migrates, seals (its keys generated in its data directory), anchors, runs its packs' jobs.
    deployment = spawnWorker(
      url,
      "deployment-worker",
      {},
      {
        script: "server/worker-main.ts",
        env: {
          FLIGHTDECK_DATA_DIR: dataDir,
          FLIGHTDECK_AUDIT_ANCHOR_DIR: path.join(dataDir, "anchors"),
          // A default endpoint of its own shape, to see it kept as the deployment configured it.
          FLIGHTDECK_DEFAULT_MODEL_CONCURRENCY: "7",
        },
      },
    );
    await deployment.waitForLine((l) => l.msg === "worker started", 60_000);
    applyDeploymentEnvironment();
    handle = await openPostgres(url, 4);
    // As the deployment's app would at boot: its registry (job.registered events, sealed by its sealer), and a run.
    await loadJobRegistry(handle.db, installPacks(packs));
    const run = await handle.db.transaction((tx) =>
      createRun(tx, {
        jobId: "sandbox-agent",
        input: { task: "Say hello." },
        trigger: { kind: "manual" },
        actor: PEOPLE.operator,
      }),
    );
    deploymentRunId = run.id;
    // A deployment run waiting for a tool quota the proof's configuration does not have: a waker that
    // looked after every run would requeue it at once ("no limit configured").
    waitingRunId = await handle.db.transaction(async (tx) => {
      const waiting = await createRun(tx, {
        jobId: "sandbox-agent",
        input: { task: "Wait for the quota." },
        trigger: { kind: "manual" },
        actor: PEOPLE.operator,
      });
      await tx.execute(sql`update runs set state = 'waiting', state_reason = 'resource',
        waiting_for = 'tool:deployment_quota' where id = ${waiting.id}`);
      return waiting.id;
    });
    for (let i = 0; i < 100 && !(await latestCheckpoint(handle.db)); i++) await new Promise((r) => setTimeout(r, 100));
    endpointsBefore = await endpointRows();
    // The deployment's receiver: the proof's runs must not notify it.
    process.env.FLIGHTDECK_WEBHOOK_URL = "http://127.0.0.1:9/deployment-receiver";
    process.env.FLIGHTDECK_WEBHOOK_SECRET = `whsec_${randomBytes(24).toString("base64")}`;
    resetEnvCache();
    report = await runProof({
      smoke: true,
      outDir,
      liveUrl: url,
      command: "npm run proof:smoke -- --live",
      progress: () => {},
    });
  }, 180_000);

  afterAll(async () => {
    await handle?.close();
    await killAll(deployment ? [deployment] : []);
    if (serverUrl) {
      const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
      try {
        await admin.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await admin.end();
      }
    }
    await rm(outDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
    process.env = envBefore;
    resetEnvCache();
    resetAuditKeys();
  });

  it("says it ran live, on the deployment's database, and its isolation and audit tests pass there", () => {
    expect(report.target).toBe("live");
    expect(report.meta.database).toContain(`LIVE: the deployment's database "${name}"`);
    expect(report.databases.kept).toBe(false);
    expect(reportHtml(report)).toContain("against a LIVE deployment's own database");
    expect(report.verdicts).toMatchObject({ isolation: true, audit: true });
    for (const id of ["contention.completed", "contention.share-error", "contention.deadline", "contention.tool-quota"])
      expect(report.claims.find((c) => c.id === id)?.pass).toBe(true);
  });

  it("creates no scratch database, and leaves the deployment's jobs, endpoints and runs to the deployment", async () => {
    // (Other test files create databases on the same server meanwhile: the proof's scratch names would be proof_*.)
    expect(report.meta.database).not.toContain("scratch");
    expect(report.databases.list).toEqual([]);
    const jobs = rowsOf<{ id: string; removed: boolean }>(
      await handle.db.execute(sql`select id, removed_at is not null as removed from jobs order by id`),
    );
    // The deployment's stay registered; the proof's are marked removed once it ended.
    for (const j of jobs) expect(j.removed).toBe(j.id.startsWith("proof-"));
    expect(jobs.filter((j) => !j.removed).map((j) => j.id)).toContain("sandbox-agent");
    // The deployment's endpoints exactly as it configured them (its default has 7 slots); the proof's added beside.
    expect(await endpointRows()).toEqual(endpointsBefore);
    expect(endpointsBefore.find((e) => e.name === "default")).toMatchObject({ max_concurrency: 7 });
    const names = rowsOf<{ name: string }>(await handle.db.execute(sql`select name from model_endpoints`));
    expect(names.map((e) => e.name)).toEqual(expect.arrayContaining(["proof-contended", "proof-scripted"]));
    // Every turn of a proof run was the proof's worker's, every other turn the deployment's.
    const byWorker = rowsOf<{ proof: boolean; worker: string }>(
      await handle.db.execute(sql`select distinct r.job_id like 'proof-%' as proof, t.worker_id as worker
        from turns t join runs r on r.id = t.run_id`),
    );
    for (const row of byWorker) expect(row.worker.startsWith("proof-worker-")).toBe(row.proof);
    const [run] = rowsOf<{ state: string }>(
      await handle.db.execute(sql`select state from runs where id = ${deploymentRunId}`),
    );
    expect(run?.state).toBe("succeeded");
    // The deployment's waiting run is as it was; no deployment run was touched by a proof worker.
    expect(await count(sql`select count(*) as n from runs where id = ${waitingRunId} and state = 'waiting'`)).toBe(1);
    expect(
      await count(sql`select count(*) as n from audit_events e
        where e.actor_id like 'proof-worker-%' and e.subject_type = 'run'
          and not exists (select 1 from runs r where r.id = e.subject_id and r.job_id like 'proof-%')`),
    ).toBe(0);
    // Nothing of the proof's is left open, and nothing was queued for the deployment's webhook receiver.
    expect(
      await count(sql`select count(*) as n from runs where job_id like 'proof-%'
        and state not in ('succeeded', 'failed', 'cancelled', 'timed_out')`),
    ).toBe(0);
    expect(await count(sql`select count(*) as n from webhook_outbox`)).toBe(0);
    // Test 1's tenants under the run's own prefix: no deployment key was weighted or charged.
    const prefix = report.contention.result.keyPrefix;
    expect(prefix).toMatch(/^proof-[0-9a-f]{6}\/$/);
    expect(
      await count(sql`select count(*) as n from runs where job_id in ('proof-chat', 'proof-tools', 'proof-deadline',
        'proof-background') and not starts_with(fair_group, ${prefix})`),
    ).toBe(0);
  });

  it("wrote events the deployment's sealer sealed, in the log the deployment's anchors vouch for", async () => {
    expect(await count(sql`select count(*) as n from audit_rejections`)).toBe(0);
    const verified = await verifyAuditLog(handle.db, { anchorDir: path.join(dataDir, "anchors") });
    expect(verified).toMatchObject({ ok: true, firstBadSeq: null });
    expect(verified.anchorsChecked).toBeGreaterThan(0);
    expect(verified.treeSize).toBeGreaterThanOrEqual(report.audit.verify.treeSize);
    expect(report.audit.tamper.result.ok).toBe(false);
    expect(report.audit.tamper.result.firstBadSeq).toBe(report.audit.tamper.seq);
    // The tampered copy was an export: the deployment's event at that seq is as it was.
    const [event] = rowsOf<{ actor_label: string }>(
      await handle.db.execute(sql`select actor_label from audit_log where seq = ${report.audit.tamper.seq}`),
    );
    expect(event?.actor_label).not.toBe("someone-else@proof.example");
  });

  it("refuses before writing anything without the deployment's keys, with other keys, or at another migration", async () => {
    const events = await count(sql`select count(*) as n from audit_events`);
    const live = () =>
      runProof({ smoke: true, outDir, liveUrl: url, command: "npm run proof:smoke -- --live", progress: () => {} });
    const signingKey = readKey("signing.key");
    const macKey = readKey("mac.key");
    const refusedWith = async (env: Record<string, string>, message: RegExp) => {
      Object.assign(process.env, env);
      resetEnvCache();
      resetAuditKeys();
      try {
        await expect(live()).rejects.toThrow(LiveProofRefused);
        await expect(live()).rejects.toThrow(message);
      } finally {
        for (const variable of Object.keys(env)) delete process.env[variable];
        applyDeploymentEnvironment();
      }
    };
    // No keys where this process looks: refused, and none generated there.
    const empty = await mkdtemp(path.join(tmpdir(), "fd-live-nokeys-"));
    await refusedWith({ FLIGHTDECK_DATA_DIR: empty }, /no audit key/);
    expect(readdirSync(empty)).toEqual([]);
    await rm(empty, { recursive: true, force: true });
    await refusedWith(
      { FLIGHTDECK_AUDIT_SIGNING_KEY: randomBytes(32).toString("base64"), FLIGHTDECK_AUDIT_MAC_KEY: macKey },
      /does not verify with this process's signing key/,
    );
    await refusedWith(
      { FLIGHTDECK_AUDIT_SIGNING_KEY: signingKey, FLIGHTDECK_AUDIT_MAC_KEY: randomBytes(32).toString("base64") },
      /MAC does not verify with this process's MAC key/,
    );
    await handle.db.execute(
      sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('later', 99999999999999)`,
    );
    try {
      await refusedWith({}, /at migration 99999999999999 and this build's newest is/);
    } finally {
      await handle.db.execute(sql`delete from drizzle.__drizzle_migrations where hash = 'later'`);
    }
    expect(await count(sql`select count(*) as n from audit_events`)).toBe(events);
  }, 90_000);

  const readKey = (file: string) => readFileSync(path.join(dataDir, "audit-keys", file), "utf8").trim();
});
