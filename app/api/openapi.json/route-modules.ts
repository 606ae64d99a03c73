import type { RouteModuleEntry } from "@/lib/openapi";
import * as approvalsRoute from "@/app/api/approvals/route";
import * as approvalsIdDecisionRoute from "@/app/api/approvals/[id]/[decision]/route";
import * as auditRoute from "@/app/api/audit/route";
import * as auditCheckpointRoute from "@/app/api/audit/checkpoint/route";
import * as auditEventsSeqRoute from "@/app/api/audit/events/[seq]/route";
import * as auditExportRoute from "@/app/api/audit/export/route";
import * as auditFacetsRoute from "@/app/api/audit/facets/route";
import * as auditProofConsistencyRoute from "@/app/api/audit/proof/consistency/route";
import * as auditProofInclusionRoute from "@/app/api/audit/proof/inclusion/route";
import * as auditVerifierKeyRoute from "@/app/api/audit/verifier-key/route";
import * as auditVerifyRoute from "@/app/api/audit/verify/route";
import * as authAllRoute from "@/app/api/auth/[...all]/route";
import * as boardRoute from "@/app/api/board/route";
import * as boardColumnRoute from "@/app/api/board/columns/[column]/route";
import * as eventsRoute from "@/app/api/events/route";
import * as flashcardsRoute from "@/app/api/flashcards/route";
import * as flashcardsIdRoute from "@/app/api/flashcards/[id]/route";
import * as flashcardsIdDecisionRoute from "@/app/api/flashcards/[id]/decision/route";
import * as governanceRoute from "@/app/api/governance/route";
import * as healthRoute from "@/app/api/health/route";
import * as jobsRoute from "@/app/api/jobs/route";
import * as jobsIdRoute from "@/app/api/jobs/[id]/route";
import * as locksRoute from "@/app/api/locks/route";
import * as memoryRoute from "@/app/api/memory/route";
import * as memoryCollectionKeyRoute from "@/app/api/memory/[collection]/[key]/route";
import * as metricsRoute from "@/app/api/metrics/route";
import * as resourcesRoute from "@/app/api/resources/route";
import * as runsRoute from "@/app/api/runs/route";
import * as runsExportRoute from "@/app/api/runs/export/route";
import * as searchRoute from "@/app/api/search/route";
import * as runsIdRoute from "@/app/api/runs/[id]/route";
import * as runsIdControlRoute from "@/app/api/runs/[id]/[control]/route";
import * as runsIdLineageRoute from "@/app/api/runs/[id]/lineage/route";
import * as runsIdPriorityRoute from "@/app/api/runs/[id]/priority/route";
import * as runsIdRevertWritesRoute from "@/app/api/runs/[id]/revert-writes/route";
import * as runsIdWorkspaceRoute from "@/app/api/runs/[id]/workspace/route";
import * as runsIdWorkspacePathRoute from "@/app/api/runs/[id]/workspace/[...path]/route";
import * as schedulingRoute from "@/app/api/scheduling/route";
import * as schedulingKeysKeyRoute from "@/app/api/scheduling/keys/[key]/route";
import * as signalsNameRoute from "@/app/api/signals/[name]/route";
import * as tokensRoute from "@/app/api/tokens/route";
import * as tokensIdRevokeRoute from "@/app/api/tokens/[id]/revoke/route";
import * as usersRoute from "@/app/api/users/route";
import * as usersIdRoute from "@/app/api/users/[id]/route";
import * as webhooksDeliveriesRoute from "@/app/api/webhooks/deliveries/route";
import * as webhooksDeliveriesIdRedeliverRoute from "@/app/api/webhooks/deliveries/[id]/redeliver/route";

/**
 * Every route module under app/api, by its path pattern: what GET /api/openapi.json describes.
 * Checked in rather than discovered at run time so the server bundles them; the OpenAPI
 * test fails when a route file is added without a line here (tests/openapi/openapi.test.ts).
 * The document route itself is added by route.ts (importing it here would be a cycle).
 */
export const routeModules: readonly RouteModuleEntry[] = [
  { pattern: "/api/approvals", module: approvalsRoute },
  { pattern: "/api/approvals/[id]/[decision]", module: approvalsIdDecisionRoute },
  { pattern: "/api/audit", module: auditRoute },
  { pattern: "/api/audit/checkpoint", module: auditCheckpointRoute },
  { pattern: "/api/audit/events/[seq]", module: auditEventsSeqRoute },
  { pattern: "/api/audit/export", module: auditExportRoute },
  { pattern: "/api/audit/facets", module: auditFacetsRoute },
  { pattern: "/api/audit/proof/consistency", module: auditProofConsistencyRoute },
  { pattern: "/api/audit/proof/inclusion", module: auditProofInclusionRoute },
  { pattern: "/api/audit/verifier-key", module: auditVerifierKeyRoute },
  { pattern: "/api/audit/verify", module: auditVerifyRoute },
  { pattern: "/api/auth/[...all]", module: authAllRoute },
  { pattern: "/api/board", module: boardRoute },
  { pattern: "/api/board/columns/[column]", module: boardColumnRoute },
  { pattern: "/api/events", module: eventsRoute },
  { pattern: "/api/flashcards", module: flashcardsRoute },
  { pattern: "/api/flashcards/[id]", module: flashcardsIdRoute },
  { pattern: "/api/flashcards/[id]/decision", module: flashcardsIdDecisionRoute },
  { pattern: "/api/governance", module: governanceRoute },
  { pattern: "/api/health", module: healthRoute },
  { pattern: "/api/jobs", module: jobsRoute },
  { pattern: "/api/jobs/[id]", module: jobsIdRoute },
  { pattern: "/api/locks", module: locksRoute },
  { pattern: "/api/memory", module: memoryRoute },
  { pattern: "/api/memory/[collection]/[key]", module: memoryCollectionKeyRoute },
  { pattern: "/api/metrics", module: metricsRoute },
  { pattern: "/api/resources", module: resourcesRoute },
  { pattern: "/api/runs", module: runsRoute },
  { pattern: "/api/runs/export", module: runsExportRoute },
  { pattern: "/api/search", module: searchRoute },
  { pattern: "/api/runs/[id]", module: runsIdRoute },
  { pattern: "/api/runs/[id]/[control]", module: runsIdControlRoute },
  { pattern: "/api/runs/[id]/lineage", module: runsIdLineageRoute },
  { pattern: "/api/runs/[id]/priority", module: runsIdPriorityRoute },
  { pattern: "/api/runs/[id]/revert-writes", module: runsIdRevertWritesRoute },
  { pattern: "/api/runs/[id]/workspace", module: runsIdWorkspaceRoute },
  { pattern: "/api/runs/[id]/workspace/[...path]", module: runsIdWorkspacePathRoute },
  { pattern: "/api/scheduling", module: schedulingRoute },
  { pattern: "/api/scheduling/keys/[key]", module: schedulingKeysKeyRoute },
  { pattern: "/api/signals/[name]", module: signalsNameRoute },
  { pattern: "/api/tokens", module: tokensRoute },
  { pattern: "/api/tokens/[id]/revoke", module: tokensIdRevokeRoute },
  { pattern: "/api/users", module: usersRoute },
  { pattern: "/api/users/[id]", module: usersIdRoute },
  { pattern: "/api/webhooks/deliveries", module: webhooksDeliveriesRoute },
  { pattern: "/api/webhooks/deliveries/[id]/redeliver", module: webhooksDeliveriesIdRedeliverRoute },
];
