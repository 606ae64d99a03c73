import "server-only";
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { Db } from "@/db/client";
import { exportAudit } from "@/lib/audit";
import { PEOPLE } from "./people";

export interface BundleCheck {
  file: string;
  query: string;
  /** The exact command run, as a reader would type it. */
  command: string;
  exitCode: number | null;
  /** The verifier's JSON line. */
  result: string;
}

/**
 * Exports an evidence bundle (the same stream GET /api/audit/export?format=bundle sends, as an
 * admin) and checks it with the unchanged `npm run audit:verify-bundle`, in a child process
 * with no database and the verifier key pinned.
 */
export async function exportAndVerifyBundle(db: Db, file: string, query: string, key: string): Promise<BundleCheck> {
  const response = await exportAudit(db, PEOPLE.admin, query, "bundle");
  await writeFile(file, Buffer.from(await response.arrayBuffer()));
  const args = ["run", "--silent", "audit:verify-bundle", "--", file, "--key", key];
  // Only PATH and HOME: the verifier gets no database URL and no key but the one on its command line.
  const env = { NODE_ENV: "production" as const, PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };
  const child = spawn("npm", args, { stdio: ["ignore", "pipe", "pipe"], env });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
  const exitCode = await new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return {
    file,
    query,
    command: `npm run audit:verify-bundle -- ${path.relative(process.cwd(), file)} --key '${key}'`,
    exitCode,
    result: out.trim(),
  };
}
