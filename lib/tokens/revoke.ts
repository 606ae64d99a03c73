import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiTokens } from "@/db/schema";
import { appendAudit } from "@/lib/audit";
import { auditActor, auditAuthorization } from "@/lib/audit";
import type { Principal } from "@/lib/audit";
import { AppError } from "@/lib/errors";

/** Revoking keeps the row (for the audit trail and the list) and stops it working at once. */
export async function revokeApiToken(db: Db, actor: Principal, id: string): Promise<{ id: string; revokedAt: string }> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiTokens)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
      .returning({
        id: apiTokens.id,
        name: apiTokens.name,
        role: apiTokens.role,
        prefix: apiTokens.prefix,
        revokedAt: apiTokens.revokedAt,
      });
    if (!row || !row.revokedAt) {
      const [existing] = await tx.select({ id: apiTokens.id }).from(apiTokens).where(eq(apiTokens.id, id));
      if (existing) throw new AppError("conflict", "Token is already revoked");
      throw new AppError("not_found", "No such token");
    }
    await appendAudit(tx, {
      actor: auditActor(actor),
      action: "token.revoked",
      subject: { type: "api_token", id: row.id },
      authorization: auditAuthorization(actor, "tokens.manage"),
      payload: { name: row.name, role: row.role, prefix: row.prefix },
    });
    return { id: row.id, revokedAt: row.revokedAt.toISOString() };
  });
}
