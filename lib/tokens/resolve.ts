import "server-only";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { apiTokens, type Role } from "@/db/schema";
import { hashToken } from "./secret";

export interface ResolvedToken {
  id: string;
  name: string;
  role: Role;
}

/** How stale last_used_at may get before a request refreshes it: one write per token per minute. */
const touchAfterMs = 60_000;

/** Finds the live (not revoked) token with this secret, or null. */
export async function findActiveToken(db: Queryable, secret: string): Promise<ResolvedToken | null> {
  const [row] = await db
    .select({ id: apiTokens.id, name: apiTokens.name, role: apiTokens.role, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, hashToken(secret)), isNull(apiTokens.revokedAt)));
  if (!row) return null;
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
  return { id: row.id, name: row.name, role: row.role };
}
