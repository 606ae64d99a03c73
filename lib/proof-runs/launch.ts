import "server-only";
import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Db } from "@/db/client";
import { appendAudit, auditActor, auditAuthorization, type Principal } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { isAlive, proofRunsDir, readRunRecord, runDir, summarizeReport, writeRunRecord, type RunRecord } from "./store";
import type { ProofMode } from "./types";

/** The process a proof runs as: `npm run proof` (server/proof.ts) writing into the run's directory. */
export interface ProofCommand {
  file: string;
  args: (mode: ProofMode, outDir: string) => string[];
}

export const npmRunProof: ProofCommand = {
  file: path.join(process.cwd(), "node_modules", ".bin", "tsx"),
  args: (mode, outDir) => [
    "--conditions=react-server",
    "server/proof.ts",
    ...(mode === "smoke" ? ["--smoke"] : []),
    "--out",
    outDir,
  ],
};

const lockDir = () => path.join(proofRunsDir(), "running.lock");

/** A UTC time to the millisecond: sorts as it reads, and two starts in one second stay apart. */
function newId(mode: ProofMode): string {
  return `${new Date().toISOString().replace(/[-:.]/g, "")}-${mode}`;
}

/**
 * One proof at a time on a machine (it takes both cores for minutes): the lock is a
 * directory, created atomically, naming the run that holds it. A lock whose process is gone
 * (the server restarted mid-run) is taken over.
 */
function takeLock(id: string): void {
  mkdirSync(proofRunsDir(), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      mkdirSync(lockDir());
      writeFileSync(path.join(lockDir(), "run"), id);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      let holder: RunRecord | null = null;
      try {
        holder = readRunRecord(readFileSync(path.join(lockDir(), "run"), "utf8").trim());
      } catch {
        // a lock without its run file is being written or is debris
      }
      if (holder && holder.finishedAt === null && isAlive(holder.pid))
        throw new AppError(
          "conflict",
          `A proof is already running (started by ${holder.startedBy} at ${holder.startedAt})`,
          {
            runId: holder.id,
          },
        );
      rmSync(lockDir(), { recursive: true, force: true });
    }
  }
  throw new AppError("conflict", "A proof is starting; try again in a moment");
}

/**
 * Starts `npm run proof` in the background on scratch databases — never the deployment's
 * own data — at low CPU priority, audited as proof.run_started (and proof.run_finished with
 * its verdicts when the process ends while this server runs). Answers the run's id at once;
 * the /proof page follows its progress log.
 */
export async function startProofRun(
  db: Db,
  principal: Principal,
  mode: ProofMode,
  command: ProofCommand = npmRunProof,
): Promise<{ id: string }> {
  const id = newId(mode);
  takeLock(id);
  const record: RunRecord = {
    id,
    mode,
    startedAt: new Date().toISOString(),
    startedBy: auditActor(principal).label,
    pid: null,
    finishedAt: null,
    exitCode: null,
  };
  try {
    writeRunRecord(record);
    await db.transaction((tx) =>
      appendAudit(tx, {
        actor: auditActor(principal),
        authorization: auditAuthorization(principal, "proof.run"),
        action: "proof.run_started",
        subject: { type: "proof_run", id },
        payload: { mode },
      }),
    );
    const out = openSync(path.join(runDir(id), "progress.log"), "a");
    const child = spawn(command.file, command.args(mode, runDir(id)), {
      cwd: process.cwd(),
      stdio: ["ignore", out, out],
      env: { ...process.env, FLIGHTDECK_LOG_FORMAT: "pretty" },
    });
    closeSync(out);
    if (child.pid) {
      try {
        os.setPriority(child.pid, 10);
      } catch {
        // not permitted here: it runs at normal priority
      }
    }
    writeRunRecord({ ...record, pid: child.pid ?? null });
    child.on("error", (error) => logger("error", "proof run could not start", { id, error: error.message }));
    child.on("exit", (code) => {
      const finished = {
        ...record,
        pid: child.pid ?? null,
        finishedAt: new Date().toISOString(),
        exitCode: code,
        summary: summarizeReport(id),
      };
      writeRunRecord(finished);
      rmSync(lockDir(), { recursive: true, force: true });
      void recordFinish(db, principal, finished);
    });
    return { id };
  } catch (error) {
    rmSync(lockDir(), { recursive: true, force: true });
    throw error;
  }
}

async function recordFinish(db: Db, principal: Principal, record: RunRecord): Promise<void> {
  // No summary: the run ended without a report (an error its progress log names).
  const verdicts = record.summary?.verdicts ?? null;
  try {
    await db.transaction((tx) =>
      appendAudit(tx, {
        actor: auditActor(principal),
        authorization: auditAuthorization(principal, "proof.run"),
        action: "proof.run_finished",
        subject: { type: "proof_run", id: record.id },
        payload: { mode: record.mode, exitCode: record.exitCode, verdicts },
      }),
    );
  } catch (error) {
    logger("error", "proof run finish not audited", { id: record.id, error: String(error) });
  }
}
