import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineJob } from "./define-job";
import { JobDeclarationError } from "./errors";
import { getJobDefinition, listJobDefinitions, registerJobDefinitions, signalSubscribers } from "./registry";
import { validateDeclarations } from "./validate";
import { jobVersion } from "./version";
import { serializeJob } from "./serialize";
import { cronJob, jobDeclaration, signalJob } from "@/tests/fixtures/jobs";

function declarationError(fn: () => unknown): JobDeclarationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof JobDeclarationError) return error;
    throw error;
  }
  throw new Error("expected a JobDeclarationError");
}

describe("job declarations", () => {
  it("accepts a valid declaration and fills defaults", () => {
    const def = defineJob(jobDeclaration());
    expect(def.id).toBe("fixture-job");
    expect(def.input.safeParse({}).success).toBe(true);
  });

  it("names the job and the field for an invalid enum", () => {
    const bad = jobDeclaration({ id: "triage-ticket" });
    const err = declarationError(() =>
      defineJob({ ...bad, governance: { ...bad.governance, riskLevel: "extreme" as "high" } }),
    );
    expect(err.message).toBe(
      'Job "triage-ticket": governance.riskLevel: Invalid option: expected one of "minimal"|"limited"|"high"',
    );
  });

  it("reports every bad field of a declaration, one line each", () => {
    const base = jobDeclaration({ id: "many-problems" });
    const raw = {
      ...base,
      triggers: [
        { kind: "schedule", cron: "61 * * * *", timezone: "Mars/Olympus_Mons" },
        { kind: "signal", name: "x" },
      ],
      budgets: { tokens: -1, turns: 2, wallClockMs: 1.5 },
      governance: { ...base.governance, owner: "not-an-email", authorizedAt: "yesterday" },
    };
    const err = declarationError(() => validateDeclarations([raw]));
    const lines = err.message.split("\n");
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Job "many-problems": triggers\[0\]\.timezone: Unknown IANA timezone$/),
        expect.stringMatching(/^Job "many-problems": triggers\[1\]\.payload: /),
        expect.stringMatching(/^Job "many-problems": budgets\.tokens: /),
        expect.stringMatching(/^Job "many-problems": budgets\.wallClockMs: /),
        expect.stringMatching(/^Job "many-problems": governance\.owner: /),
        expect.stringMatching(/^Job "many-problems": governance\.authorizedAt: /),
      ]),
    );
    expect(err.problems.every((p) => p.jobId === "many-problems")).toBe(true);
  });

  it("refuses a cron expression croner cannot parse, naming the trigger", () => {
    const err = declarationError(() => defineJob(cronJob("bad-cron", "61 * * * *")));
    expect(err.message).toMatch(/^Job "bad-cron": triggers\[0\]\.cron: Invalid cron expression: .*minute/);
  });

  it("refuses a schedule that can never fire", () => {
    const err = declarationError(() => defineJob(cronJob("never", "0 0 30 2 *")));
    expect(err.message).toMatch(/^Job "never": triggers\[0\]\.cron: /);
  });

  it("requires governance in full", () => {
    const { governance: _omit, ...rest } = jobDeclaration({ id: "no-governance" });
    const err = declarationError(() => validateDeclarations([rest]));
    expect(err.message).toMatch(/^Job "no-governance": governance: Invalid input: expected object/);
    const partial = { ...jobDeclaration({ id: "half-governance" }), governance: { owner: "a@b.example" } };
    const lines = declarationError(() => validateDeclarations([partial])).problems.map((p) => p.path);
    expect(lines).toEqual(
      expect.arrayContaining([
        "governance.purpose",
        "governance.riskLevel",
        "governance.dataCategories",
        "governance.humanOversight",
        "governance.authorizedBy",
        "governance.authorizedAt",
        "governance.retentionDays",
      ]),
    );
  });

  it("refuses unknown (misspelt) fields", () => {
    const err = declarationError(() => validateDeclarations([{ ...jobDeclaration({ id: "typo" }), goverance: {} }]));
    expect(err.message).toContain('Job "typo": Unrecognized key: "goverance"');
  });

  it("refuses a non-kebab id and labels a declaration without a usable id by position", () => {
    const err = declarationError(() =>
      validateDeclarations([jobDeclaration({ id: "ok-job" }), { ...jobDeclaration(), id: undefined }]),
    );
    expect(err.message).toMatch(/^Job #2 \(no valid id\): id: /);
    const kebab = declarationError(() => defineJob(jobDeclaration({ id: "Triage_Ticket" })));
    expect(kebab.message).toMatch(/^Job "Triage_Ticket": id: Expected a kebab-case id/);
  });

  it("refuses a scheduled job whose input needs fields", () => {
    const err = declarationError(() =>
      defineJob(cronJob("needs-input", "0 * * * *", "UTC", { input: z.object({ ticketId: z.string() }) })),
    );
    expect(err.message).toMatch(/^Job "needs-input": triggers\[0\]: A scheduled job's input schema must accept \{\}/);
  });

  it("refuses duplicate ids and a signal declared by two jobs", () => {
    const dup = declarationError(() =>
      validateDeclarations([jobDeclaration({ id: "a" }), jobDeclaration({ id: "a" })]),
    );
    expect(dup.message).toBe('Job "a": id: Duplicate job id (declarations #1 and #2)');
    const sig = declarationError(() =>
      validateDeclarations([signalJob("one", "ticket.created"), signalJob("two", "ticket.created")]),
    );
    expect(sig.message).toBe('Job "two": triggers[0].name: Signal "ticket.created" is already declared by job "one"');
  });

  it("keeps the registry unchanged when a set is invalid", () => {
    registerJobDefinitions([signalJob("sig-job", "ticket.created"), jobDeclaration({ id: "plain" })]);
    expect(() => registerJobDefinitions([jobDeclaration({ id: "x" }), jobDeclaration({ id: "x" })])).toThrow(
      JobDeclarationError,
    );
    expect(
      listJobDefinitions()
        .map((d) => d.id)
        .sort(),
    ).toEqual(["plain", "sig-job"]);
    expect(getJobDefinition("sig-job")?.title).toBe("Fixture job");
    expect(getJobDefinition("nope")).toBeUndefined();
    expect(signalSubscribers("ticket.created").map((s) => s.def.id)).toEqual(["sig-job"]);
    expect(signalSubscribers("unknown.signal")).toEqual([]);
  });
});

describe("serialisation and version", () => {
  it("turns zod schemas into JSON Schema and hashes content, not identity", () => {
    const a = defineJob(signalJob("s", "ticket.created"));
    const b = defineJob(signalJob("s", "ticket.created"));
    const serialized = serializeJob(a);
    expect(serialized.triggers[0]).toMatchObject({
      kind: "signal",
      name: "ticket.created",
      payload: { type: "object", required: ["subject", "body", "customer"] },
    });
    expect(JSON.parse(JSON.stringify(serialized))).toEqual(serialized);
    expect(jobVersion(a)).toMatch(/^[0-9a-f]{12}$/);
    expect(jobVersion(a)).toBe(jobVersion(b));
    const changed = defineJob(signalJob("s", "ticket.created", { title: "Other title" }));
    expect(jobVersion(changed)).not.toBe(jobVersion(a));
  });
});
