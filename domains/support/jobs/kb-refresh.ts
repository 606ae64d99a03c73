import "server-only";
import { defineJob } from "@/lib/jobs";
import type { SimulatedScript } from "@/lib/models";
import { supportAuthorizedAt, supportAuthorizer, supportOwner } from "../governance";

export const kbRefresh = defineJob({
  id: "kb-refresh",
  domain: "support",
  title: "Refresh help-center articles",
  description: "Writes help-center article drafts for the most frequent ticket topics into the run's workspace.",
  triggers: [{ kind: "schedule", cron: "0 3 * * 1", timezone: "Europe/Berlin" }, { kind: "manual" }],
  agent: {
    model: "default",
    instructions: [
      "You keep the help center current.",
      "Call list_ticket_topics (days: 90). For each topic write one short article draft to articles/<category>.md with write_file, plus articles/index.md listing them.",
      'Check the result with list_files, then answer with JSON only: {"articles": [<paths>]}.',
    ].join("\n"),
    tools: ["list_ticket_topics", "write_file", "read_file", "list_files"],
    maxTurns: 6,
  },
  budgets: { tokens: 30_000, turns: 6, wallClockMs: 900_000 },
  scheduling: { group: "support", weight: 1, priority: -1 },
  run: {
    outcome: (output) => {
      if (output === null || typeof output !== "object" || !("articles" in output)) return null;
      const n = Array.isArray(output.articles) ? output.articles.length : 0;
      return `${n} article draft${n === 1 ? "" : "s"} written`;
    },
  },
  governance: {
    owner: supportOwner,
    purpose: "Turn recurring ticket topics into help articles so customers find answers without a ticket.",
    riskLevel: "minimal",
    // Drafts are files in the run's workspace.
    dataCategories: ["ticket-content", "workspace"],
    humanOversight: "none",
    authorizedBy: supportAuthorizer,
    authorizedAt: supportAuthorizedAt,
    retentionDays: 180,
  },
});

interface Topics {
  topics?: { category: string; count: number; examples: string[] }[];
}

export const kbRefreshScript: SimulatedScript = (state) => {
  const topics = ((state.lastResult("list_ticket_topics")?.output ?? {}) as Topics).topics ?? [];
  const chosen = topics.slice(0, 5);
  switch (state.step) {
    case 0:
      return { text: "Finding frequent topics.", toolCalls: [{ toolName: "list_ticket_topics", input: { days: 90 } }] };
    case 1:
      return {
        text: `Writing ${chosen.length} article(s).`,
        toolCalls: [
          ...chosen.map((t) => ({
            toolName: "write_file",
            input: {
              path: `articles/${t.category}.md`,
              content: [
                `# ${title(t.category)}`,
                "",
                `Customers asked about this ${t.count} time(s) recently, for example:`,
                "",
                ...t.examples.map((e) => `- ${e}`),
                "",
                "## What to do",
                "",
                "Step-by-step guidance goes here.",
              ].join("\n"),
            },
          })),
          {
            toolName: "write_file",
            input: {
              path: "articles/index.md",
              content: ["# Help center", "", ...chosen.map((t) => `- [${title(t.category)}](${t.category}.md)`)].join(
                "\n",
              ),
            },
          },
        ],
      };
    case 2:
      return { text: "Checking the drafts.", toolCalls: [{ toolName: "list_files", input: { path: "articles" } }] };
    default: {
      const listed = (state.lastResult("list_files")?.output ?? {}) as { entries?: { path: string; type: string }[] };
      const articles = (listed.entries ?? []).filter((e) => e.type === "file").map((e) => e.path);
      return { text: JSON.stringify({ articles }) };
    }
  }
};

function title(category: string): string {
  return category === "how-to"
    ? "How-to questions"
    : `${category[0]?.toUpperCase() ?? ""}${category.slice(1)} questions`;
}
