import "server-only";
import { and, eq, gte, lt, lte, type SQL } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { auditLog, type ActorKind } from "@/db/schema";
import { newestAuditEvents } from "./newest";
import { toAuditEvent, type AuditEventRow } from "./row";
import type { AuditEvent } from "./types";

export interface AuditListFilter {
  /** Answer events recorded before this id (the previous page's nextCursor). */
  cursor?: number;
  limit: number;
  action?: string;
  actorKind?: ActorKind;
  actorId?: string;
  subjectType?: string;
  subjectId?: string;
  /** Inclusive bounds on ts. */
  from?: Date;
  to?: Date;
  /** Conditions of an explorer query (`q`, lib/audit/explorer/search.ts), AND-ed with the above. */
  extra?: readonly SQL[];
}

export interface AuditPage {
  events: AuditEvent[];
  /** Pass as cursor for the next (older) page; null when this page is the last. */
  nextCursor: number | null;
}

/** The filter's conditions on audit_events (cursor, fields, time bounds and `extra`), AND-ed by the caller. */
export function auditFilterConditions(filter: Omit<AuditListFilter, "limit">): SQL[] {
  const conditions: SQL[] = [];
  if (filter.cursor !== undefined) conditions.push(lt(auditLog.id, filter.cursor));
  if (filter.action !== undefined) conditions.push(eq(auditLog.action, filter.action));
  if (filter.actorKind !== undefined) conditions.push(eq(auditLog.actorKind, filter.actorKind));
  if (filter.actorId !== undefined) conditions.push(eq(auditLog.actorId, filter.actorId));
  if (filter.subjectType !== undefined) conditions.push(eq(auditLog.subjectType, filter.subjectType));
  if (filter.subjectId !== undefined) conditions.push(eq(auditLog.subjectId, filter.subjectId));
  if (filter.from !== undefined) conditions.push(gte(auditLog.ts, filter.from));
  if (filter.to !== undefined) conditions.push(lte(auditLog.ts, filter.to));
  if (filter.extra) conditions.push(...filter.extra);
  return conditions;
}

/** The page's limit as a whole number of at least one. */
export function pageLimit(filter: Pick<AuditListFilter, "limit">): number {
  return Math.max(1, Math.floor(filter.limit));
}

/** A page of `limit` from up to `limit + 1` rows read newest first (the extra one says whether an older page exists). */
export function toAuditPage(rows: readonly AuditEventRow[], limit: number): AuditPage {
  const page = rows.slice(0, limit).map(toAuditEvent);
  const last = page[page.length - 1];
  return { events: page, nextCursor: rows.length > limit && last ? last.id : null };
}

/** Newest first, keyset-paginated on id (insertion order; unsealed events have no seq yet), so deep pages cost the same as the first. */
export async function listAuditEvents(db: Queryable, filter: AuditListFilter): Promise<AuditPage> {
  const conditions = auditFilterConditions(filter);
  const limit = pageLimit(filter);
  const rows = await newestAuditEvents(db, conditions.length > 0 ? and(...conditions) : undefined, limit + 1);
  return toAuditPage(rows, limit);
}
