import "server-only";
import { inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { supportCustomers, supportReplies, supportTickets } from "./schema";
import { systemPrincipal } from "@/lib/audit";
import { createRun } from "@/lib/runtime";
import { deliverSignal } from "@/lib/runtime";

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);

export const demoCustomers = [
  {
    id: "cus_ada",
    email: "ada@lovelace.example",
    name: "Ada Lovelace",
    plan: "enterprise" as const,
    createdAt: hoursAgo(24 * 700),
  },
  {
    id: "cus_grace",
    email: "grace@hopper.example",
    name: "Grace Hopper",
    plan: "pro" as const,
    createdAt: hoursAgo(24 * 400),
  },
  {
    id: "cus_alan",
    email: "alan@turing.example",
    name: "Alan Turing",
    plan: "free" as const,
    createdAt: hoursAgo(24 * 60),
  },
  {
    id: "cus_katherine",
    email: "katherine@johnson.example",
    name: "Katherine Johnson",
    plan: "pro" as const,
    createdAt: hoursAgo(24 * 200),
  },
];

/** Past tickets give lookups a history and kb-refresh its topics. */
const history = [
  {
    id: "tkt_0991",
    customerId: "cus_ada",
    subject: "Invoice shows the wrong VAT rate",
    body: "Our March invoice applies 19% VAT but we are VAT-exempt.",
    status: "answered" as const,
    category: "billing",
    priority: "normal" as const,
    createdAt: hoursAgo(24 * 20),
  },
  {
    id: "tkt_0992",
    customerId: "cus_grace",
    subject: "How do I export my data?",
    body: "Where can I export all projects as CSV?",
    status: "closed" as const,
    category: "how-to",
    priority: "low" as const,
    createdAt: hoursAgo(24 * 40),
  },
  {
    id: "tkt_0993",
    customerId: "cus_alan",
    subject: "Password reset email never arrives",
    body: "I requested a reset three times.",
    status: "answered" as const,
    category: "account",
    priority: "normal" as const,
    createdAt: hoursAgo(24 * 10),
  },
  {
    id: "tkt_0994",
    customerId: "cus_katherine",
    subject: "Refund for a duplicate charge",
    body: "I was charged twice for the annual plan.",
    status: "answered" as const,
    category: "billing",
    priority: "high" as const,
    createdAt: hoursAgo(24 * 5),
  },
  {
    id: "tkt_0995",
    customerId: "cus_ada",
    subject: "Export to PDF fails with an error",
    body: "Exporting a report crashes with error 500.",
    status: "closed" as const,
    category: "bug",
    priority: "high" as const,
    createdAt: hoursAgo(24 * 30),
  },
];

/** Open tickets: each gets a ticket.created signal at start-up, so triage runs appear. */
export const demoOpenTickets = [
  {
    id: "tkt_1001",
    customerId: "cus_ada",
    subject: "Dashboard down for our whole team - urgent",
    body: "Since this morning the dashboard shows an error for everyone in production. We need this fixed asap.",
    createdAt: hoursAgo(30),
  },
  {
    id: "tkt_1002",
    customerId: "cus_grace",
    subject: "Charged twice this month",
    body: "My card was charged twice for the Pro plan in November. Please refund one payment.",
    createdAt: hoursAgo(2),
  },
  {
    id: "tkt_1003",
    customerId: "cus_alan",
    subject: "How do I set up SSO?",
    body: "How can I configure single sign-on with our identity provider?",
    createdAt: hoursAgo(1),
  },
  // A second open ticket for Ada: its triage run waits for the first one's lock on the customer.
  {
    id: "tkt_1005",
    customerId: "cus_ada",
    subject: "Invoice for last month missing",
    body: "Our finance team cannot find the October invoice in the billing page.",
    createdAt: hoursAgo(3),
  },
  {
    id: "tkt_1004",
    customerId: "cus_katherine",
    subject: "Locked out after enabling 2FA",
    body: "I enabled 2FA and lost my phone; now I cannot log in to my account.",
    createdAt: hoursAgo(50),
  },
];

/**
 * Seeds customers and tickets into an empty support store (one transaction). Returns
 * false when the store already has customers: seeding never touches existing data.
 */
export async function seedSupportDemo(db: Db): Promise<{ seeded: boolean }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`lock table support_customers in share row exclusive mode`);
    const [existing] = await tx.select({ id: supportCustomers.id }).from(supportCustomers).limit(1);
    if (existing) return { seeded: false };
    await tx.insert(supportCustomers).values(demoCustomers);
    await tx
      .insert(supportTickets)
      .values([
        ...history.map((t) => ({ ...t, updatedAt: t.createdAt })),
        ...demoOpenTickets.map((t) => ({ ...t, status: "open" as const, updatedAt: t.createdAt })),
      ]);
    await tx.insert(supportReplies).values(
      history.map((t) => ({
        id: `rpl_seed_${t.id}`,
        ticketId: t.id,
        body: "Thanks — this is resolved now.",
        sentAt: t.createdAt,
      })),
    );
    return { seeded: true };
  });
}

/**
 * Boot-time demo: seed an empty store, then deliver `ticket.created` for every demo ticket
 * still open (idempotency keys: a restart delivers nothing twice). On the first seed it also
 * starts one sla-sweep and one kb-refresh run. Needs the job registry loaded.
 */
export async function startSupportDemo(db: Db): Promise<{ seeded: boolean; runIds: string[] }> {
  const { seeded } = await seedSupportDemo(db);
  const open = await db
    .select({
      id: supportTickets.id,
      subject: supportTickets.subject,
      body: supportTickets.body,
      customerId: supportTickets.customerId,
    })
    .from(supportTickets)
    .where(
      inArray(
        supportTickets.id,
        demoOpenTickets.map((t) => t.id),
      ),
    );
  const emails = new Map(demoCustomers.map((c) => [c.id, c.email]));
  const actor = systemPrincipal("support-demo", "support demo");
  const runIds: string[] = [];
  for (const ticket of open) {
    const customer = emails.get(ticket.customerId);
    if (!customer) continue;
    const delivery = await deliverSignal(db, {
      name: "ticket.created",
      payload: { subject: ticket.subject, body: ticket.body, customer, ticketId: ticket.id },
      idempotencyKey: `support-demo:${ticket.id}`,
      actor,
    });
    if (!delivery.replayed) runIds.push(...delivery.runs);
  }
  if (seeded) {
    // A fresh demo also shows the two other jobs finishing (their crons fire only at night).
    for (const jobId of ["sla-sweep", "kb-refresh"]) {
      const run = await db.transaction((tx) =>
        createRun(tx, { jobId, input: {}, trigger: { kind: "manual", ref: "support-demo" }, actor }),
      );
      runIds.push(run.id);
    }
  }
  return { seeded, runIds };
}
