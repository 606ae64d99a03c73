import type { Role, TokenScope } from "@/db/schema";

/**
 * THE policy table: which roles may do what. Route handlers and server actions name a
 * permission; the data-access layer checks it; the policy tests walk every route and
 * action against this table. "public" means no sign-in is needed.
 *
 * Roles form a ladder for acting on runs: reviewer (read-only compliance) < operator
 * (triage runs) < lead (also approves) < admin (also manages users and tokens).
 */
const everyone: readonly Role[] = ["admin", "operator", "reviewer", "lead"];
const actors: readonly Role[] = ["admin", "operator", "lead"];

export const policy = {
  "health.read": "public",
  /** GET /api/openapi.json: the API's description (shapes and permissions, no data), for client generators. */
  "openapi.read": "public",
  /** Better Auth's own endpoints (sign-in, sign-out, get-session): they authenticate the caller. */
  "auth.endpoints": "public",
  "session.read": everyone,
  "audit.read": ["admin", "reviewer", "lead"],
  /** A run's own audit events and its lineage ("who authorized this"), on the run page: everyone who may read the run. */
  "audit.read.run": everyone,
  /** Evidence exports (JSONL, CSV, bundles) of the whole log. */
  "audit.export": ["admin", "reviewer"],
  /** The governance register: what the fleet does and who authorized it. */
  "governance.read": ["admin", "reviewer"],
  "audit.verify": ["admin", "reviewer"],
  "users.read": ["admin"],
  "users.manage": ["admin"],
  /** The webhook delivery log (GET /api/webhooks/deliveries, Settings → Webhooks). */
  "webhooks.read": ["admin"],
  /** Send a failed webhook message again. */
  "webhooks.manage": ["admin"],
  "tokens.read": ["admin"],
  "tokens.manage": ["admin"],
  "jobs.read": everyone,
  "runs.read": everyone,
  "runs.create": actors,
  "runs.control": actors,
  "runs.approve": ["admin", "lead"],
  "signals.send": actors,
  "resources.read": everyone,
  "scheduling.read": everyone,
  /** Fair-share key weights (PUT /api/scheduling/keys/{key}, the Resources page). */
  "scheduling.manage": ["admin"],
  "flashcards.read": everyone,
  /** GET /api/events: the live stream names changed runs, cards and resources (ids only; each is refetched through its own permission). */
  "live.read": everyone,
  /** Shared memory: collections, entities and their history (lib/memory). */
  "memory.read": everyone,
  /** Revert a run's shared-memory writes (POST /api/runs/:id/revert-writes). */
  "memory.revert": ["admin", "lead"],
  /** Approve, reject, snooze or dismiss a flashcard (approval cards also decide the approval). */
  "flashcards.decide": ["admin", "lead"],
  /** GET /api/metrics (Prometheus): admins, and tokens scoped to "metrics" (tokenScopes below). */
  "metrics.read": ["admin"],
  /** The /proof page: the history of `npm run proof` runs started here and their reports. */
  "proof.read": everyone,
  /** Start `npm run proof` from the cockpit (it takes the machine's cores for minutes). */
  "proof.run": ["admin"],
} as const satisfies Record<string, "public" | readonly Role[]>;

export type Permission = keyof typeof policy;

/**
 * What a scoped API token may do: exactly these permissions, whatever its role. A scrape
 * credential sits in a Prometheus config file, so it must open nothing but the metrics.
 */
export const tokenScopes = {
  metrics: ["metrics.read"],
} as const satisfies Record<TokenScope, readonly Permission[]>;

export function scopeAllows(scope: TokenScope, permission: Permission): boolean {
  const allowed: readonly Permission[] = tokenScopes[scope];
  return allowed.includes(permission);
}

export function roleAllows(role: Role | null, permission: Permission): boolean {
  const rule: "public" | readonly Role[] = policy[permission];
  if (rule === "public") return true;
  return role !== null && rule.includes(role);
}
