import "server-only";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { apiTokens, roles, user, type Role } from "@/db/schema";
import type { Principal } from "@/lib/audit";
import { hashToken } from "./secret";

export interface ResolvedToken {
  id: string;
  name: string;
  role: Role;
  /** Who the token acts as. */
  principal: Principal;
}

/** How stale last_used_at may get before a request refreshes it: one write per token per minute. */
const touchAfterMs = 60_000;

function isRole(value: unknown): value is Role {
  return typeof value === "string" && (roles as readonly string[]).includes(value);
}

/**
 * Finds the live token with this secret, or null: not revoked, and for a person's token
 * an owner who still exists (deleting them cascades) and is not disabled. The owner's
 * current role travels with the principal, so a demotion takes effect on the next request.
 */
export async function findActiveToken(db: Queryable, secret: string): Promise<ResolvedToken | null> {
  const [row] = await db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      role: apiTokens.role,
      kind: apiTokens.kind,
      scope: apiTokens.scope,
      lastUsedAt: apiTokens.lastUsedAt,
      ownerId: user.id,
      ownerEmail: user.email,
      ownerRole: user.role,
      ownerDisabled: user.disabled,
    })
    .from(apiTokens)
    .leftJoin(user, eq(user.id, apiTokens.ownerUserId))
    .where(and(eq(apiTokens.tokenHash, hashToken(secret)), isNull(apiTokens.revokedAt)));
  if (!row) return null;
  if (row.kind === "user" && (row.ownerId === null || row.ownerDisabled !== false || !isRole(row.ownerRole)))
    return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() >= touchAfterMs) {
    // The guard repeats the staleness test in SQL so concurrent requests write once.
    await db
      .update(apiTokens)
      .set({ lastUsedAt: sql`now()` })
      .where(
        and(
          eq(apiTokens.id, row.id),
          or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, sql`now() - interval '60 seconds'`)),
        ),
      );
  }
  const owner =
    row.kind === "user" && row.ownerId !== null && row.ownerEmail !== null && isRole(row.ownerRole)
      ? { id: row.ownerId, label: row.ownerEmail, role: row.ownerRole }
      : undefined;
  const principal: Principal = {
    kind: "token",
    id: row.id,
    label: `token:${row.name}`,
    role: row.role,
    ...(row.scope !== null ? { scope: row.scope } : {}),
    ...(owner ? { owner } : {}),
  };
  return { id: row.id, name: row.name, role: row.role, principal };
}
