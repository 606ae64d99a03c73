import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invokeTool, registerBuiltinTools } from "@/lib/tools";
import { openWorkspace } from "@/lib/workspace";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { auditFor, installJobs, newRun, scopeFor, testJob } from "../helpers/agent-fixtures";

/** Two runs at once, each trying every way into the other's workspace. */
let handle: TestDatabase;
const job = testJob({
  id: "isolation",
  agent: {
    model: "default",
    instructions: "t",
    tools: ["read_file", "write_file", "list_files", "delete_file"],
    maxTurns: 5,
  },
});

beforeAll(async () => {
  handle = await createTestDatabase();
  registerBuiltinTools();
  await installJobs(handle.db, [job]);
});
afterAll(async () => {
  await handle.drop();
});

describe("two concurrent runs", () => {
  it("are refused each other's files, and every refusal is audited with the attempted path", async () => {
    const [a, b] = [await newRun(handle.db, job.id), await newRun(handle.db, job.id)];
    const scopes = { [a]: await scopeFor(handle.db, a, job), [b]: await scopeFor(handle.db, b, job) };
    const wsA = await openWorkspace(a, { db: handle.db });
    const wsB = await openWorkspace(b, { db: handle.db });
    await wsA.writeFile("secret.txt", "A's secret");
    await wsB.writeFile("secret.txt", "B's secret");

    const attempts = (other: string) => [
      { tool: "read_file", input: { path: `../${other}/secret.txt` } },
      { tool: "read_file", input: { path: `/${other}/secret.txt` } },
      { tool: "write_file", input: { path: `../${other}/secret.txt`, content: "overwritten" } },
      { tool: "write_file", input: { path: `./../${other}/new.txt`, content: "planted" } },
      { tool: "list_files", input: { path: `../${other}` } },
      { tool: "delete_file", input: { path: `../${other}/secret.txt` } },
      { tool: "delete_file", input: { path: `/${other}/secret.txt` } },
    ];
    const plan = [
      { runId: a, tries: attempts(b) },
      { runId: b, tries: attempts(a) },
    ];
    const results = await Promise.all(
      plan.map(({ runId, tries }) =>
        Promise.all(
          tries.map((t, callIndex) =>
            invokeTool(
              scopes[runId] ??
                (() => {
                  throw new Error("no scope");
                })(),
              { toolCallId: `c${callIndex}`, toolName: t.tool, input: t.input, turnIndex: 0, callIndex },
            ),
          ),
        ),
      ),
    );

    for (const [i, runResults] of results.entries()) {
      for (const r of runResults)
        expect(r.outcome, `${plan[i]?.runId} ${r.tool} ${JSON.stringify(r.input)}`).toBe("refused");
    }
    expect((await wsA.readFile("secret.txt", 100)).content).toBe("A's secret");
    expect((await wsB.readFile("secret.txt", 100)).content).toBe("B's secret");
    expect((await wsA.list(".")).entries.map((e) => e.path)).toEqual(["secret.txt"]);
    // A path that names the other run is just a folder of one's own.
    const own = await invokeTool(
      scopes[a] ??
        (() => {
          throw new Error("no scope");
        })(),
      {
        toolCallId: "own",
        toolName: "write_file",
        input: { path: `${b}/secret.txt`, content: "mine" },
        turnIndex: 1,
        callIndex: 0,
      },
    );
    expect(own.outcome).toBe("succeeded");
    expect((await wsB.readFile("secret.txt", 100)).content).toBe("B's secret");

    for (const { runId, tries } of plan) {
      const refusals = await auditFor(handle.db, runId, "workspace.escape_refused");
      expect(refusals).toHaveLength(tries.length);
      expect(refusals.map((e) => e.payload.attemptedPath).sort()).toEqual(tries.map((t) => t.input.path).sort());
      expect(refusals.every((e) => e.actorKind === "run" && e.actorId === runId)).toBe(true);
    }
  });
});
