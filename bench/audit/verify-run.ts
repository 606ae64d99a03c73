import { spawn } from "node:child_process";
import path from "node:path";
import type { AuditVerifyResult } from "@/lib/audit";

export interface VerifyMeasure {
  batchSize: number | "default";
  result: AuditVerifyResult;
  seconds: number;
  /** CPU time of the verifying Node process (user + system), to set against wall time. */
  cpuSeconds: number;
  baselineRss: number;
  peakRss: number;
  peakHeap: number;
}

/** Runs verify-child.ts in a fresh Node process and parses its report (threads unset: verifyAuditLog's default). */
export function measureVerify(
  root: string,
  url: string,
  batchSize: number | undefined,
  threads?: number,
): Promise<VerifyMeasure> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--conditions=react-server",
        "--import",
        "tsx",
        path.join(root, "bench/audit/verify-child.ts"),
        `--url=${url}`,
        ...(batchSize === undefined ? [] : [`--batch=${batchSize}`]),
        ...(threads === undefined ? [] : [`--threads=${threads}`]),
      ],
      { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
    );
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      const line = out.trim().split("\n").at(-1);
      if (code !== 0 || !line) return reject(new Error(`verify child exited ${code}`));
      resolve(JSON.parse(line) as VerifyMeasure);
    });
  });
}
