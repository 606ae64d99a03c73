// The proof (issue 18): the three tests through the real runtime, and their report.
import "server-only";

export { runProof, type ProofOptions } from "./run-proof";
export { reportJson } from "./report-json";
export { reportHtml } from "./report-html";
export { keptInstructions } from "./kept-instructions";
export { LiveProofRefused } from "./live";
export { databaseUrl } from "./kept-commands";
export type { KeptDatabase } from "./kept-commands";
export type { ProofReport } from "./report-types";
export type { Claim } from "./claims";
// Shared with bench/ (fairness measures, the bar chart, scratch databases).
export { pct, waits, shares, costOf, type Served, type ShareReport } from "./metrics";
export { barChart, fmt } from "./svg-bar";
export { withScratchDatabase, openScratchDatabase, type ScratchDatabase } from "./scratch-database";
