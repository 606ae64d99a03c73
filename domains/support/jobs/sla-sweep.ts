import "server-only";
import { defineJob } from "@/lib/jobs";
import type { SimulatedScript } from "@/lib/models";
import { supportAuthorizedAt, supportAuthorizer, supportOwner } from "../governance";

/** "2 tickets past SLA · operators notified", from the sweep's answer. */
function sweepOutcome(output: unknown): string | null {
  if (output === null || typeof output !== "object" || !("overdue" in output)) return null;
  const overdue = typeof output.overdue === "number" ? output.overdue : null;
  if (overdue === null) return null;
  if (overdue === 0) return "No ticket past SLA";
  const notified = "notified" in output && output.notified === true;
  return `${overdue} ticket${overdue === 1 ? "" : "s"} past SLA · ${notified ? "operators notified" : "not notified"}`;
}

export const slaSweep = defineJob({
  id: "sla-sweep",
  domain: "support",
  title: "Nightly SLA sweep",
  description: "Lists open tickets past their SLA and notifies the operators with the list.",
  triggers: [{ kind: "schedule", cron: "0 2 * * *", timezone: "Europe/Berlin" }, { kind: "manual" }],
  agent: {
    model: "default",
    instructions: [
      "You check the support queue for SLA breaches.",
      "Call list_overdue_tickets. If any ticket is overdue, call notify once (level warning, or critical when an urgent ticket is overdue) with a short list: ticket id, customer, priority, age in hours.",
      'Then answer with JSON only: {"overdue": <count>, "notified": true|false}.',
    ].join("\n"),
    tools: ["list_overdue_tickets", "notify"],
    maxTurns: 4,
  },
  budgets: { tokens: 20_000, turns: 4, wallClockMs: 600_000 },
  scheduling: { group: "support", weight: 1, priority: 0, deadlineMs: 3_600_000 },
  run: { outcome: sweepOutcome },
  governance: {
    owner: supportOwner,
    purpose: "Make sure no customer ticket silently breaches its service-level agreement.",
    riskLevel: "minimal",
    // notify writes an operator notification.
    dataCategories: ["customer-contact", "ticket-content", "operator-notification"],
    humanOversight: "none",
    authorizedBy: supportAuthorizer,
    authorizedAt: supportAuthorizedAt,
    retentionDays: 30,
  },
});

interface Overdue {
  count?: number;
  overdue?: { id: string; customer: string; priority: string; ageHours: number }[];
}

export const slaSweepScript: SimulatedScript = (state) => {
  const result = state.lastResult("list_overdue_tickets");
  const listed = (result?.output ?? {}) as Overdue;
  const overdue = listed.overdue ?? [];
  if (state.step === 0)
    return { text: "Checking the queue.", toolCalls: [{ toolName: "list_overdue_tickets", input: {} }] };
  if (state.step === 1 && overdue.length > 0) {
    const urgent = overdue.some((t) => t.priority === "urgent");
    const lines = overdue.map((t) => `• ${t.id} — ${t.customer} — ${t.priority}, open ${t.ageHours} h`);
    return {
      text: `${overdue.length} tickets are past SLA.`,
      toolCalls: [
        {
          toolName: "notify",
          input: {
            level: urgent ? "critical" : "warning",
            title: `${overdue.length} ticket(s) past SLA`,
            message: lines.join("\n"),
          },
        },
      ],
    };
  }
  const notified = state.results.some((r) => r.toolName === "notify" && !r.isError);
  return { text: JSON.stringify({ overdue: overdue.length, notified }) };
};
