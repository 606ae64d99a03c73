import "server-only";
import { desc } from "drizzle-orm";
import { getDb, type Queryable } from "@/db/client";
import { apiTokens, type Role, type TokenScope } from "@/db/schema";

/** What lists and the API show about a token: never the secret or its hash. */
export interface TokenSummary {
  id: string;
  name: string;
  role: Role;
  /** Set: the token may do only what the scope allows (its role is then a placeholder). */
  scope: TokenScope | null;
  /** "user": bound to `ownerUserId`, acting as them; "service": a role and a name. */
  kind: "user" | "service";
  ownerUserId: string | null;
  prefix: string;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function toTokenSummary(row: typeof apiTokens.$inferSelect): TokenSummary {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    scope: row.scope,
    kind: row.kind,
    ownerUserId: row.ownerUserId,
    prefix: row.prefix,
    createdBy: row.createdByLabel,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export async function listApiTokens(db?: Queryable): Promise<TokenSummary[]> {
  const rows = await (db ?? (await getDb()))
    .select()
    .from(apiTokens)
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
  return rows.map(toTokenSummary);
}
