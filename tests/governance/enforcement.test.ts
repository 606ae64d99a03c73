import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { JobDeclarationError, registerJobDefinitions } from "@/lib/jobs";
import { governanceProblems } from "@/lib/compliance";
import { installPacks } from "@/lib/packs";
import { defineTool, invokeTool, registerBuiltinTools, registerTools } from "@/lib/tools";
import { packs } from "@/server/packs";
import { jobDeclaration } from "../fixtures/jobs";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { auditFor, installJobs, newRun, scopeFor, testJob, toolCallRow } from "../helpers/agent-fixtures";

let handle: TestDatabase;
let charges = 0;

const chargeCard = defineTool({
  name: "gov_charge_card",
  description: "Charges a card",
  input: z.strictObject({ amount: z.number().int().positive() }),
  sideEffect: "external",
  dataCategories: ["payment"],
  execute: async ({ amount }) => {
    charges += 1;
    return { charged: amount };
  },
});

beforeAll(async () => {
  handle = await createTestDatabase();
  registerBuiltinTools();
  registerTools([chargeCard]);
});
afterAll(async () => {
  await handle.drop();
});

function declarationError(defs: unknown[]): JobDeclarationError {
  try {
    registerJobDefinitions(defs);
  } catch (error) {
    if (error instanceof JobDeclarationError) return error;
    throw error;
  }
  throw new Error("declarations were accepted");
}

describe("governance at declaration", () => {
  it("refuses a job whose tools touch categories it does not declare, naming job, field and tool", () => {
    const base = jobDeclaration();
    const e = declarationError([
      jobDeclaration({
        id: "pays-without-saying",
        agent: { ...base.agent, tools: ["read_file", "gov_charge_card"] },
        governance: { ...base.governance, dataCategories: ["workspace"] },
      }),
    ]);
    expect(e.message).toContain(
      'Job "pays-without-saying": governance.dataCategories: tool "gov_charge_card" touches "payment"',
    );
  });

  it("refuses high risk without human oversight", () => {
    const base = jobDeclaration();
    const e = declarationError([
      jobDeclaration({ id: "risky", governance: { ...base.governance, riskLevel: "high", humanOversight: "none" } }),
    ]);
    expect(e.message).toContain('Job "risky": governance.humanOversight: riskLevel "high" requires human oversight');
    expect(() =>
      registerJobDefinitions([
        jobDeclaration({
          id: "risky",
          governance: { ...base.governance, riskLevel: "high", humanOversight: "approve-run" },
        }),
      ]),
    ).not.toThrow();
  });

  it("accepts every job of the shipped packs (they declare the categories their tools touch)", () => {
    const jobs = installPacks(packs);
    expect(governanceProblems(registerJobDefinitions(jobs))).toEqual([]);
  });
});

describe("governance at dispatch", () => {
  it("refuses a tool call outside the run's pinned categories and audits a policy violation", async () => {
    const job = testJob({
      id: "gov-dispatch",
      agent: { model: "default", instructions: "t", tools: ["gov_charge_card"], maxTurns: 3 },
    });
    await installJobs(handle.db, [job]);
    const runId = await newRun(handle.db, job.id);
    // The run was pinned to a version whose governance did not include "payment" (e.g. declared before the tool changed).
    const scope = await scopeFor(handle.db, runId, job, {
      governance: { ...job.governance, dataCategories: ["workspace"] },
    });
    const record = await invokeTool(scope, {
      toolCallId: "c0",
      toolName: "gov_charge_card",
      input: { amount: 5 },
      turnIndex: 0,
      callIndex: 0,
    });
    expect(record.outcome).toBe("refused");
    expect(record.error).toMatch(/not authorized for \(payment\)/);
    expect(charges).toBe(0);
    expect((await toolCallRow(handle.db, record.key))?.status).toBe("refused");
    const [violation] = await auditFor(handle.db, runId, "tool.policy_violation");
    expect(violation?.payload).toMatchObject({ tool: "gov_charge_card", outcome: "refused" });
  });
});
