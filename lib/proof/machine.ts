import "server-only";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rowsOf } from "@/db/rows";

/** What the report states about where and from what it was produced. */
export interface ProofMeta {
  version: string;
  commit: string;
  /** True when the working tree had uncommitted changes (the commit alone does not reproduce it). */
  dirty: boolean;
  date: string;
  command: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string; loadAverage: number[] };
  database: string;
}

function git(args: string[]): string {
  try {
    return execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}

function packageVersion(file: string): string {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
    return parsed && typeof parsed === "object" && "version" in parsed ? String(parsed.version) : "unknown";
  } catch {
    return "unknown";
  }
}

/**
 * `where`: PGlite's directory, if any — with --keep test 1 runs on disk instead of in memory, and timings may differ.
 * `role`: what the Postgres database is to the proof (a scratch database, or live a deployment's).
 */
export async function databaseLabel(
  db: Db,
  kind: "pglite" | "postgres",
  where?: string,
  role = "scratch database",
): Promise<string> {
  if (kind === "pglite")
    return `embedded PGlite ${packageVersion(path.join(process.cwd(), "node_modules/@electric-sql/pglite/package.json"))} (scratch, ${where ? "in a directory" : "in memory"})`;
  const [row] = rowsOf<{ v: string }>(await db.execute(sql`select version() as v`));
  return `${(row?.v ?? "Postgres").split(",")[0] ?? "Postgres"} (${role})`;
}

export function proofMeta(command: string, database: string): ProofMeta {
  const cpus = os.cpus();
  return {
    version: packageVersion(path.join(process.cwd(), "package.json")),
    commit: git(["rev-parse", "HEAD"]) || "unknown",
    dirty: git(["status", "--porcelain"]) !== "",
    date: new Date().toISOString(),
    command,
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? "unknown",
      memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    },
    database,
  };
}
