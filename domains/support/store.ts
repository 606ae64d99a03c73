import "server-only";
import { randomUUID } from "node:crypto";
import { and, desc, eq, isNotNull, sql } from "drizzle-orm";
import type { Queryable, Tx } from "@/db/client";
import { supportCustomers, supportReplies, supportTickets, type TicketPriority } from "./schema";

/** Support ticket store queries (the domain's system of record). */

/** Hours until a ticket of this priority breaches its SLA. */
export const SLA_HOURS: Record<TicketPriority, number> = { urgent: 4, high: 8, normal: 24, low: 72 };

export async function customerHistory(db: Queryable, email: string) {
  const [customer] = await db.select().from(supportCustomers).where(eq(supportCustomers.email, email.toLowerCase()));
  if (!customer) return { found: false as const, email };
  const tickets = await db
    .select({
      id: supportTickets.id,
      subject: supportTickets.subject,
      status: supportTickets.status,
      category: supportTickets.category,
      priority: supportTickets.priority,
      createdAt: supportTickets.createdAt,
    })
    .from(supportTickets)
    .where(eq(supportTickets.customerId, customer.id))
    .orderBy(desc(supportTickets.createdAt))
    .limit(10);
  return {
    found: true as const,
    customer: {
      id: customer.id,
      name: customer.name,
      email: customer.email,
      plan: customer.plan,
      since: customer.createdAt,
    },
    openTickets: tickets.filter((t) => t.status === "open").length,
    tickets,
  };
}

export async function overdueTickets(db: Queryable, asOf: Date) {
  const rows = await db
    .select({
      id: supportTickets.id,
      subject: supportTickets.subject,
      priority: supportTickets.priority,
      createdAt: supportTickets.createdAt,
      customer: supportCustomers.email,
    })
    .from(supportTickets)
    .innerJoin(supportCustomers, eq(supportCustomers.id, supportTickets.customerId))
    .where(eq(supportTickets.status, "open"))
    .orderBy(supportTickets.createdAt);
  return rows
    .map((r) => ({
      ...r,
      ageHours: Math.floor((asOf.getTime() - r.createdAt.getTime()) / 3_600_000),
      slaHours: SLA_HOURS[r.priority],
    }))
    .filter((r) => r.ageHours >= r.slaHours)
    .map(({ createdAt, ...r }) => ({ ...r, createdAt: createdAt.toISOString() }));
}

export async function ticketTopics(db: Queryable, since: Date) {
  const rows = await db
    .select({
      category: supportTickets.category,
      count: sql<number>`count(*)::int`,
      examples: sql<string[]>`(array_agg(${supportTickets.subject} order by ${supportTickets.createdAt} desc))[1:3]`,
    })
    .from(supportTickets)
    .where(and(isNotNull(supportTickets.category), sql`${supportTickets.createdAt} >= ${since.toISOString()}`))
    .groupBy(supportTickets.category)
    .orderBy(sql`count(*) desc`, supportTickets.category);
  return rows.map((r) => ({ category: r.category ?? "other", count: Number(r.count), examples: r.examples }));
}

export interface ReplyInput {
  ticketId?: string;
  customer: string;
  subject: string;
  category: string;
  priority: TicketPriority;
  body: string;
}

/**
 * Records a sent reply and marks the ticket answered. The ticket is the one named, else the
 * customer's newest open ticket with this subject, else a new one (signals from outside
 * need not carry an id).
 */
export async function recordReply(tx: Tx, input: ReplyInput, runId: string) {
  const email = input.customer.toLowerCase();
  let [customer] = await tx.select().from(supportCustomers).where(eq(supportCustomers.email, email));
  if (!customer) {
    [customer] = await tx
      .insert(supportCustomers)
      .values({ id: `cus_${randomUUID()}`, email, name: email.split("@")[0] ?? email, plan: "free" })
      .returning();
  }
  if (!customer) throw new Error("customer could not be recorded");
  let ticketId = input.ticketId;
  if (ticketId) {
    const [t] = await tx
      .select({ id: supportTickets.id, customerId: supportTickets.customerId })
      .from(supportTickets)
      .where(eq(supportTickets.id, ticketId));
    if (!t) throw new Error(`no ticket ${ticketId}`);
    if (t.customerId !== customer.id) throw new Error(`ticket ${ticketId} does not belong to ${email}`);
  } else {
    const [t] = await tx
      .select({ id: supportTickets.id })
      .from(supportTickets)
      .where(
        and(
          eq(supportTickets.customerId, customer.id),
          eq(supportTickets.subject, input.subject),
          eq(supportTickets.status, "open"),
        ),
      )
      .orderBy(desc(supportTickets.createdAt))
      .limit(1);
    ticketId = t?.id;
    if (!ticketId) {
      ticketId = `tkt_${randomUUID()}`;
      await tx
        .insert(supportTickets)
        .values({ id: ticketId, customerId: customer.id, subject: input.subject, body: "(created from a signal)" });
    }
  }
  const replyId = `rpl_${randomUUID()}`;
  await tx.insert(supportReplies).values({ id: replyId, ticketId, body: input.body, runId });
  await tx
    .update(supportTickets)
    .set({ status: "answered", category: input.category, priority: input.priority, updatedAt: sql`now()` })
    .where(eq(supportTickets.id, ticketId));
  return { ticketId, replyId, status: "answered" as const };
}
