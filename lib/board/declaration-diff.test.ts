import { describe, expect, it } from "vitest";
import { diffDeclarations } from "./declaration-diff";

describe("diffDeclarations", () => {
  it("lists changed leaves by dotted path, arrays whole, added and removed keys", () => {
    const before = {
      title: "A",
      governance: { riskLevel: "minimal", owner: "o@x" },
      agent: { tools: ["a"], maxTurns: 4 },
    };
    const after = {
      title: "A",
      governance: { riskLevel: "high", owner: "o@x" },
      agent: { tools: ["a", "b"], maxTurns: 4, httpAllowlist: ["h"] },
    };
    expect(diffDeclarations(before, after)).toEqual([
      { path: "agent.httpAllowlist", before: undefined, after: ["h"] },
      { path: "agent.tools", before: ["a"], after: ["a", "b"] },
      { path: "governance.riskLevel", before: "minimal", after: "high" },
    ]);
  });

  it("finds nothing between identical declarations", () => {
    const decl = { a: { b: [1, { c: 2 }] } };
    expect(diffDeclarations(decl, structuredClone(decl))).toEqual([]);
  });
});
