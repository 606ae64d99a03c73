import "server-only";

export { appendAudit, appendAuditEvents } from "./append";
export { verifyAuditLog, verifyAuditChain, type VerifyOptions } from "./verify";
export { listAuditEvents, type AuditListFilter, type AuditPage } from "./queries";
export { auditListQuerySchema, type AuditListQuery } from "./query-schema";
export { computeAuditHash, GENESIS_HASH, type AuditContent } from "./hash";
export { canonicalJson, toJsonValue, toJsonObject, CanonicalJsonError, type JsonValue } from "./canonical";
export { sealBatch, SEALER_LOCK_KEY, type SealResult } from "./seal";
export { startAuditSealer, type AuditSealer } from "./sealer";
export { inclusionProof, consistencyProof, auditEventBySeq } from "./proofs";
export { auditHealth, type AuditHealth } from "./health";
export type { AuditInput, AuditEvent, AuditHead, AuditVerifyResult } from "./types";
