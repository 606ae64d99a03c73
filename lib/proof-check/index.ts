// Client-safe (no Node, no database): RFC 9162 proof checking shared by the browser
// (Web Crypto) and the offline bundle verifier (node:crypto).
export { equalBytes, fromBase64, leafHashOf, verifyConsistency, verifyInclusion, type Sha256 } from "./proof-check";
export {
  leafFields,
  openCheckpointInBrowser,
  parseVerifierKey,
  verifyEventInBrowser,
  type EventProofInput,
  type EventProofResult,
  type OpenedCheckpoint,
  type VerifierKey,
} from "./browser";
export { inclusionProofLength, inclusionRun, type InclusionRun, type SyncSha256 } from "./inclusion-run";
