import "server-only";

export { runLineage, runAuditEvents, type RunLineage, type AuditRef, type LineageActor } from "./run-lineage";
export { touchedBy, type Touched } from "./touched";
