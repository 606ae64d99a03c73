import type { AuditVerifyResult } from "@/lib/audit";
import type { CanaryHits } from "./canary-search";
import type { Claim } from "./claims";
import type { ContentionResult } from "./contention-measures";
import type { BundleCheck } from "./evidence-bundle";
import type { KeptDatabase } from "./kept-commands";
import type { AttackResult } from "./isolation-measures";
import type { RunAuthority } from "./lineage-summary";
import type { ProofMeta } from "./machine";
import type { ProofSizes } from "./sizes";
import type { TamperCheck } from "./tamper";
import type { THRESHOLDS } from "./thresholds";

/** The proof's raw result: what report-json.ts writes and report-html.ts renders. */
export interface ProofReport {
  format: "flightdeck-proof";
  formatVersion: 1;
  meta: ProofMeta;
  /**
   * Whether the databases the evidence paths point into were kept (`--keep`), where, and how to
   * open a cockpit on each; without --keep they were removed when the proof ended.
   */
  databases: { kept: boolean; where: string | null; list: KeptDatabase[] };
  mode: "full" | "smoke";
  /**
   * "scratch": databases made for the proof; "live" (`--live`): the running deployment's own database,
   * keys, sealer and anchors — its runs, jobs and events stay there. Absent in reports from before.
   */
  target?: "scratch" | "live";
  sizes: ProofSizes;
  thresholds: typeof THRESHOLDS;
  /** Wall-clock time of the whole command and of each test, ms. */
  durations: { totalMs: number; contentionMs: number; isolationAndAuditMs: number };
  contention: {
    result: Omit<ContentionResult, "claims" | "waitsByKey" | "trickle"> & {
      trickle: {
        alone: { p50: number; p99: number };
        contended: { p50: number; p99: number };
        fifo: { p50: number; p99: number };
      };
    };
    /** CDF series of waits (ms → fraction), already reduced for the charts. */
    cdf: { label: string; points: [number, number][] }[];
    claims: Claim[];
  };
  isolation: { attacks: AttackResult[]; canaries: CanaryHits; claims: Claim[] };
  audit: {
    authorities: RunAuthority[];
    verify: AuditVerifyResult;
    bundle: BundleCheck;
    tamper: TamperCheck;
    claims: Claim[];
  };
  /** Every claim, in order; a test passes when all its claims pass. */
  claims: Claim[];
  verdicts: { contention: boolean; isolation: boolean; audit: boolean };
}
