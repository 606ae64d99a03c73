import "server-only";
import { z } from "zod";
import { defineJob, type JobDeclaration } from "@/lib/jobs";
import { definePack } from "@/lib/packs";
import { defineTool } from "@/lib/tools";
import { CONTENDED_ENDPOINT, PROOF_TOOL, SCRIPTED_ENDPOINT } from "./names";
import type { ProofSizes } from "./sizes";
import { chatScript, toolsScript } from "./simulated-scripts";

/**
 * The proof's own jobs, tool and shared-memory collections, installed like any domain pack.
 * The loopback model picks its script by the job's instructions (model-scripts.ts), so each
 * job's `instructions` names its script.
 */
export const SCRIPT = {
  chat: "proof:chat",
  tools: "proof:tools",
  victim: "proof:victim",
  hostile: "proof:hostile",
  plain: "proof:plain",
} as const;

/** The one declared signal: it starts an intake run, and (matched on its ticket) wakes the waiting victim. */
export const SIGNALS = { intake: "proof-intake" } as const;
export const COLLECTIONS = { notes: "proof-notes", ledger: "proof-ledger" } as const;
/** The entity victims lock and the hostile runs try to write without holding the lock. */
export const LOCKED_ENTITY = `${COLLECTIONS.notes}/board`;

const governance = (overrides: Partial<JobDeclaration["governance"]> = {}): JobDeclaration["governance"] => ({
  owner: "proof-owner@flightdeck.example",
  purpose: "The reproducible proof of Flightdeck's three tests (npm run proof)",
  riskLevel: "minimal",
  dataCategories: ["workspace", "run-state", "shared-memory", "external-web", "operator-notification", "records"],
  humanOversight: "none",
  authorizedBy: "proof-authorizer@flightdeck.example",
  authorizedAt: "2026-12-01",
  retentionDays: 30,
  ...overrides,
});

const base = (
  id: string,
  title: string,
  instructions: string,
  tools: string[],
  model = SCRIPTED_ENDPOINT,
  httpAllowlist?: string[],
): JobDeclaration => ({
  id,
  title,
  description: `${title} (npm run proof).`,
  input: z.object({}).passthrough(),
  triggers: [{ kind: "manual" }],
  agent: { model, instructions, tools, maxTurns: 8, ...(httpAllowlist ? { httpAllowlist } : {}) },
  budgets: { tokens: 1_000_000, turns: 8, wallClockMs: 600_000 },
  scheduling: { group: "proof", weight: 1, priority: 0 },
  governance: governance(),
});

export const lookupRecordTool = defineTool({
  name: PROOF_TOOL,
  description: "Look up a record by id (the proof's quota'd tool: calls per minute per fair-share key).",
  input: z.strictObject({ id: z.string().regex(/^rec_[0-9]{1,9}$/) }),
  sideEffect: "none",
  dataCategories: ["records"],
  execute: async ({ id }) => ({ id, found: true }),
});

/** The proof's jobs; the deadline run's deadline comes from the sizes. */
export function proofJobs(sizes: ProofSizes) {
  return {
    chat: defineJob(base("proof-chat", "Proof: one model turn", SCRIPT.chat, [], CONTENDED_ENDPOINT)),
    tools: defineJob(
      base(
        "proof-tools",
        "Proof: a quota'd lookup and a write",
        SCRIPT.tools,
        [PROOF_TOOL, "write_file"],
        CONTENDED_ENDPOINT,
      ),
    ),
    deadline: defineJob({
      ...base("proof-deadline", "Proof: a run with a deadline", SCRIPT.chat, [], CONTENDED_ENDPOINT),
      scheduling: { group: "proof", weight: 1, priority: 0, deadlineMs: sizes.deadlineMs },
    }),
    background: defineJob({
      ...base("proof-background", "Proof: a low-priority run", SCRIPT.chat, [], CONTENDED_ENDPOINT),
      scheduling: { group: "proof", weight: 1, priority: -10 },
    }),
    victim: defineJob({
      ...base("proof-victim", "Proof: a run whose workspace, state and lock others attack", SCRIPT.victim, [
        "write_file",
        "state_set",
        "memory_lock",
        "wait_for_signal",
      ]),
      memory: { write: [COLLECTIONS.notes] },
    }),
    hostile: defineJob({
      ...base(
        "proof-hostile",
        "Proof: a hostile model trying the attack catalogue",
        SCRIPT.hostile,
        ["read_file", "write_file", "list_files", "state_get", "state_set", "memory_write", "http_fetch", "notify"],
        SCRIPTED_ENDPOINT,
        // One allowed host, never called: the attacks aim everywhere else.
        ["api.proof.example"],
      ),
      memory: { write: [COLLECTIONS.notes] },
    }),
    reviewed: defineJob({
      ...base("proof-reviewed", "Proof: a run a lead must approve", SCRIPT.plain, ["write_file"]),
      governance: governance({ riskLevel: "limited", humanOversight: "approve-run" }),
    }),
    intake: defineJob({
      ...base("proof-intake", "Proof: a run started by a signal", SCRIPT.plain, ["write_file"]),
      triggers: [{ kind: "signal", name: SIGNALS.intake, payload: z.object({ ticket: z.string() }) }],
    }),
    operated: defineJob(
      base("proof-operated", "Proof: a run an operator pauses and resumes", SCRIPT.plain, ["write_file"]),
    ),
  };
}

export type ProofJobs = ReturnType<typeof proofJobs>;

export const proofPack = (jobs: ProofJobs) =>
  definePack({
    name: "proof",
    jobs: Object.values(jobs),
    tools: [lookupRecordTool],
    collections: [
      { name: COLLECTIONS.notes, description: "Notes the proof's runs share.", schema: z.unknown() },
      { name: COLLECTIONS.ledger, description: "A collection no proof job may write.", schema: z.unknown() },
    ],
    simulatedScripts: {
      [jobs.chat.id]: chatScript,
      [jobs.deadline.id]: chatScript,
      [jobs.background.id]: chatScript,
      [jobs.tools.id]: toolsScript,
    },
    tables: {},
  });
