import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { runs } from "@/db/schema";
import { systemPrincipal } from "@/lib/audit";
import { deliverSignal } from "@/lib/runtime";
import { supportCustomers, supportTickets } from "./schema";
import { demoCustomers } from "./seed";

/**
 * The paced demo's ticket stream: a new ticket every few seconds from a handful of
 * customers, each delivered as `ticket.created` as a help desk would. It holds back while
 * many triage runs are already queued or waiting, so an unattended demo does not pile up
 * thousands of runs; it resumes once a lead works the queue.
 */
const trickleCustomers = [
  // The seeded customers (with their history) and four more, so one customer's lock does not hold up the stream.
  ...demoCustomers.map(({ id, email, name, plan }) => ({ id, email, name, plan })),
  { id: "cus_edsger", email: "edsger@dijkstra.example", name: "Edsger Dijkstra", plan: "enterprise" as const },
  { id: "cus_barbara", email: "barbara@liskov.example", name: "Barbara Liskov", plan: "pro" as const },
  { id: "cus_margaret", email: "margaret@hamilton.example", name: "Margaret Hamilton", plan: "free" as const },
  { id: "cus_donald", email: "donald@knuth.example", name: "Donald Knuth", plan: "pro" as const },
];

const tickets: readonly { subject: string; body: string }[] = [
  { subject: "Charged twice this month", body: "My card shows two charges for the same subscription period." },
  {
    subject: "Export to CSV times out",
    body: "Exporting our 40k-row project to CSV spins for minutes and then fails.",
  },
  { subject: "Can't invite a new teammate", body: "The invite button is greyed out although we have free seats." },
  {
    subject: "Dashboard is blank after update",
    body: "Since this morning's update the dashboard shows an empty page.",
  },
  {
    subject: "How do I change the billing email?",
    body: "Invoices should go to finance@, not to me. Where can I change that?",
  },
  {
    subject: "API returns 500 on /projects",
    body: "Our integration gets HTTP 500 from the projects endpoint since 9:00.",
  },
  { subject: "Request to delete my account", body: "Please delete my account and all the data you hold about me." },
  { subject: "Webhook deliveries delayed", body: "Our webhook receiver gets events 10 to 20 minutes late today." },
  {
    subject: "Password reset mail never arrives",
    body: "I requested a reset three times; nothing in the inbox or spam.",
  },
  { subject: "Upgrade to the annual plan", body: "We'd like to switch to annual billing. Is there a discount?" },
  {
    subject: "SSO login loops back to the start",
    body: "After signing in with our IdP the app sends us back to the login page.",
  },
  {
    subject: "Mobile app crashes on launch",
    body: "The iOS app closes immediately after the splash screen since 4.2.",
  },
];

export interface DemoTrickle {
  stop(): void;
}

export interface DemoTrickleOptions {
  /** A new ticket every minMs..maxMs. */
  minMs?: number;
  maxMs?: number;
  /** No new ticket while this many triage runs are queued, running or waiting. */
  maxOpen?: number;
  onError?: (error: unknown) => void;
  random?: () => number;
}

async function openTriageRuns(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(runs)
    .where(and(eq(runs.jobId, "triage-ticket"), inArray(runs.state, ["queued", "running", "waiting"])));
  return Number(row?.n ?? 0);
}

/** Files one new ticket and delivers its signal; answers the ticket id. */
export async function fileDemoTicket(db: Db, random: () => number = Math.random): Promise<string> {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length) % list.length] as T;
  const customer = pick(trickleCustomers);
  const ticket = pick(tickets);
  const id = `tkt_${Date.now().toString(36)}${Math.floor(random() * 1296).toString(36)}`;
  await db.transaction(async (tx) => {
    await tx.insert(supportCustomers).values(customer).onConflictDoNothing();
    await tx.insert(supportTickets).values({ id, customerId: customer.id, subject: ticket.subject, body: ticket.body });
  });
  await deliverSignal(db, {
    name: "ticket.created",
    payload: { subject: ticket.subject, body: ticket.body, customer: customer.email, ticketId: id },
    idempotencyKey: `support-demo:${id}`,
    actor: systemPrincipal("support-demo", "support demo"),
  });
  return id;
}

export function startDemoTrickle(db: Db, options: DemoTrickleOptions = {}): DemoTrickle {
  const { minMs = 4_000, maxMs = 9_000, maxOpen = 12, random = Math.random } = options;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void tick(), minMs + random() * Math.max(0, maxMs - minMs));
    // The demo never holds the process open: shutdown drains the runtime, not this.
    timer.unref?.();
  };
  const tick = async () => {
    try {
      if ((await openTriageRuns(db)) < maxOpen) await fileDemoTicket(db, random);
    } catch (error) {
      options.onError?.(error);
    }
    schedule();
  };
  schedule();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
