import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseJobDeclaration } from "./validate";
import { runLabel, RUN_LABEL_MAX } from "./run-labels";
import { serializeJob } from "./serialize";

function job(run: Record<string, unknown> | undefined) {
  return parseJobDeclaration({
    id: "labelled",
    title: "Labelled job",
    description: "A job whose runs carry a title and an outcome.",
    input: z.object({ subject: z.string().optional() }),
    triggers: [{ kind: "manual" }],
    agent: { model: "default", instructions: "Do it.", tools: [], maxTurns: 1 },
    budgets: { tokens: 100, turns: 1, wallClockMs: 1_000 },
    scheduling: { group: "g", weight: 1, priority: 0 },
    governance: {
      owner: "o@x.example",
      purpose: "Test the labels.",
      riskLevel: "minimal",
      dataCategories: [],
      humanOversight: "none",
      authorizedBy: "a@x.example",
      authorizedAt: "2026-01-01",
      retentionDays: 30,
    },
    ...(run ? { run } : {}),
  });
}

describe("run labels", () => {
  const def = job({
    title: (input: { subject?: string }) => input.subject,
    outcome: (output: { ok?: boolean }) => (output.ok ? "Done" : null),
  });

  it("derives the title from the input and the outcome from the output, one line", () => {
    expect(runLabel(def, "title", { subject: "  Refund\n  for   order 42 " })).toBe("Refund for order 42");
    expect(runLabel(def, "outcome", { ok: true })).toBe("Done");
    expect(runLabel(def, "outcome", { ok: false })).toBeNull();
  });

  it("gives no label when the job declares none, the function throws or answers a non-string", () => {
    expect(runLabel(job(undefined), "title", { subject: "x" })).toBeNull();
    const throwing = job({
      title: () => {
        throw new Error("boom");
      },
    });
    expect(runLabel(throwing, "title", {})).toBeNull();
    const numeric = job({ title: () => 42 });
    expect(runLabel(numeric, "title", {})).toBeNull();
    expect(runLabel(def, "title", { subject: "   " })).toBeNull();
  });

  it("cuts a long title and redacts secrets in it", () => {
    const long = runLabel(def, "title", { subject: "a".repeat(500) });
    expect(long?.length).toBe(RUN_LABEL_MAX);
    expect(long?.endsWith("…")).toBe(true);
    const secret = runLabel(def, "title", { subject: "key sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789 leaked" });
    expect(secret).not.toContain("sk-ant-api03");
  });

  it("refuses a label that is not a function, naming the field", () => {
    expect(() => job({ title: "subject" })).toThrow(/run\.title/);
  });

  it("records in the serialized declaration which labels the job derives", () => {
    expect(serializeJob(def).runLabels).toEqual({ title: true, outcome: true });
    expect(serializeJob(job(undefined)).runLabels).toBeUndefined();
  });
});
