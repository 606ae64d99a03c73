import "server-only";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { setDatabase, type Db } from "@/db/client";
import { exportAudit, verifyAuditLog } from "@/lib/audit";
import { removeJobs } from "@/lib/jobs";
import { runLineage } from "@/lib/lineage";
import { getRunDetail } from "@/lib/runtime";
import type { AttackTarget } from "./attacks";
import { auditClaims } from "./audit-measures";
import { newCanaries, type Canaries } from "./canaries";
import { searchCanaries } from "./canary-search";
import { atMost } from "./claims";
import { measureContention } from "./contention-measures";
import { applyProofEnvironment, KEPT_NAMES, proofDirs, setWriteBudget, type ProofDirs } from "./environment";
import { exportAndVerifyBundle } from "./evidence-bundle";
import { proofContext } from "./inclusion";
import { measureIsolation } from "./isolation-measures";
import { keepDatabase } from "./keep";
import type { KeptDatabase } from "./kept-commands";
import { runAuthority } from "./lineage-summary";
import { captureLogs, type LogCapture } from "./log-capture";
import { proofMeta } from "./machine";
import { pct } from "./metrics";
import { proofResponder } from "./model-scripts";
import { startOpenAiLoopback, type Loopback } from "./openai-loopback";
import { proofJobs, type ProofJobs } from "./pack";
import { PEOPLE } from "./people";
import type { ProofReport } from "./report-types";
import { startProofRuntime } from "./runtime";
import { runContention, TENANTS } from "./scenario-contention";
import { runGoverned } from "./scenario-audit";
import { runIsolation } from "./scenario-isolation";
import type { ScratchDatabase } from "./scratch-database";
import { cancelLeftoverRuns } from "./live-cleanup";
import { liveTarget, scratchTarget, type ProofTarget } from "./targets";
import { FULL_SIZES, SMOKE_SIZES, type ProofSizes } from "./sizes";
import { cdfPoints } from "./svg-lines";
import { tamperCopy } from "./tamper";
import { THRESHOLDS } from "./thresholds";

export interface ProofOptions {
  smoke: boolean;
  /** Where the bundle (and the caller's report files) go. */
  outDir: string;
  /** A Postgres server for the scratch databases; unset: embedded PGlite. */
  serverUrl?: string;
  /**
   * Leave the databases in place for a cockpit (PGlite: under <outDir>/databases) instead of
   * removing them; only once the proof has completed (a failed proof removes them as without).
   */
  keep?: boolean;
  /** The command line as the reader would type it. */
  command: string;
  /**
   * `--live`: the running deployment's database (its URL), instead of scratch databases. The
   * process must run with the deployment's environment (audit keys, origin, anchors); checked first.
   */
  liveUrl?: string;
  progress: (line: string) => void;
}

interface Shared {
  sizes: ProofSizes;
  jobs: ProofJobs;
  canaries: Canaries;
  target: ProofTarget;
  /** The scratch databases' directories; live, null. */
  dirs: ProofDirs | null;
  loopback: Loopback;
  logs: LogCapture;
  options: ProofOptions;
  setTarget: (target: AttackTarget) => void;
  /** With --keep: each test's database, closed but not removed, until the proof has completed. */
  toKeep: Map<KeptDatabase["name"], ScratchDatabase>;
}

/** Runs the three tests and answers the report (the caller writes it). */
export async function runProof(options: ProofOptions): Promise<ProofReport> {
  const started = Date.now();
  const sizes = options.smoke ? SMOKE_SIZES : FULL_SIZES;
  const canaries = newCanaries();
  const keepIn = options.keep ? path.join(options.outDir, "databases") : null;
  // A kept PGlite directory from an earlier run would be opened, not created: refuse rather than mix.
  if (keepIn && existsSync(keepIn) && readdirSync(keepIn).length > 0)
    throw new Error(`${keepIn} holds an earlier --keep run's databases: remove them first, or give another --out`);
  if (options.liveUrl && options.keep)
    throw new Error("--keep and --live exclude each other: a live proof's evidence stays in the deployment");
  const dirs = options.liveUrl ? null : proofDirs(keepIn);
  let attackTarget: AttackTarget | null = null;
  const loopback = await startOpenAiLoopback(proofResponder({ modelMs: 0, target: () => attackTarget }));
  applyProofEnvironment({ dirs, modelBaseUrl: loopback.baseUrl, canaries, sizes });
  mkdirSync(options.outDir, { recursive: true });
  const toKeep = new Map<KeptDatabase["name"], ScratchDatabase>();
  let target: ProofTarget;
  try {
    target = await openTarget(options, dirs, toKeep);
  } catch (error) {
    await loopback.close();
    dirs?.remove();
    throw error;
  }
  const logs = captureLogs();
  const shared: Shared = {
    sizes,
    jobs: proofJobs(sizes),
    canaries,
    target,
    dirs,
    loopback,
    logs,
    options,
    setTarget: (t) => (attackTarget = t),
    toKeep,
  };
  let completed = false;
  try {
    if (target.kind === "live") {
      // What a killed live proof left open would take the slots this one measures.
      const live = await target.open(KEPT_NAMES.isolation);
      const cancelled = await cancelLeftoverRuns(live.handle.db, jobIds(shared), PEOPLE.admin);
      if (cancelled > 0) options.progress(`live: ${cancelled} runs an earlier live proof left open cancelled first`);
    }
    const contention = await testContention(shared);
    const contentionMs = Date.now() - started;
    const rest = await testIsolationAndAudit(shared);
    const claims = [...contention.claims, ...rest.isolation.claims, ...rest.audit.claims];
    const verdict = (test: string) => claims.filter((c) => c.test === test).every((c) => c.pass);
    // Keeping (seeding users, sealing) is no test's time; the total includes it.
    const testsMs = Date.now() - started;
    const kept = await keepAll(shared);
    completed = true;
    return {
      format: "flightdeck-proof",
      formatVersion: 1,
      meta: proofMeta(options.command, `${contention.database}; tests 2 and 3: ${rest.database}`),
      databases: { kept: keepIn !== null, where: keepIn, list: kept },
      mode: options.smoke ? "smoke" : "full",
      target: target.kind,
      sizes,
      thresholds: THRESHOLDS,
      durations: {
        totalMs: Date.now() - started,
        contentionMs,
        isolationAndAuditMs: testsMs - contentionMs,
      },
      contention: { result: contention.result, cdf: contention.cdf, claims: contention.claims },
      isolation: rest.isolation,
      audit: rest.audit,
      claims,
      verdicts: { contention: verdict("contention"), isolation: verdict("isolation"), audit: verdict("audit") },
    };
  } finally {
    if (!completed) {
      for (const scratch of shared.toKeep.values()) await scratch.drop();
      if (keepIn) rmSync(keepIn, { recursive: true, force: true });
    }
    // Each step on its own: one failing must not leave the others undone (nor hide the proof's own error).
    const steps = [
      () => (target.kind === "live" ? retireLive(shared) : Promise.resolve()),
      () => target.close(),
      () => Promise.resolve(logs.restore()),
      () => loopback.close(),
      () => Promise.resolve(dirs?.remove()),
    ];
    for (const step of steps)
      await step().catch((error: unknown) =>
        options.progress(`cleaning up failed: ${error instanceof Error ? error.message : String(error)}`),
      );
  }
}

function openTarget(
  options: ProofOptions,
  dirs: ProofDirs | null,
  toKeep: Map<KeptDatabase["name"], ScratchDatabase>,
): Promise<ProofTarget> {
  if (options.liveUrl) return liveTarget(options.liveUrl);
  if (!dirs) throw new Error("scratch databases need the proof's directories");
  return Promise.resolve(
    scratchTarget({
      serverUrl: options.serverUrl,
      dirs,
      keep: dirs.kept ? (name, database) => void toKeep.set(name, database) : null,
    }),
  );
}

/**
 * Live, once the proof ends: its runs still open are cancelled (cancelLeftoverRuns) and its jobs marked
 * removed; their runs and events stay as evidence, and the deployment's cockpit offers no job that no
 * worker of the deployment would run.
 */
const jobIds = (s: Shared) => Object.values(s.jobs).map((j) => j.id);

async function retireLive(s: Shared): Promise<void> {
  const live = await s.target.open(KEPT_NAMES.isolation);
  const ids = jobIds(s);
  const cancelled = await cancelLeftoverRuns(live.handle.db, ids, PEOPLE.admin);
  const removed = await removeJobs(live.handle.db, ids, PEOPLE.admin);
  s.options.progress(
    `live: ${cancelled} of the proof's runs still open cancelled; its ${removed.length} jobs marked removed (their runs and events stay)`,
  );
}

/** `--keep`: each database left in place with sign-in users, once every measurement is made. */
async function keepAll(s: Shared): Promise<KeptDatabase[]> {
  const kept: KeptDatabase[] = [];
  const keptDirs = s.dirs?.kept;
  if (!keptDirs || !s.dirs) return kept;
  const plan = [
    { name: KEPT_NAMES.contention, tests: ["contention" as const], dataDir: keptDirs.contention },
    { name: KEPT_NAMES.isolation, tests: ["isolation" as const, "audit" as const], dataDir: keptDirs.isolation },
  ];
  for (const { name, tests, dataDir } of plan) {
    const scratch = s.toKeep.get(name);
    if (!scratch) throw new Error(`the ${name} database was not kept`);
    s.options.progress(`keeping the ${name} database: seeding the demo users, sealing their events`);
    kept.push(
      await keepDatabase(scratch, {
        name,
        tests,
        dataDir,
        keyDir: s.dirs.keyDir,
        serverUrl: s.options.serverUrl,
        logger: s.logs.logger,
      }),
    );
  }
  return kept;
}

/** With --keep, where a test's database waits (closed) for keepAll; without, null: it is removed at once. */

async function testContention(s: Shared) {
  s.options.progress("test 1 — a scheduler under contention");
  const scratch = await s.target.open(KEPT_NAMES.contention);
  try {
    setDatabase(scratch.handle);
    setWriteBudget(s.sizes.writesPerMinute);
    const database = await s.target.label(scratch);
    const runtime = await startProofRuntime(scratch.handle, s.jobs, {
      slots: s.sizes.slots,
      modelMs: s.sizes.modelMs,
      logs: s.logs,
      live: s.target.kind === "live",
    });
    let record;
    try {
      record = await runContention(scratch.handle.db, s.jobs, s.sizes, s.options.progress, s.target.keyPrefix);
    } finally {
      await runtime.stop();
    }
    const measured = await measureContention(scratch.handle.db, record, s.sizes, s.target.keyPrefix);
    const { claims, waitsByKey, trickle, ...rest } = measured;
    const summary = (v: number[]) => ({ p50: pct(v, 50), p99: pct(v, 99) });
    const cdf = [
      { label: `${TENANTS.trickle} under contention`, points: cdfPoints(trickle.contended) },
      { label: `${TENANTS.trickle} alone`, points: cdfPoints(trickle.alone) },
      { label: `${TENANTS.trickle}, FIFO replay`, points: cdfPoints(trickle.fifo) },
      ...[TENANTS.burst, TENANTS.weighted].map((k) => ({ label: k, points: cdfPoints(waitsByKey[k] ?? []) })),
    ];
    return {
      database,
      claims,
      cdf,
      result: {
        ...rest,
        trickle: { alone: summary(trickle.alone), contended: summary(trickle.contended), fifo: summary(trickle.fifo) },
      },
    };
  } finally {
    await s.target.release(KEPT_NAMES.contention, scratch);
  }
}

async function testIsolationAndAudit(s: Shared) {
  s.options.progress("test 2 — workspace isolation; test 3 — an audit-trail query");
  const scratch = await s.target.open(KEPT_NAMES.isolation);
  const anchorDir = s.target.anchorDir(KEPT_NAMES.isolation);
  let copyDrop: (() => Promise<void>) | null = null;
  try {
    setDatabase(scratch.handle);
    setWriteBudget(null);
    const db = scratch.handle.db;
    const database = await s.target.label(scratch);
    const runtime = await startProofRuntime(scratch.handle, s.jobs, {
      slots: s.sizes.slots,
      modelMs: 0,
      logs: s.logs,
      live: s.target.kind === "live",
    });
    const loopbackPort = Number(new URL(s.loopback.baseUrl).port);
    let isolation;
    let governed;
    try {
      isolation = await runIsolation(db, s.jobs, s.sizes, {
        canaries: s.canaries,
        loopbackPort,
        setTarget: s.setTarget,
        runtime,
        progress: s.options.progress,
      });
      governed = await runGoverned(db, s.jobs, s.options.progress, s.target.tag);
    } finally {
      await runtime.stop();
    }
    const context = await proofContext(db);
    const attacks = await measureIsolation(db, isolation, {
      canaries: s.canaries,
      loopbackPort,
      jobId: s.jobs.hostile.id,
      proofContext: context,
    });

    s.options.progress("test 3 — lineage of every run, log verification, evidence bundle");
    const runIds = [
      isolation.victimRunId,
      ...isolation.hostileRunIds,
      ...isolation.releaseRunIds,
      governed.reviewed,
      governed.intake,
      governed.operated,
    ];
    const authorities = [];
    for (const id of runIds) authorities.push(await runAuthority(db, id, context));
    const verify = await verifyAuditLog(db, { anchorDir });
    const bundle = await exportAndVerifyBundle(
      db,
      path.join(s.options.outDir, "evidence.bundle.jsonl"),
      "job:proof-hostile",
      context?.key ?? "",
    );

    s.options.progress("test 2 — searching every table, the logs and the responses for the canary secrets");
    const canaryHits = await searchCanaries(db, s.canaries, await responseTexts(db, runIds, s, bundle.file));
    const canaryClaim = atMost({
      id: "isolation.canaries",
      test: "isolation",
      statement: `Canary secrets (the model endpoint's key, a run input's apiKey, a token-shaped string the hostile model sends out) appear nowhere: ${canaryHits.searched.length} places searched`,
      threshold: `${THRESHOLDS.canaryHits} hits`,
      value: canaryHits.total,
      limit: THRESHOLDS.canaryHits,
      unit:
        canaryHits.total === 0
          ? "hits"
          : `hits (${canaryHits.hits.map((h) => `${h.where}: ${h.count} × ${h.canary}`).join(", ")})`,
      evidence: `/runs/${isolation.hostileRunIds[0] ?? ""}`,
    });

    // The tampered copy comes last: it closes this database.
    const approvalSeq = authorities
      .find((a) => a.runId === governed.reviewed)
      ?.events.find((e) => e.action === "approval.decided")?.seq;
    const seq = approvalSeq ?? Math.max(1, Math.floor(verify.treeSize / 2));
    s.options.progress(`test 3 — tampering with event #${seq} in a copy of the database`);
    const tampered = await tamperCopy(scratch, seq, { anchorDir });
    copyDrop = () => tampered.copy.drop();
    return {
      database,
      isolation: { attacks: attacks.attacks, canaries: canaryHits, claims: [...attacks.claims, canaryClaim] },
      audit: {
        authorities,
        verify,
        bundle,
        tamper: tampered.check,
        claims: auditClaims({ authorities, governed, verify, bundle, tamper: tampered.check }),
      },
    };
  } finally {
    await copyDrop?.();
    await s.target.release(KEPT_NAMES.isolation, scratch);
  }
}

/**
 * What the product answers to people and to the model: the run page's data and lineage of every
 * run (what GET /api/runs/{id} and /api/runs/{id}/lineage serve), a JSONL export of the whole
 * log and the evidence bundle, every request body the runtime sent to the model (tool results
 * and histories), and every captured log line.
 */
async function responseTexts(db: Db, runIds: string[], s: Shared, bundleFile: string) {
  const texts: { where: string; text: string }[] = [];
  for (const id of runIds) {
    texts.push({ where: `run page data of ${id.slice(0, 8)}`, text: JSON.stringify(await getRunDetail(db, id)) });
    texts.push({ where: `lineage of ${id.slice(0, 8)}`, text: JSON.stringify(await runLineage(db, id)) });
  }
  const exported = await exportAudit(db, PEOPLE.admin, "", "jsonl");
  texts.push({ where: "audit export (JSONL, whole log)", text: await exported.text() });
  texts.push({ where: "evidence bundle", text: readFileSync(bundleFile, "utf8") });
  texts.push({
    where: `model requests (${s.loopback.requests.length} bodies)`,
    text: JSON.stringify(s.loopback.requests.map((r) => r.body)),
  });
  texts.push({ where: `captured logs (${s.logs.lines.length} lines)`, text: s.logs.lines.join("\n") });
  return texts;
}
