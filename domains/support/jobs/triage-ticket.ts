import "server-only";
import { z } from "zod";
import { defineJob } from "@/lib/jobs";
import type { SimulatedScript } from "@/lib/models";
import { classifyTicket, draftReply } from "../classify";
import { supportAuthorizedAt, supportAuthorizer, supportOwner } from "../governance";

export const ticketCreatedPayload = z.object({
  subject: z.string().trim().min(1).max(300),
  body: z.string().trim().min(1).max(20_000),
  customer: z.email(),
  /** Set when the ticket already exists in the store (the demo's seeded tickets). */
  ticketId: z.string().min(1).max(100).optional(),
});
type TicketCreated = z.infer<typeof ticketCreatedPayload>;

export const triageTicket = defineJob({
  id: "triage-ticket",
  domain: "support",
  title: "Triage support ticket",
  description:
    "Classifies a new ticket, looks up the customer's history, records the classification in shared memory, drafts a reply in the run's workspace and sends it once a lead approves. Runs for one customer take turns (a lock on the customer).",
  input: ticketCreatedPayload,
  triggers: [{ kind: "signal", name: "ticket.created", payload: ticketCreatedPayload }, { kind: "manual" }],
  agent: {
    model: "default",
    instructions: [
      "You triage one customer support ticket (the run input: subject, body, customer email, optional ticketId).",
      "1. Call lookup_customer with the customer's email to see their plan and ticket history.",
      "2. Classify the ticket: category one of billing, bug, account, how-to, other; priority one of low, normal, high, urgent (enterprise customers and outages rank higher).",
      "   Record it in shared memory: memory_write tickets/<ticketId or 'ticket'> {ticketId, customer, subject, category, priority}, and read customers/<email> (memory_read) then memory_write it {email, lastTicketId, lastCategory, lastPriority, ticketsTriaged} with the version you read as expectedVersion.",
      "3. Draft a short, friendly reply and save it with write_file to drafts/<ticketId or 'ticket'>.md.",
      "4. Send it with send_reply (include ticketId when the input has one). A lead may have to approve this first.",
      'Finally answer with JSON only: {"category": …, "priority": …, "replied": true|false, "ticketId": …}.',
    ].join("\n"),
    tools: ["lookup_customer", "write_file", "read_file", "state_set", "memory_read", "memory_write", "send_reply"],
    maxTurns: 8,
  },
  budgets: { tokens: 40_000, turns: 8, wallClockMs: 24 * 3_600_000 },
  // Each customer domain gets its own fair share of the model (docs/SCHEDULING.md).
  scheduling: { group: "support", weight: 2, priority: 1, fairShareKey: "customer|domain" },
  // One customer's tickets are triaged one run at a time: the lock is the customer entity.
  locks: (input) => [`customers/${ticketCreatedPayload.parse(input).customer}`],
  memory: { write: ["tickets", "customers"], lockTimeoutMs: 24 * 3_600_000 },
  // An unanswered reply approval is rejected after 8 hours (the ticket is better re-triaged than answered stale).
  approval: { expiresAfter: "8h", onExpiry: "reject" },
  // A card reads as the ticket, and a finished one says whether the customer got an answer.
  run: {
    title: (input) => ticketCreatedPayload.parse(input).subject,
    outcome: (output) => repliedOf(output),
  },
  governance: {
    owner: supportOwner,
    purpose: "Answer incoming customer tickets quickly and consistently, with a human approving every reply sent.",
    riskLevel: "limited",
    // Notes in the workspace, a state key per ticket, and the customer and ticket in shared memory.
    dataCategories: ["customer-contact", "ticket-content", "workspace", "run-state", "shared-memory"],
    humanOversight: "approve-tools",
    authorizedBy: supportAuthorizer,
    authorizedAt: supportAuthorizedAt,
    retentionDays: 90,
  },
});

function repliedOf(output: unknown): string | null {
  if (output === null || typeof output !== "object" || !("replied" in output)) return null;
  return output.replied === true ? "Reply sent" : "No reply sent";
}

/** Offline script: lookup → classify + draft (workspace, state) → send (approval) → answer. */
export const triageScript: SimulatedScript = (state) => {
  const input = ticketCreatedPayload.safeParse(state.input);
  if (!input.success) return { text: JSON.stringify({ error: "run input is not a ticket" }) };
  const ticket: TicketCreated = input.data;
  const lookup = [...state.results].reverse().find((r) => r.toolName === "lookup_customer" && !r.isError);
  const history = lookup?.output as { found?: boolean; customer?: { name?: string; plan?: string } } | undefined;
  const name = history?.customer?.name ?? ticket.customer.split("@")[0] ?? "there";
  const { category, priority } = classifyTicket(ticket.subject, ticket.body, history?.customer?.plan);
  const draftPath = `drafts/${ticket.ticketId ?? "ticket"}.md`;
  const reply = draftReply(name, ticket.subject, category);
  switch (state.step) {
    case 0:
      return {
        text: "Looking up the customer first.",
        toolCalls: [{ toolName: "lookup_customer", input: { email: ticket.customer } }],
      };
    case 1:
      return {
        text: `Classified as ${category} / ${priority}. Recording it and drafting the reply.`,
        toolCalls: [
          { toolName: "write_file", input: { path: draftPath, content: reply } },
          { toolName: "state_set", input: { key: "classification", value: { category, priority } } },
          {
            toolName: "memory_write",
            input: {
              entity: `tickets/${ticket.ticketId ?? "ticket"}`,
              value: {
                ticketId: ticket.ticketId ?? null,
                customer: ticket.customer,
                subject: ticket.subject.slice(0, 300),
                category,
                priority,
              },
            },
          },
          { toolName: "memory_read", input: { entity: `customers/${ticket.customer}` } },
        ],
      };
    case 2: {
      const known = state.lastResult("memory_read")?.output as
        { found?: boolean; version?: number; value?: { ticketsTriaged?: number } } | undefined;
      return {
        text: "Updating the customer's memory and sending the reply.",
        toolCalls: [
          {
            toolName: "memory_write",
            input: {
              entity: `customers/${ticket.customer}`,
              value: {
                email: ticket.customer,
                lastTicketId: ticket.ticketId ?? null,
                lastCategory: category,
                lastPriority: priority,
                ticketsTriaged: (known?.value?.ticketsTriaged ?? 0) + 1,
              },
              expectedVersion: known?.version ?? 0,
            },
          },
          {
            toolName: "send_reply",
            input: {
              ...(ticket.ticketId ? { ticketId: ticket.ticketId } : {}),
              customer: ticket.customer,
              subject: ticket.subject,
              category,
              priority,
              body: reply,
            },
          },
        ],
      };
    }
    default: {
      const sent = state.lastResult("send_reply");
      return {
        text: JSON.stringify({
          category,
          priority,
          replied: Boolean(sent && !sent.isError),
          ticketId: ticket.ticketId ?? null,
        }),
      };
    }
  }
};

/**
 * The demo's simulated model: the triage script, plus one scripted misstep so a fresh
 * demo shows the policy path — on a ticket about two-factor authentication it first asks
 * for `reset_two_factor`, a tool this job is not allowed. The gateway refuses it (audited,
 * a policy flashcard for the lead), the model reads the refusal and carries on.
 */
export const demoTriageScript: SimulatedScript = (state) => {
  const reply = triageScript(state);
  const input = ticketCreatedPayload.safeParse(state.input);
  if (state.step !== 1 || !input.success || !/2fa|two-factor/i.test(`${input.data.subject} ${input.data.body}`))
    return reply;
  return {
    ...reply,
    toolCalls: [{ toolName: "reset_two_factor", input: { email: input.data.customer } }, ...(reply.toolCalls ?? [])],
  };
};
