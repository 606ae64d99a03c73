export type { MemoryCollection } from "./collection-types";
export { registerCollections, getCollection, listCollections } from "./collections";
export { parseEntity, entityName, MalformedEntityError, COLLECTION_NAME, ENTITY_KEY, type EntityRef } from "./entity";
export {
  readEntity,
  listEntities,
  writeEntity,
  entityHistory,
  runWrites,
  revertsOf,
  collectionStats,
  VersionConflictError,
  type EntityValue,
  type HistoryRow,
  type WriteProvenance,
} from "./store";
export {
  MemoryPolicyError,
  jobMemoryPolicy,
  declaredEntity,
  declaredCollection,
  checkWrite,
  DEFAULT_LOCK_TIMEOUT_MS,
  type JobMemoryPolicy,
} from "./policy";
export { runWriteProvenance } from "./provenance";
export {
  requestLock,
  releaseLock,
  releaseRunLocks,
  breakDeadlocks,
  sweepLockQueues,
  grantPass,
  listLocks,
  lockStatus,
  heldByAnother,
  notifyLockChange,
  LOCKS_CHANNEL,
  type LockRequestResult,
  type LockView,
} from "./locks";
export * from "./wait-graph";
export { revertRunWrites, type RevertPlan, type RevertChange, type RevertStatus } from "./revert";
export {
  collectionsOverview,
  entityPage,
  historyEntry,
  runMemoryView,
  type CollectionSummary,
  type EntityPage,
  type HistoryEntry,
} from "./queries";
