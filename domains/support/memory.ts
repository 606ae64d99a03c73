import "server-only";
import { z } from "zod";
import type { MemoryCollection } from "@/lib/memory";
import { ticketPriorities } from "./schema";
import { ticketCategories } from "./tools";

/**
 * The support pack's shared memory: what triage runs learn, shared across runs. Triage
 * runs for one customer take an exclusive lock on `customers/<email>` before their first
 * turn, so they serialise on the customer; each records its ticket's classification.
 */
export const ticketClassification = z.strictObject({
  ticketId: z.string().min(1).max(100).nullable(),
  customer: z.email(),
  subject: z.string().max(300),
  category: z.enum(ticketCategories),
  priority: z.enum(ticketPriorities),
});

export const customerMemory = z.strictObject({
  email: z.email(),
  lastTicketId: z.string().min(1).max(100).nullable(),
  lastCategory: z.enum(ticketCategories),
  lastPriority: z.enum(ticketPriorities),
  ticketsTriaged: z.number().int().min(0),
});

export const supportCollections: MemoryCollection[] = [
  {
    name: "tickets",
    description: "Each ticket's classification, as the triage run that classified it recorded it.",
    schema: ticketClassification,
  },
  {
    name: "customers",
    description: "Per customer: the latest triaged ticket and how many were triaged.",
    schema: customerMemory,
  },
];
