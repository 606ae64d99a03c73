// Proofs started from the cockpit (/proof): `npm run proof` in the background, its history and reports.
import "server-only";

export { npmRunProof, startProofRun, type ProofCommand } from "./launch";
export { getProofRun, isProofRunId, listProofRuns, proofRunsDir, readReportFile } from "./store";
export type { ProofMode, ProofRunDetail, ProofRunStatus, ProofRunView } from "./types";
