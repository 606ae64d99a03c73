import "server-only";
import { randomUUID } from "node:crypto";
import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { auditSavedQueries } from "@/db/schema";
import type { Principal } from "../principal";
import { AppError } from "@/lib/errors";
import { parseAuditQueryOr400 } from "./search";

export interface SavedQuery {
  id: string;
  name: string;
  query: string;
  createdAt: string;
}

export const saveQueryInput = z.strictObject({
  name: z.string().trim().min(1).max(80),
  query: z.string().trim().min(1).max(2000),
});
export const savedQueryIdInput = z.strictObject({ id: z.string().min(1).max(100) });

const MAX_PER_USER = 50;

function personOf(principal: Principal): string {
  if (principal.kind !== "user")
    throw new AppError("bad_request", "Saved queries belong to signed-in people, not tokens or the system");
  return principal.id;
}

export async function listSavedQueries(db: Db, principal: Principal): Promise<SavedQuery[]> {
  if (principal.kind !== "user") return [];
  const rows = await db
    .select()
    .from(auditSavedQueries)
    .where(eq(auditSavedQueries.userId, principal.id))
    .orderBy(desc(auditSavedQueries.createdAt))
    .limit(MAX_PER_USER);
  return rows.map((r) => ({ id: r.id, name: r.name, query: r.query, createdAt: r.createdAt.toISOString() }));
}

/** Saves a query for this person (validated: a malformed query is refused like the explorer refuses it). */
export async function saveQuery(
  db: Db,
  principal: Principal,
  input: z.infer<typeof saveQueryInput>,
): Promise<SavedQuery> {
  const userId = personOf(principal);
  parseAuditQueryOr400(input.query);
  return db.transaction(async (tx) => {
    const existing = await tx
      .select({ id: auditSavedQueries.id })
      .from(auditSavedQueries)
      .where(eq(auditSavedQueries.userId, userId));
    if (existing.length >= MAX_PER_USER)
      throw new AppError("bad_request", `You have ${MAX_PER_USER} saved queries; delete one first`);
    const [row] = await tx
      .insert(auditSavedQueries)
      .values({ id: randomUUID(), userId, name: input.name, query: input.query })
      .returning();
    if (!row) throw new Error("saved query insert returned nothing");
    return { id: row.id, name: row.name, query: row.query, createdAt: row.createdAt.toISOString() };
  });
}

export async function deleteSavedQuery(db: Db, principal: Principal, id: string): Promise<{ id: string }> {
  const userId = personOf(principal);
  const deleted = await db
    .delete(auditSavedQueries)
    .where(and(eq(auditSavedQueries.id, id), eq(auditSavedQueries.userId, userId)))
    .returning({ id: auditSavedQueries.id });
  if (deleted.length === 0) throw new AppError("not_found", "No such saved query");
  return { id };
}
