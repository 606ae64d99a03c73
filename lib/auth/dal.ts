import "server-only";
import { AppError } from "@/lib/errors";
import { roleAllows, type Permission } from "./policy";
import { principalRole, type Principal } from "@/lib/audit";
import { resolvePrincipal } from "./resolve-principal";

/**
 * The data-access layer's gate. Every route handler and server action passes through
 * authorize() before touching data; proxy.ts only redirects browsers to /login.
 */
export function authorize(principal: Principal, permission: Permission): void {
  if (roleAllows(principalRole(principal), permission)) return;
  if (principal.kind === "anonymous") throw new AppError("unauthorized", "Sign in required");
  throw new AppError("forbidden", `Your role may not ${permission}`);
}

/** Resolves who is calling (session cookie or bearer token) and checks the permission. */
export async function authorizeRequest(headers: Headers, permission: Permission): Promise<Principal> {
  const principal = await resolvePrincipal(headers);
  authorize(principal, permission);
  return principal;
}

/** For server components and server actions, which read the request's headers. */
export async function currentPrincipal(): Promise<Principal> {
  const { headers } = await import("next/headers");
  return resolvePrincipal(await headers());
}

export async function requirePermission(permission: Permission): Promise<Principal> {
  const principal = await currentPrincipal();
  authorize(principal, permission);
  return principal;
}
