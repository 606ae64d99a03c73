"use server";

import { z } from "zod";
import { getDb } from "@/db/client";
import { defineAction } from "./define-action";
import { decideApproval as decide } from "@/lib/runtime/approvals";
import {
  BULK_CONTROL_MAX,
  bulkRunControl,
  cancelRun as cancel,
  pauseRun as pause,
  resumeRun as resume,
  retryRun as retry,
} from "@/lib/runtime/controls";
import { runControls } from "@/lib/run-controls";
import { createManualRun, manualRunInput } from "@/lib/runtime/create-run";
import { runPriorityInput, setRunPriority as setPriority } from "@/lib/scheduling";

const runRef = z.strictObject({ runId: z.string().min(1).max(100) });

export const startRun = defineAction({
  name: "runs.start",
  permission: "runs.create",
  input: manualRunInput,
  handler: async (input, principal) => createManualRun(await getDb(), principal, input),
});

export const pauseRun = defineAction({
  name: "runs.pause",
  permission: "runs.control",
  input: runRef,
  handler: async ({ runId }, principal) => pause(await getDb(), runId, principal),
});

export const resumeRun = defineAction({
  name: "runs.resume",
  permission: "runs.control",
  input: runRef,
  handler: async ({ runId }, principal) => resume(await getDb(), runId, principal),
});

export const cancelRun = defineAction({
  name: "runs.cancel",
  permission: "runs.control",
  input: runRef.extend({ hard: z.boolean().optional() }),
  handler: async ({ runId, hard }, principal) => cancel(await getDb(), runId, principal, { hard }),
});

export const retryRun = defineAction({
  name: "runs.retry",
  permission: "runs.control",
  input: runRef,
  handler: async ({ runId }, principal) => retry(await getDb(), runId, principal),
});

/** The list view's (and the board's) bulk controls: every run is tried; the answer lists what was refused and why. */
export const controlRuns = defineAction({
  name: "runs.bulkControl",
  permission: "runs.control",
  input: z.strictObject({
    runIds: z.array(z.string().min(1).max(100)).min(1, "Select at least one run").max(BULK_CONTROL_MAX),
    control: z.enum(runControls),
  }),
  handler: async ({ runIds, control }, principal) => bulkRunControl(await getDb(), runIds, control, principal),
});

export const decideApproval = defineAction({
  name: "approvals.decide",
  permission: "runs.approve",
  input: z.strictObject({
    approvalId: z.string().min(1).max(100),
    decision: z.enum(["approved", "rejected"]),
    note: z.string().trim().max(2000).optional(),
  }),
  handler: async ({ approvalId, decision, note }, principal) =>
    decide(await getDb(), approvalId, decision, principal, note),
});

/** The card menu's Raise / Lower priority (audited as run.priority_changed). */
export const setRunPriority = defineAction({
  name: "runs.priority",
  permission: "runs.control",
  input: runRef.extend(runPriorityInput.shape),
  handler: async ({ runId, priority }, principal) => setPriority(await getDb(), principal, runId, priority),
});
