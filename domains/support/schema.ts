import { index, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/** The support pack's own tables: customers, tickets, replies. */
export const supportPlans = ["free", "pro", "enterprise"] as const;
export const ticketStatuses = ["open", "answered", "closed"] as const;
export type TicketStatus = (typeof ticketStatuses)[number];
export const ticketPriorities = ["low", "normal", "high", "urgent"] as const;
export type TicketPriority = (typeof ticketPriorities)[number];

export const supportCustomers = pgTable(
  "support_customers",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    plan: text("plan", { enum: supportPlans }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("support_customers_email_idx").on(t.email)],
);

export const supportTickets = pgTable(
  "support_tickets",
  {
    id: text("id").primaryKey(),
    customerId: text("customer_id")
      .notNull()
      .references(() => supportCustomers.id),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    status: text("status", { enum: ticketStatuses }).notNull().default("open"),
    /** Set by triage. */
    category: text("category"),
    priority: text("priority", { enum: ticketPriorities }).notNull().default("normal"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("support_tickets_status_idx").on(t.status, t.createdAt),
    index("support_tickets_customer_idx").on(t.customerId, t.createdAt),
  ],
);

export const supportReplies = pgTable(
  "support_replies",
  {
    id: text("id").primaryKey(),
    ticketId: text("ticket_id")
      .notNull()
      .references(() => supportTickets.id),
    body: text("body").notNull(),
    /** The run that sent it (replies are sent by agent runs, after approval). */
    runId: text("run_id"),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("support_replies_ticket_idx").on(t.ticketId, t.sentAt)],
);
