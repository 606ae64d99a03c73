import type { ProofReport } from "./report-types";

/** The raw result as written next to the HTML: stable key order as built, two-space indent. */
export function reportJson(report: ProofReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
