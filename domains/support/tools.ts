import "server-only";
import { z } from "zod";
import { ticketPriorities } from "./schema";
import { defineTool, type ToolDefinition } from "@/lib/tools";
import { customerHistory, overdueTickets, recordReply, ticketTopics } from "./store";

export const ticketCategories = ["billing", "bug", "account", "how-to", "other"] as const;

export const lookupCustomerTool = defineTool({
  name: "lookup_customer",
  description: "Look up a support customer by email: plan, customer since, and their latest tickets.",
  input: z.strictObject({ email: z.email() }),
  sideEffect: "none",
  dataCategories: ["customer-contact", "ticket-content"],
  async execute({ email }, ctx) {
    return customerHistory(ctx.db, email);
  },
});

export const listOverdueTicketsTool = defineTool({
  name: "list_overdue_tickets",
  description: "List open tickets that are past their SLA (urgent 4h, high 8h, normal 24h, low 72h).",
  input: z.strictObject({ asOf: z.iso.datetime({ offset: true }).optional() }),
  sideEffect: "none",
  dataCategories: ["customer-contact", "ticket-content"],
  async execute({ asOf }, ctx) {
    const at = asOf ? new Date(asOf) : new Date();
    const overdue = await overdueTickets(ctx.db, at);
    return { asOf: at.toISOString(), count: overdue.length, overdue };
  },
});

export const listTicketTopicsTool = defineTool({
  name: "list_ticket_topics",
  description: "Count recent tickets per category, with example subjects, to decide which help articles to write.",
  input: z.strictObject({ days: z.number().int().min(1).max(365).optional() }),
  sideEffect: "none",
  dataCategories: ["ticket-content"],
  async execute({ days }, ctx) {
    const since = new Date(Date.now() - (days ?? 30) * 86_400_000);
    return { since: since.toISOString(), topics: await ticketTopics(ctx.db, since) };
  },
});

export const sendReplyTool = defineTool({
  name: "send_reply",
  description: "Send the reply to the customer and mark the ticket answered with its category and priority.",
  input: z.strictObject({
    ticketId: z.string().min(1).max(100).optional(),
    customer: z.email(),
    subject: z.string().min(1).max(300),
    category: z.enum(ticketCategories),
    priority: z.enum(ticketPriorities),
    body: z.string().trim().min(1).max(20_000),
  }),
  // Reaches the customer: in a job with approve-tools oversight a lead approves every call.
  sideEffect: "external",
  // The reply is a row (the demo's outbox): it commits with the call's record and audit event.
  writes: "database",
  dataCategories: ["customer-contact", "ticket-content"],
  async execute(input, ctx) {
    return recordReply(ctx.tx, input, ctx.runId);
  },
});

export const supportTools: readonly ToolDefinition[] = [
  lookupCustomerTool,
  listOverdueTicketsTool,
  listTicketTopicsTool,
  sendReplyTool,
];
