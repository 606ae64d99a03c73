import "server-only";
import { z } from "zod";
import { defineJob } from "@/lib/jobs";
import { getEnv } from "@/lib/env";
import { definePack } from "@/lib/packs";
import type { MemoryCollection } from "@/lib/memory";
import type { SimulatedScript } from "@/lib/models";

/**
 * The playground pack: one job, `sandbox-agent`, allowed every built-in tool, so a person can
 * point a real model at the runtime (docs/MODELS.md) and watch each guarantee hold — the
 * workspace, run state, shared memory with provenance, locks and deadlock refusal, operator
 * notifications, and http_fetch limited to FLIGHTDECK_PLAYGROUND_HTTP_HOSTS (none by default).
 */
export const playgroundCollections: MemoryCollection[] = [
  {
    name: "notes",
    description: "Anything a sandbox agent wants to keep or share with other runs: any JSON object.",
    schema: z.record(z.string(), z.json()),
  },
];

export const sandboxInput = z.strictObject({ task: z.string().trim().min(1).max(10_000) });

/** Every built-in tool of this build. */
export const playgroundTools = [
  "read_file",
  "write_file",
  "list_files",
  "delete_file",
  "state_get",
  "state_set",
  "memory_read",
  "memory_write",
  "memory_list",
  "memory_lock",
  "memory_unlock",
  "notify",
  "wait_for_signal",
  "http_fetch",
];

export const sandboxAgent = defineJob({
  id: "sandbox-agent",
  domain: "playground",
  title: "Sandbox agent",
  description:
    "A general agent for trying the runtime with a real model: it gets a task and every built-in tool (files, run state, shared memory and locks, notify, http_fetch to the configured hosts only).",
  input: sandboxInput,
  triggers: [{ kind: "manual" }],
  agent: {
    model: "default",
    instructions: [
      "You are a sandbox agent in Flightdeck, a runtime for AI-agent jobs. The run input has a `task`: do it with the tools you have.",
      "Your workspace (read_file, write_file, list_files, delete_file) and state (state_get, state_set) are private to this run.",
      "Shared memory (memory_read, memory_write, memory_list) is shared with every run: the collection is `notes` (entities notes/<key>, values are JSON objects). Every write is recorded with this run as its author and can be reverted by a person.",
      "To change a note other runs may change too, memory_lock it (exclusive) first and memory_unlock it when done; if another run holds it you wait. A deadlock or a timed-out wait comes back as an error: release what you hold and try again or give up.",
      "Use notify to tell the operators something, and wait_for_signal to wait for an operator's signal. http_fetch only reaches the hosts this deployment allows.",
      "Finish with a short answer saying what you did.",
    ].join("\n"),
    tools: playgroundTools,
    maxTurns: 20,
    httpAllowlist: getEnv().FLIGHTDECK_PLAYGROUND_HTTP_HOSTS,
  },
  budgets: { tokens: 200_000, turns: 20, wallClockMs: 3_600_000 },
  scheduling: { group: "playground", weight: 1, priority: 0 },
  // The operator's own words are the best name for the run.
  run: { title: (input) => sandboxInput.parse(input).task },
  memory: { write: ["notes"], lockTimeoutMs: 120_000 },
  governance: {
    owner: "platform@acme.example",
    purpose:
      "Let an operator try the runtime's guarantees with a real model on a task of their choosing, inside a sandbox.",
    riskLevel: "limited",
    dataCategories: ["workspace", "run-state", "shared-memory", "operator-notification", "external-web"],
    humanOversight: "none",
    authorizedBy: "jane.doe@acme.example",
    authorizedAt: "2026-11-30",
    retentionDays: 30,
  },
});

/**
 * Offline script: lock a note, read it, write it (with the version read), unlock, answer.
 * Shows the shared-memory path without a real model.
 */
export const sandboxScript: SimulatedScript = (state) => {
  const input = sandboxInput.safeParse(state.input);
  const task = input.success ? input.data.task : "(no task)";
  switch (state.step) {
    case 0:
      return {
        text: "Taking the lock on the playground note.",
        toolCalls: [{ toolName: "memory_lock", input: { entity: "notes/playground", mode: "exclusive" } }],
      };
    case 1:
      return {
        text: "Reading the note.",
        toolCalls: [{ toolName: "memory_read", input: { entity: "notes/playground" } }],
      };
    case 2: {
      const read = state.lastResult("memory_read")?.output as
        { version?: number; value?: { tasks?: unknown } } | undefined;
      const tasks = Array.isArray(read?.value?.tasks) ? read.value.tasks : [];
      return {
        text: "Recording the task and releasing the lock.",
        toolCalls: [
          {
            toolName: "memory_write",
            input: {
              entity: "notes/playground",
              value: { tasks: [...tasks, task].slice(-20) },
              expectedVersion: read?.version ?? 0,
            },
          },
          { toolName: "memory_unlock", input: { entity: "notes/playground" } },
        ],
      };
    }
    default:
      return { text: JSON.stringify({ simulated: true, recorded: task }) };
  }
};

export const playgroundPack = definePack({
  name: "playground",
  jobs: [sandboxAgent],
  tools: [],
  collections: playgroundCollections,
  simulatedScripts: { [sandboxAgent.id]: sandboxScript },
  tables: {},
});
