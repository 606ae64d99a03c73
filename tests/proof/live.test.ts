import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres, type DatabaseHandle } from "@/db/client";
import { rowsOf } from "@/db/rows";
import { auditKeys, latestCheckpoint, verifyAuditLog } from "@/lib/audit";
import { resetAuditKeys } from "@/lib/audit/keys";
import { resetEnvCache } from "@/lib/env";
import { loadJobRegistry } from "@/lib/jobs";
import { installPacks } from "@/lib/packs";
import { LiveProofRefused, reportHtml, runProof, type ProofReport } from "@/lib/proof";
import { PEOPLE } from "@/lib/proof/people";
import { createRun } from "@/lib/runtime";
import { packs } from "@/server/packs";
import { killAll, spawnWorker, type WorkerChild } from "@/tests/runtime/processes";
import { databasesNamed } from "./kept";

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
  const envBefore = { ...process.env };
  let databasesBefore: string[];

  const useDeploymentEnvironment = () => {
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
        env: { FLIGHTDECK_DATA_DIR: dataDir, FLIGHTDECK_AUDIT_ANCHOR_DIR: path.join(dataDir, "anchors") },
      },
    );
    await deployment.waitForLine((l) => l.msg === "worker started", 60_000);
    useDeploymentEnvironment();
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
    for (let i = 0; i < 100 && !(await latestCheckpoint(handle.db)); i++) await new Promise((r) => setTimeout(r, 100));
    databasesBefore = await databasesNamed(serverUrl, "");
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

  it("creates no database, and leaves the deployment's jobs, endpoints and runs to the deployment", async () => {
    expect(await databasesNamed(serverUrl ?? "", "")).toEqual(databasesBefore);
    const jobs = rowsOf<{ id: string; removed: boolean }>(
      await handle.db.execute(sql`select id, removed_at is not null as removed from jobs order by id`),
    );
    // The deployment's stay registered; the proof's are marked removed once it ended.
    for (const j of jobs) expect(j.removed).toBe(j.id.startsWith("proof-"));
    expect(jobs.filter((j) => !j.removed).map((j) => j.id)).toContain("sandbox-agent");
    const endpoints = rowsOf<{ name: string; provider: string }>(
      await handle.db.execute(sql`select name, provider from model_endpoints order by name`),
    );
    expect(endpoints.find((e) => e.name === "default")?.provider).toBe("simulated");
    expect(endpoints.map((e) => e.name)).toEqual(expect.arrayContaining(["proof-contended", "proof-scripted"]));
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
    expect(verified.treeSize).toBeGreaterThanOrEqual(report.audit.verify.treeSize);
    expect(report.audit.tamper.result.ok).toBe(false);
    expect(report.audit.tamper.result.firstBadSeq).toBe(report.audit.tamper.seq);
    // The tampered copy was an export: the deployment's event at that seq is as it was.
    const [event] = rowsOf<{ actor_label: string }>(
      await handle.db.execute(sql`select actor_label from audit_log where seq = ${report.audit.tamper.seq}`),
    );
    expect(event?.actor_label).not.toBe("someone-else@proof.example");
  });

  it("refuses before writing anything when this process does not hold the deployment's audit keys", async () => {
    const events = await count(sql`select count(*) as n from audit_events`);
    // The deployment's MAC key, another signing key.
    process.env.FLIGHTDECK_AUDIT_MAC_KEY = auditKeys().macKey.toString("base64");
    process.env.FLIGHTDECK_AUDIT_SIGNING_KEY = randomBytes(32).toString("base64");
    resetEnvCache();
    resetAuditKeys();
    try {
      await expect(
        runProof({ smoke: true, outDir, liveUrl: url, command: "npm run proof:smoke -- --live", progress: () => {} }),
      ).rejects.toThrow(LiveProofRefused);
      await expect(
        runProof({ smoke: true, outDir, liveUrl: url, command: "npm run proof:smoke -- --live", progress: () => {} }),
      ).rejects.toThrow(/does not verify with this process's signing key/);
    } finally {
      useDeploymentEnvironment();
    }
    expect(await count(sql`select count(*) as n from audit_events`)).toBe(events);
  }, 60_000);
});
