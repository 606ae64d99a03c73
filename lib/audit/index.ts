import "server-only";

export { appendAudit, appendAuditEvents, auditRowsJson } from "./append";
export { verifyAuditLog, verifyAuditChain, type VerifyOptions } from "./verify";
export { listAuditEvents, type AuditListFilter, type AuditPage } from "./queries";
export { auditListQuerySchema, type AuditListQuery } from "./query-schema";
export { computeAuditHash, GENESIS_HASH, type AuditContent } from "./hash";
export { canonicalJson, toJsonValue, toJsonObject, CanonicalJsonError, type JsonValue } from "./canonical";
export { sealBatch, SEALER_LOCK_KEY, type SealResult } from "./seal";
export { startAuditSealer, type AuditSealer } from "./sealer";
export { startAuditSearchIndexer, type AuditSearchIndexer } from "./search-indexer";
export { indexAuditSearchBatch, searchIndexedThrough } from "./search-index";
export { inclusionProof, consistencyProof, auditEventBySeq } from "./proofs";
export { auditHealth, type AuditHealth } from "./health";
export type { AuditInput, AuditEvent, AuditHead, AuditVerifyResult } from "./types";
export {
  auditActor,
  auditAuthorization,
  systemPrincipal,
  workerActor,
  runActor,
  runAuthorization,
  type AuditActor,
  type Authorization,
  type RunAuthorization,
} from "./actors";
export { principalRole, type Principal } from "./principal";
export {
  checkpointResponse,
  parseSeqParam,
  consistencyQuerySchema,
  inclusionQuerySchema,
  verifierKeyResponse,
} from "./http";
export { auditContent } from "./append";
export { auditKeys } from "./keys";
export { eventMac } from "./leaf";
export { latestCheckpoint } from "./tree-store";
export { auditKeyDir } from "./keys";
// The compliance explorer and exports (lib/audit/explorer, lib/audit/export).
export {
  auditFacets,
  FACET_TEXT_WINDOW,
  listAuditQuery,
  parseAuditQueryOr400,
  resolveAuditQuery,
  listSavedQueries,
  saveQuery,
  deleteSavedQuery,
  saveQueryInput,
  savedQueryIdInput,
  AUDIT_QUERY_SYNTAX,
  type AuditFacets,
  type SavedQuery,
} from "./explorer";
export { exportAudit, exportFormats, type ExportFormat } from "./export/export";
export {
  verifyBundleFile,
  parseVerifierKey as parseBundleVerifierKey,
  type BundleVerifyResult,
} from "./export/verify-bundle";
export { verifyAuditChainGuarded, verificationsStarted } from "./verify-guard";
