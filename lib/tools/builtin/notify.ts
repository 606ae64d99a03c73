import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { notificationLevels, notifications } from "@/db/schema";
import { flagNotice } from "@/lib/flashcards/hooks";
import { toolRedactor } from "../redactor";
import { defineTool } from "../types";

export const notifyTool = defineTool({
  name: "notify",
  description: "Leave a message for the operators; it is shown on this run in the cockpit.",
  input: z.strictObject({
    title: z.string().trim().min(1).max(200),
    message: z.string().trim().min(1).max(4000),
    level: z.enum(notificationLevels).optional(),
  }),
  // Stays inside Flightdeck (a row on the run), so it is not an external side effect.
  sideEffect: "workspace",
  writes: "database",
  dataCategories: ["operator-notification"],
  async execute({ title, message, level }, ctx) {
    const r = toolRedactor();
    const id = `ntf_${randomUUID()}`;
    await ctx.tx.insert(notifications).values({
      id,
      runId: ctx.runId,
      jobId: ctx.jobId,
      level: level ?? "info",
      title: r.redactString(title),
      message: r.redactString(message),
    });
    // A warning or critical message is also a card in the lead's queue.
    await flagNotice(ctx.tx, {
      runId: ctx.runId,
      jobId: ctx.jobId,
      level: level ?? "info",
      title: r.redactString(title),
      message: r.redactString(message),
      notificationId: id,
    });
    return { notificationId: id, delivered: true };
  },
});
