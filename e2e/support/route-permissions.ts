import type { Permission } from "../../lib/auth/policy";

/**
 * The permission each route handler passes to apiRoute(). The policy walk checks that
 * every route under app/api is listed here and answers as lib/auth/policy.ts says.
 */
export const routePermissions: Record<string, Permission> = {
  "GET /api/health": "health.read",
  "GET /api/openapi.json": "openapi.read",
  "GET /api/board": "runs.read",
  "GET /api/board/columns/[column]": "runs.read",
  "GET /api/proof/runs": "proof.read",
  "POST /api/proof/runs": "proof.run",
  "GET /api/proof/runs/[id]": "proof.read",
  "GET /api/proof/runs/[id]/report": "proof.read",
  "GET /api/proof/runs/[id]/report.json": "proof.read",
  "GET /api/events": "live.read",
  "GET /api/runs": "runs.read",
  "GET /api/search": "runs.read",
  "GET /api/runs/export": "runs.read",
  "POST /api/runs": "runs.create",
  "GET /api/runs/[id]": "runs.read",
  "GET /api/runs/[id]/workspace": "runs.read",
  "GET /api/runs/[id]/workspace/[...path]": "runs.read",
  "POST /api/runs/[id]/[control]": "runs.control",
  "POST /api/runs/[id]/priority": "runs.control",
  "GET /api/approvals": "runs.read",
  "POST /api/approvals/[id]/[decision]": "runs.approve",
  "GET /api/resources": "resources.read",
  "GET /api/scheduling": "scheduling.read",
  "PUT /api/scheduling/keys/[key]": "scheduling.manage",
  "GET /api/scheduling/positions": "runs.read",
  "GET /api/flashcards": "flashcards.read",
  "GET /api/flashcards/[id]": "flashcards.read",
  "POST /api/flashcards/[id]/decision": "flashcards.decide",
  "GET /api/audit": "audit.read",
  "GET /api/audit/facets": "audit.read",
  "GET /api/audit/export": "audit.export",
  "GET /api/runs/[id]/lineage": "audit.read.run",
  "GET /api/governance": "governance.read",
  "GET /api/audit/verify": "audit.verify",
  "GET /api/audit/checkpoint": "audit.read",
  "GET /api/audit/verifier-key": "audit.read",
  "GET /api/audit/events/[seq]": "audit.read",
  "GET /api/audit/proof/inclusion": "audit.read",
  "GET /api/audit/proof/consistency": "audit.read",
  "GET /api/jobs": "jobs.read",
  "GET /api/jobs/[id]": "jobs.read",
  "POST /api/signals/[name]": "signals.send",
  "GET /api/tokens": "tokens.read",
  "POST /api/tokens": "tokens.manage",
  "POST /api/tokens/[id]/revoke": "tokens.manage",
  "GET /api/webhooks/deliveries": "webhooks.read",
  "POST /api/webhooks/deliveries/[id]/redeliver": "webhooks.manage",
  "GET /api/users": "users.read",
  "POST /api/users": "users.manage",
  "PATCH /api/users/[id]": "users.manage",
  "GET /api/memory": "memory.read",
  "GET /api/memory/[collection]/[key]": "memory.read",
  "POST /api/runs/[id]/revert-writes": "memory.revert",
  "GET /api/locks": "resources.read",
  "GET /api/metrics": "metrics.read",
};

/**
 * Routes that answer with a stream that stays open (server-sent events): the walk opens
 * them, checks the status and content type, and closes them instead of reading to the end.
 */
export const streamingRoutes: ReadonlySet<string> = new Set(["GET /api/events"]);
