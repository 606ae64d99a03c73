import type { Permission } from "../../lib/auth/policy";

/**
 * The permission each route handler passes to apiRoute(). The policy walk checks that
 * every route under app/api is listed here and answers as lib/auth/policy.ts says.
 */
export const routePermissions: Record<string, Permission> = {
  "GET /api/health": "health.read",
};
