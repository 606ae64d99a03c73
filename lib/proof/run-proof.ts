import "server-only";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { setDatabase, type Db } from "@/db/client";
import { exportAudit, verifyAuditLog } from "@/lib/audit";
import { runLineage } from "@/lib/lineage";
import { getRunDetail } from "@/lib/runtime";
import type { AttackTarget } from "./attacks";
import { auditClaims } from "./audit-measures";
import { newCanaries, type Canaries } from "./canaries";
import { searchCanaries } from "./canary-search";
import { atMost } from "./claims";
import { measureContention } from "./contention-measures";
import {
  applyProofEnvironment,
  KEPT_NAMES,
  proofDirs,
  setAnchorDir,
  setWriteBudget,
  type ProofDirs,
} from "./environment";
import { exportAndVerifyBundle } from "./evidence-bundle";
import { proofContext } from "./inclusion";
import { measureIsolation } from "./isolation-measures";
import { keepDatabase } from "./keep";
import type { KeptDatabase } from "./kept-commands";
import { runAuthority } from "./lineage-summary";
import { captureLogs, type LogCapture } from "./log-capture";
import { databaseLabel, proofMeta } from "./machine";
import { pct } from "./metrics";
import { proofResponder } from "./model-scripts";
import { startOpenAiLoopback, type Loopback } from "./openai-loopback";
import { proofJobs, type ProofJobs } from "./pack";
import { PEOPLE } from "./people";
import { releaseScratch } from "./release";
import type { ProofReport } from "./report-types";
import { startProofRuntime } from "./runtime";
import { runContention, TENANTS } from "./scenario-contention";
import { runGoverned } from "./scenario-audit";
import { runIsolation } from "./scenario-isolation";
import { openScratchDatabase, type ScratchDatabase } from "./scratch-database";
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
  progress: (line: string) => void;
}

interface Shared {
  sizes: ProofSizes;
  jobs: ProofJobs;
  canaries: Canaries;
  dirs: ProofDirs;
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
  const dirs = proofDirs(keepIn);
  let target: AttackTarget | null = null;
  const loopback = await startOpenAiLoopback(proofResponder({ modelMs: 0, target: () => target }));
  applyProofEnvironment({ dirs, modelBaseUrl: loopback.baseUrl, canaries, sizes });
  mkdirSync(options.outDir, { recursive: true });
  const logs = captureLogs();
  const shared: Shared = {
    sizes,
    jobs: proofJobs(sizes),
    canaries,
    dirs,
    loopback,
    logs,
    options,
    setTarget: (t) => (target = t),
    toKeep: new Map(),
  };
  let completed = false;
  try {
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
    logs.restore();
    await loopback.close();
    dirs.remove();
  }
}

/** `--keep`: each database left in place with sign-in users, once every measurement is made. */
async function keepAll(s: Shared): Promise<KeptDatabase[]> {
  const kept: KeptDatabase[] = [];
  const { kept: keptDirs } = s.dirs;
  if (!keptDirs) return kept;
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
function keeping(s: Shared, name: KeptDatabase["name"]) {
  return s.dirs.kept ? (scratch: ScratchDatabase) => void s.toKeep.set(name, scratch) : null;
}

async function testContention(s: Shared) {
  s.options.progress("test 1 — a scheduler under contention");
  const scratch = await openScratchDatabase({
    serverUrl: s.options.serverUrl,
    pgliteDir: s.dirs.pgliteDirs.contention,
    prefix: "proof_contention",
    poolSize: 12,
  });
  try {
    setDatabase(scratch.handle);
    setAnchorDir(s.dirs.anchorDirs.contention);
    setWriteBudget(s.sizes.writesPerMinute);
    const database = await databaseLabel(scratch.handle.db, scratch.kind, scratch.dir);
    const runtime = await startProofRuntime(scratch.handle, s.jobs, {
      slots: s.sizes.slots,
      modelMs: s.sizes.modelMs,
      logs: s.logs,
    });
    let record;
    try {
      record = await runContention(scratch.handle.db, s.jobs, s.sizes, s.options.progress);
    } finally {
      await runtime.stop();
    }
    const measured = await measureContention(scratch.handle.db, record, s.sizes);
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
    await releaseScratch(scratch, keeping(s, KEPT_NAMES.contention));
  }
}

async function testIsolationAndAudit(s: Shared) {
  s.options.progress("test 2 — workspace isolation; test 3 — an audit-trail query");
  const scratch = await openScratchDatabase({
    serverUrl: s.options.serverUrl,
    pgliteDir: s.dirs.pgliteDirs.isolation,
    prefix: "proof_isolation",
    poolSize: 12,
  });
  let copyDrop: (() => Promise<void>) | null = null;
  try {
    setDatabase(scratch.handle);
    setAnchorDir(s.dirs.anchorDirs.isolation);
    setWriteBudget(null);
    const db = scratch.handle.db;
    const database = await databaseLabel(db, scratch.kind, scratch.dir);
    const runtime = await startProofRuntime(scratch.handle, s.jobs, { slots: s.sizes.slots, modelMs: 0, logs: s.logs });
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
      governed = await runGoverned(db, s.jobs, s.options.progress);
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
    const verify = await verifyAuditLog(db, { anchorDir: s.dirs.anchorDirs.isolation });
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
    const tampered = await tamperCopy(scratch, seq, { anchorDir: s.dirs.anchorDirs.isolation });
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
    await releaseScratch(scratch, keeping(s, KEPT_NAMES.isolation));
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
