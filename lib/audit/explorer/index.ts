import "server-only";

export {
  AUDIT_QUERY_KEYS,
  AUDIT_QUERY_SYNTAX,
  AuditQueryError,
  parseAuditQuery,
  type ParsedAuditQuery,
} from "./query-language";
export {
  auditFacets,
  FACET_TEXT_WINDOW,
  parseAuditQueryOr400,
  resolveAuditQuery,
  type AuditFacets,
  type FacetCount,
} from "./search";
export { listAuditQuery } from "./list";
export {
  deleteSavedQuery,
  listSavedQueries,
  saveQuery,
  saveQueryInput,
  savedQueryIdInput,
  type SavedQuery,
} from "./saved";
