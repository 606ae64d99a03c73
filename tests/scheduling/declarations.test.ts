import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { JobDeclarationError, parseJobDeclaration } from "@/lib/jobs";
import { checkDeclaredResources } from "@/lib/resources/declarations";
import { jobDeclaration } from "@/tests/fixtures/jobs";

afterEach(() => {
  delete process.env.FLIGHTDECK_TOOL_QUOTAS;
  resetEnvCache();
});

describe("declared resources at start-up", () => {
  it("stops on an unknown resource, naming the job and the resource", () => {
    const job = parseJobDeclaration(
      jobDeclaration({
        id: "uses-quota",
        scheduling: { group: "g", weight: 1, priority: 0, resources: ["tool:http_fetch"] },
      }),
    );
    expect(() => checkDeclaredResources([job])).toThrow(JobDeclarationError);
    expect(() => checkDeclaredResources([job])).toThrow(/uses-quota.*tool:http_fetch|tool:http_fetch.*uses-quota/s);
    process.env.FLIGHTDECK_TOOL_QUOTAS = JSON.stringify({ http_fetch: { callsPerMinute: 5 } });
    resetEnvCache();
    expect(() => checkDeclaredResources([job])).not.toThrow();
  });

  it("stops on a model endpoint that is not configured", () => {
    const job = parseJobDeclaration(
      jobDeclaration({ id: "odd-model", agent: { model: "nowhere", instructions: "x", tools: [], maxTurns: 1 } }),
    );
    expect(() => checkDeclaredResources([job])).toThrow(/odd-model.*nowhere|nowhere.*odd-model/s);
  });

  it("refuses a malformed fairShareKey rule in the declaration", () => {
    expect(() =>
      parseJobDeclaration(
        jobDeclaration({ id: "bad-key", scheduling: { group: "g", weight: 1, priority: 0, fairShareKey: "a..b" } }),
      ),
    ).toThrow(/fairShareKey/);
  });
});
