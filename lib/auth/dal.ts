import "server-only";
import { AppError, isAppError } from "@/lib/errors";
import { roleAllows, scopeAllows, type Permission } from "./policy";
import { principalRole, type Principal } from "@/lib/audit";
import { resolvePrincipal } from "./resolve-principal";

/**
 * The data-access layer's gate. Every route handler and server action passes through
 * authorize() before touching data; proxy.ts only redirects browsers to /login.
 */
export function authorize(principal: Principal, permission: Permission): void {
  // A person's token may do what both its own role and its owner's current role allow.
  const ownerAllows = principal.kind !== "token" || !principal.owner || roleAllows(principal.owner.role, permission);
  // A scoped token: its scope replaces its role (the role column is a placeholder), the owner still caps it.
  if (principal.kind === "token" && principal.scope !== undefined) {
    if (ownerAllows && scopeAllows(principal.scope, permission)) return;
    throw new AppError("forbidden", `A ${principal.scope} token may not ${permission}`);
  }
  if (ownerAllows && roleAllows(principalRole(principal), permission)) return;
  if (principal.kind === "anonymous") throw new AppError("unauthorized", "Sign in required");
  throw new AppError("forbidden", `Your role may not ${permission}`);
}

/** Resolves who is calling (session cookie or bearer token) and checks the permission. */
export async function authorizeRequest(headers: Headers, permission: Permission): Promise<Principal> {
  const principal = await resolvePrincipal(headers);
  authorize(principal, permission);
  return principal;
}

/** For server actions: the request's principal; an invalid or rate-limited bearer throws its AppError (401/429). */
export async function strictCurrentPrincipal(): Promise<Principal> {
  const { headers } = await import("next/headers");
  return resolvePrincipal(await headers());
}

/**
 * For server components: the request's principal, where a bearer that does not check out
 * (invalid, or its address rate-limited) counts as anonymous — the page then answers like
 * any signed-out visit (sign-in redirect) instead of failing with a 500.
 */
export async function currentPrincipal(): Promise<Principal> {
  try {
    return await strictCurrentPrincipal();
  } catch (error) {
    if (isAppError(error) && (error.code === "unauthorized" || error.code === "too_many_requests")) {
      return { kind: "anonymous" };
    }
    throw error;
  }
}

export async function requirePermission(permission: Permission): Promise<Principal> {
  const principal = await currentPrincipal();
  authorize(principal, permission);
  return principal;
}
