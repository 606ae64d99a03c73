/**
 * The thresholds every claim is checked against, stated once so the report prints exactly
 * what was applied. Sources: docs/SCHEDULING.md (the ageing bound), docs/PERFORMANCE.md
 * (fairness and utilisation targets), the design brief (isolation and audit).
 */
export const THRESHOLDS = {
  /** The trickle tenant's p99 wait under the burst ≤ this × its p99 alone + one turn (PERFORMANCE.md, Fairness). */
  trickleP99OverAlone: 1.5,
  /** Shares of backlogged keys within ± this fraction of their weighted entitlement (PERFORMANCE.md). */
  shareError: 0.1,
  /** Jain's index over service ÷ weight of the backlogged keys. */
  jain: 0.98,
  /** Model slots held by turns while backlogged (PERFORMANCE.md's target). */
  utilisation: 0.95,
  /** The low-priority run starts within the ageing time plus this slack (one turn on a busy endpoint). */
  ageingSlackMs: 2_000,
  /** Canary secrets found anywhere. */
  canaryHits: 0,
} as const;
