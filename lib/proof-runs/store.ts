import "server-only";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { getEnv } from "@/lib/env";
import type { ProofRunDetail, ProofRunView } from "./types";

/**
 * Where cockpit-started proofs live: <FLIGHTDECK_DATA_DIR>/proof-runs/<id>/ holding run.json
 * (who, when, which mode, the process), progress.log (everything it printed) and, once it
 * finished, report.json and report.html as `npm run proof` writes them.
 */
export function proofRunsDir(): string {
  return path.resolve(getEnv().FLIGHTDECK_DATA_DIR, "proof-runs");
}

/** Ids are made here (a UTC time to the millisecond and the mode); anything else is not a run of ours. */
const idPattern = /^\d{8}T\d{9}Z-(smoke|full)$/;
export const isProofRunId = (id: string) => idPattern.test(id);

export function runDir(id: string): string {
  if (!isProofRunId(id)) throw new Error(`not a proof run id: ${id}`);
  return path.join(proofRunsDir(), id);
}

const verdicts = z.object({ contention: z.boolean(), isolation: z.boolean(), audit: z.boolean() });

/** What the history shows of a finished run, kept in run.json so a listing never parses a whole report. */
const runSummary = z.object({
  verdicts,
  claims: z.object({ passed: z.number().int(), total: z.number().int() }),
  totalMs: z.number(),
  commit: z.string(),
});
export type RunSummary = z.infer<typeof runSummary>;

const runRecord = z.object({
  id: z.string(),
  mode: z.enum(["smoke", "full"]),
  startedAt: z.string(),
  startedBy: z.string(),
  pid: z.number().int().nullable(),
  finishedAt: z.string().nullable(),
  exitCode: z.number().int().nullable(),
  /** Written when the run's report is first read (at exit); absent in runs recorded before it existed. */
  summary: runSummary.nullable().optional(),
});
export type RunRecord = z.infer<typeof runRecord>;

export function writeRunRecord(record: RunRecord): void {
  mkdirSync(runDir(record.id), { recursive: true });
  writeFileSync(path.join(runDir(record.id), "run.json"), `${JSON.stringify(record, null, 2)}\n`);
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

export function readRunRecord(id: string): RunRecord | null {
  const parsed = runRecord.safeParse(readJson(path.join(runDir(id), "run.json")));
  return parsed.success ? parsed.data : null;
}

/** The parts of a proof report (lib/proof ProofReport) the history shows; the rest stays in the file. */
const reportSummary = z.object({
  format: z.literal("flightdeck-proof"),
  meta: z.object({ commit: z.string() }),
  durations: z.object({ totalMs: z.number() }),
  claims: z.array(z.object({ pass: z.boolean() })),
  verdicts,
});

/** Reads the run's report.json once: its summary, or null when there is no (valid) report. */
export function summarizeReport(id: string): RunSummary | null {
  const report = reportSummary.safeParse(readJson(path.join(runDir(id), "report.json")));
  if (!report.success) return null;
  const { verdicts: v, claims, durations, meta } = report.data;
  return {
    verdicts: v,
    claims: { passed: claims.filter((c) => c.pass).length, total: claims.length },
    totalMs: durations.totalMs,
    commit: meta.commit,
  };
}

/**
 * The summary of a run that is over: from run.json, else read from its report once and kept
 * (a run recorded before summaries existed, or whose server stopped before the exit was seen).
 */
function summaryOf(record: RunRecord, running: boolean): RunSummary | null {
  if (record.summary !== undefined && record.summary !== null) return record.summary;
  if (running) return null;
  const summary = summarizeReport(record.id);
  if (summary) writeRunRecord({ ...record, summary });
  return summary;
}

export function isAlive(pid: number | null): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function view(record: RunRecord): ProofRunView {
  const running = record.finishedAt === null && isAlive(record.pid);
  const summary = summaryOf(record, running);
  const allPass = summary ? Object.values(summary.verdicts).every(Boolean) : false;
  return {
    id: record.id,
    mode: record.mode,
    status: running ? "running" : summary ? (allPass ? "passed" : "failed") : "error",
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    startedBy: record.startedBy,
    verdicts: summary?.verdicts ?? null,
    claims: summary?.claims ?? null,
    totalMs: summary?.totalMs ?? null,
    commit: summary?.commit ?? null,
  };
}

/** Every cockpit-started proof, newest first. */
export function listProofRuns(limit = 50): ProofRunView[] {
  const dir = proofRunsDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => isProofRunId(name) && statSync(path.join(dir, name)).isDirectory())
    .sort()
    .reverse()
    .slice(0, limit)
    .flatMap((id) => {
      const record = readRunRecord(id);
      return record ? [view(record)] : [];
    });
}

const PROGRESS_LINES = 200;

export function getProofRun(id: string): ProofRunDetail | null {
  if (!isProofRunId(id)) return null;
  const record = readRunRecord(id);
  if (!record) return null;
  let progress: string[] = [];
  try {
    progress = readFileSync(path.join(runDir(id), "progress.log"), "utf8")
      .split("\n")
      .filter(Boolean);
  } catch {
    // not started writing yet
  }
  return { ...view(record), progress: progress.slice(-PROGRESS_LINES) };
}

/** A report file of a finished run, or null (unknown run, not written). */
export function readReportFile(id: string, file: "report.html" | "report.json"): string | null {
  if (!isProofRunId(id)) return null;
  try {
    return readFileSync(path.join(runDir(id), file), "utf8");
  } catch {
    return null;
  }
}
