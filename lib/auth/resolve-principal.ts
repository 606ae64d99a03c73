import "server-only";
import { getDb } from "@/db/client";
import { roles, type Role } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { getAuth } from "./auth";
import { resolveBearer } from "./bearer";
import { hasSessionCookie } from "./session-cookie";
import type { Principal } from "@/lib/audit";

const anonymous: Principal = { kind: "anonymous" };

function isRole(value: unknown): value is Role {
  return typeof value === "string" && (roles as readonly string[]).includes(value);
}

/**
 * Turns request headers into a Principal: `Authorization: Bearer …` (API token or
 * FLIGHTDECK_ADMIN_TOKEN) first, then the Better Auth session cookie, else anonymous.
 * A bearer that does not check out is a 401, never a silent fall-back to the cookie:
 * automation should learn its token is wrong, not act as whoever the browser is.
 */
export async function resolvePrincipal(headers: Headers): Promise<Principal> {
  const authorization = headers.get("authorization");
  if (authorization !== null && /^bearer(\s|$)/i.test(authorization.trim())) {
    const secret = authorization.trim().slice("bearer".length).trim();
    if (secret === "") throw new AppError("unauthorized", "Invalid token");
    return resolveBearer(await getDb(), secret, headers);
  }
  if (!hasSessionCookie(headers)) return anonymous;
  const auth = await getAuth();
  const found = await auth.api.getSession({ headers });
  if (!found) return anonymous;
  // getSession reads the user row on every call (no cookie cache), so a role change or
  // a disable takes effect on the next request.
  if (found.user.disabled === true || !isRole(found.user.role)) return anonymous;
  return {
    kind: "user",
    id: found.user.id,
    label: found.user.email,
    role: found.user.role,
    sessionId: found.session.id,
  };
}
