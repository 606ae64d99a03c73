import "server-only";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { resetEnvCache } from "@/lib/env";
import { resetAuditKeys } from "@/lib/audit/keys";
import type { Canaries } from "./canaries";
import { CONTENDED_ENDPOINT, PROOF_LOG_ORIGIN, PROOF_TOOL, SCRIPTED_ENDPOINT } from "./names";
import type { ProofSizes } from "./sizes";

/** Where the proof keeps what must outlive the database handle: audit keys and anchors. */
export interface ProofDirs {
  root: string;
  keyDir: string;
  /** Anchored checkpoints, one directory per database (each database is its own log). */
  anchorDirs: { contention: string; isolation: string };
  /**
   * Embedded databases: test 1 in memory, tests 2 and 3 in a directory (so it can be copied);
   * with `--keep` both in their kept directories.
   */
  pgliteDirs: { contention: string | undefined; isolation: string };
  /** Each kept database's own data directory (`--keep`), else null. */
  kept: { contention: string; isolation: string } | null;
  /** Removes the temporary directory; kept directories stay. */
  remove(): void;
}

/** A kept database's directory under the output directory: the name the reviewer sees. */
export const KEPT_NAMES = { contention: "contention", isolation: "audit" } as const;

/**
 * Without `keepIn` everything is temporary. With it (`<out>/databases`) each database gets a
 * data directory there laid out as `npm start` reads one (pglite/, audit-keys/, plus anchors/),
 * so FLIGHTDECK_DATA_DIR alone points a cockpit at it.
 */
export function proofDirs(keepIn: string | null): ProofDirs {
  const root = mkdtempSync(path.join(tmpdir(), "flightdeck-proof-"));
  const kept = keepIn
    ? { contention: path.join(keepIn, KEPT_NAMES.contention), isolation: path.join(keepIn, KEPT_NAMES.isolation) }
    : null;
  return {
    root,
    keyDir: path.join(root, "audit-keys"),
    anchorDirs: kept
      ? { contention: path.join(kept.contention, "anchors"), isolation: path.join(kept.isolation, "anchors") }
      : { contention: path.join(root, "anchors-contention"), isolation: path.join(root, "anchors-isolation") },
    pgliteDirs: kept
      ? { contention: path.join(kept.contention, "pglite"), isolation: path.join(kept.isolation, "pglite") }
      : { contention: undefined, isolation: path.join(root, "pglite") },
    kept,
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/**
 * The configuration the proof runs under: its two endpoints (the simulated model for test 1, the
 * loopback model for tests 2 and 3, whose key is a canary), a per-key tool quota, a short ageing
 * time. Written into the process environment (the proof is its own process, or its own test
 * worker) so every lib/ reader sees it through getEnv(). On scratch databases (`dirs`) also fresh
 * audit keys, the proof's log origin and no witness; live (`dirs` null), the deployment's data
 * directory, keys, origin and anchors stay as the environment gives them.
 */
export function applyProofEnvironment(options: {
  dirs: ProofDirs | null;
  modelBaseUrl: string;
  canaries: Canaries;
  sizes: ProofSizes;
}): void {
  const { dirs, sizes } = options;
  const variables: Record<string, string> = {
    FLIGHTDECK_MODEL_ENDPOINTS: JSON.stringify({
      [CONTENDED_ENDPOINT]: { provider: "simulated", maxConcurrency: sizes.slots },
      [SCRIPTED_ENDPOINT]: {
        provider: "openai-compatible",
        baseUrl: options.modelBaseUrl,
        apiKey: options.canaries.envKey,
        model: "proof-loopback",
        maxConcurrency: sizes.slots,
      },
    }),
    FLIGHTDECK_TOOL_QUOTAS: JSON.stringify({
      [PROOF_TOOL]: { callsPerMinute: sizes.toolCallsPerMinute, perKey: true },
    }),
    FLIGHTDECK_SCHEDULING_AGEING_MS: String(sizes.ageingMs),
    FLIGHTDECK_SEED_DEMO: "false",
    FLIGHTDECK_LOG_FORMAT: "json",
  };
  if (dirs) {
    Object.assign(variables, {
      FLIGHTDECK_DATA_DIR: dirs.root,
      FLIGHTDECK_AUDIT_KEY_DIR: dirs.keyDir,
      FLIGHTDECK_AUDIT_LOG_ORIGIN: PROOF_LOG_ORIGIN,
    });
    // No generated or environment audit keys from before: this proof signs with its own.
    delete process.env.FLIGHTDECK_AUDIT_SIGNING_KEY;
    delete process.env.FLIGHTDECK_AUDIT_MAC_KEY;
    delete process.env.FLIGHTDECK_AUDIT_ANCHOR_URL;
  }
  for (const [name, value] of Object.entries(variables)) process.env[name] = value;
  // The proof's runs notify no one: a live deployment's receiver (its Slack, its pager) is not the proof's.
  delete process.env.FLIGHTDECK_WEBHOOK_URL;
  delete process.env.FLIGHTDECK_WEBHOOK_SECRET;
  resetEnvCache();
  resetAuditKeys();
}

/**
 * The per-key write budget: test 1 contends for one; tests 2 and 3 run without, so their runs
 * never wait for a window and the zombie write meets the lease fence, not the budget.
 */
export function setWriteBudget(perMinute: number | null): void {
  if (perMinute === null) delete process.env.FLIGHTDECK_WRITE_BUDGET_PER_MINUTE;
  else process.env.FLIGHTDECK_WRITE_BUDGET_PER_MINUTE = String(perMinute);
  resetEnvCache();
}

/** Where the sealer anchors checkpoints from now on (read when a sealer starts). */
export function setAnchorDir(dir: string): void {
  process.env.FLIGHTDECK_AUDIT_ANCHOR_DIR = dir;
  resetEnvCache();
}
