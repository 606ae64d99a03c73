import "server-only";

export { appendAudit, AUDIT_LOCK_KEY } from "./append";
export { verifyAuditChain, type VerifyOptions } from "./verify";
export { listAuditEvents, getAuditHead, type AuditListFilter, type AuditPage } from "./queries";
export { auditListQuerySchema, type AuditListQuery } from "./query-schema";
export { computeAuditHash, GENESIS_HASH, type AuditContent } from "./hash";
export { canonicalJson, toJsonValue, toJsonObject, CanonicalJsonError, type JsonValue } from "./canonical";
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
