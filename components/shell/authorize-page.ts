import "server-only";
import { forbidden, redirect } from "next/navigation";
import { requirePermission } from "@/lib/auth";
import type { Permission } from "@/lib/auth";
import type { Principal } from "@/lib/auth";
import { isAppError } from "@/lib/errors";

/**
 * The page-level use of the data-access gate: anonymous visitors go to /login, a role without the permission gets
 * Next's forbidden() — a 403 answer rendered by app/(cockpit)/forbidden.tsx (experimental.authInterrupts). Pages
 * check on their own because layouts and pages render independently in Next 16; a segment with a loading.tsx also
 * checks in its layout.tsx, because a page under a loading boundary streams and its 200 is sent before it runs.
 */
export async function authorizePage(permission: Permission): Promise<Principal> {
  let failure: unknown;
  try {
    return await requirePermission(permission);
  } catch (error) {
    failure = error;
  }
  if (isAppError(failure) && failure.code === "unauthorized") redirect("/login");
  if (isAppError(failure) && failure.code === "forbidden") forbidden();
  throw failure;
}
