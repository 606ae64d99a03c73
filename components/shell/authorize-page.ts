import "server-only";
import { redirect } from "next/navigation";
import { requirePermission } from "@/lib/auth";
import type { Permission } from "@/lib/auth";
import type { Principal } from "@/lib/auth";
import { isAppError } from "@/lib/errors";

export type PageAccess = { allowed: true; principal: Principal } | { allowed: false };

/**
 * The page-level use of the data-access gate: anonymous visitors go to /login, a role
 * without the permission gets `allowed: false` so the page can render <Forbidden />.
 * Pages check on their own because layouts and pages render independently in Next 16.
 */
export async function authorizePage(permission: Permission): Promise<PageAccess> {
  let failure: unknown;
  try {
    return { allowed: true, principal: await requirePermission(permission) };
  } catch (error) {
    failure = error;
  }
  if (isAppError(failure) && failure.code === "unauthorized") redirect("/login");
  if (isAppError(failure) && failure.code === "forbidden") return { allowed: false };
  throw failure;
}
