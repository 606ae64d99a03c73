import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inArray } from "drizzle-orm";
import { auditEvents } from "@/db/schema";
import type { Principal } from "@/lib/audit";
import { resetEnvCache } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { getProofRun, listProofRuns, startProofRun, type ProofCommand } from "@/lib/proof-runs";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";

const admin: Principal = { kind: "user", id: "u-admin", label: "admin@flightdeck.local", role: "admin" };

/**
 * Stands in for `npm run proof` (the one seam: the command): prints progress, waits until
 * released, writes a report as server/proof.ts does, or fails without one.
 */
function standIn(outcome: "pass" | "fail" | "crash"): ProofCommand {
  const script = `
    const fs = require("node:fs"), path = require("node:path");
    const out = process.argv[1];
    console.log("[proof    0.1 s] smoke run on embedded PGlite");
    const wait = () => fs.existsSync(path.join(out, "..", "release-${outcome}")) ? finish() : setTimeout(wait, 50);
    function finish() {
      if ("${outcome}" === "crash") { console.error("proof failed: boom"); process.exit(1); }
      const pass = "${outcome}" === "pass";
      fs.writeFileSync(path.join(out, "report.json"), JSON.stringify({
        format: "flightdeck-proof", meta: { commit: "abc1234def" }, durations: { totalMs: 61000 },
        claims: [{ pass: true }, { pass }], verdicts: { contention: true, isolation: pass, audit: true } }));
      fs.writeFileSync(path.join(out, "report.html"), "<!doctype html><title>report</title>");
      console.log("[proof   61.0 s] verdicts: …");
      process.exit(0);
    }
    wait();`;
  return { file: process.execPath, args: (_mode, outDir) => ["-e", script, outDir] };
}

let handle: TestDatabase;
let dataDir: string;
const before = process.env.FLIGHTDECK_DATA_DIR;

beforeAll(async () => {
  handle = await createTestDatabase();
  dataDir = mkdtempSync(path.join(os.tmpdir(), "flightdeck-proof-runs-"));
  process.env.FLIGHTDECK_DATA_DIR = dataDir;
  resetEnvCache();
});
afterAll(async () => {
  if (before === undefined) delete process.env.FLIGHTDECK_DATA_DIR;
  else process.env.FLIGHTDECK_DATA_DIR = before;
  resetEnvCache();
  rmSync(dataDir, { recursive: true, force: true });
  await handle.drop();
});

async function until<T>(read: () => T | Promise<T>, ok: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function release(outcome: string): Promise<void> {
  const { writeFileSync } = await import("node:fs");
  writeFileSync(path.join(dataDir, "proof-runs", `release-${outcome}`), "");
}

describe("proofs started from the cockpit", () => {
  it("runs one at a time, shows its progress, then its verdicts, and audits start and finish", async () => {
    const { id } = await startProofRun(handle.db, admin, "smoke", standIn("pass"));
    const running = await until(
      () => getProofRun(id),
      (run) => (run?.progress.length ?? 0) > 0,
    );
    expect(running).toMatchObject({ status: "running", mode: "smoke", startedBy: "admin@flightdeck.local" });
    expect(running?.progress[0]).toContain("smoke run on embedded PGlite");

    const second = await startProofRun(handle.db, admin, "full", standIn("pass")).catch((error: unknown) => error);
    expect(isAppError(second) && second.code).toBe("conflict");
    expect(String((second as Error).message)).toMatch(/already running \(started by admin@flightdeck\.local/);

    await release("pass");
    const done = await until(
      () => getProofRun(id),
      (run) => run?.status !== "running",
    );
    expect(done).toMatchObject({
      status: "passed",
      verdicts: { contention: true, isolation: true, audit: true },
      claims: { passed: 2, total: 2 },
      totalMs: 61_000,
      commit: "abc1234def",
    });
    // The listing reads the summary kept in run.json at exit, never the whole report again.
    const { readFileSync, renameSync } = await import("node:fs");
    const dir = path.join(dataDir, "proof-runs", id);
    expect(JSON.parse(readFileSync(path.join(dir, "run.json"), "utf8")).summary).toEqual({
      verdicts: { contention: true, isolation: true, audit: true },
      claims: { passed: 2, total: 2 },
      totalMs: 61_000,
      commit: "abc1234def",
    });
    renameSync(path.join(dir, "report.json"), path.join(dir, "report.json.away"));
    expect(listProofRuns().find((r) => r.id === id)).toMatchObject({
      status: "passed",
      claims: { passed: 2, total: 2 },
    });
    renameSync(path.join(dir, "report.json.away"), path.join(dir, "report.json"));
    const audited = await until(
      () =>
        handle.db
          .select()
          .from(auditEvents)
          .where(inArray(auditEvents.action, ["proof.run_started", "proof.run_finished"])),
      (rows) => rows.length === 2,
    );
    expect(audited.map((e) => e.action).sort()).toEqual(["proof.run_finished", "proof.run_started"]);
    expect(audited.find((e) => e.action === "proof.run_finished")?.payload).toMatchObject({
      mode: "smoke",
      exitCode: 0,
      verdicts: { isolation: true },
    });
  });

  it("lists a failing test as a finding and a crash as a run without a report, newest first", async () => {
    const failing = await startProofRun(handle.db, admin, "smoke", standIn("fail"));
    await release("fail");
    await until(
      () => getProofRun(failing.id),
      (run) => run?.status !== "running",
    );
    const crashing = await startProofRun(handle.db, admin, "full", standIn("crash"));
    await release("crash");
    const crashed = await until(
      () => getProofRun(crashing.id),
      (run) => run?.status !== "running",
    );
    expect(crashed?.status).toBe("error");
    expect(crashed?.progress.join("\n")).toContain("proof failed: boom");
    expect(listProofRuns().map((r) => [r.id, r.status])).toEqual([
      [crashing.id, "error"],
      [failing.id, "failed"],
      expect.arrayContaining([expect.stringMatching(/-smoke$/), "passed"]),
    ]);
    expect(getProofRun("../../etc/passwd")).toBeNull();
  });
});
