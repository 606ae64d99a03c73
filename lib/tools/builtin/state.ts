import "server-only";
import { z } from "zod";
import { MAX_STATE_VALUE_BYTES, STATE_KEY, stateGet, stateSet } from "@/lib/workspace";
import { toolRedactor } from "../redactor";
import { defineTool } from "../types";

const key = z.string().regex(STATE_KEY, "keys are 1-128 characters of A-Z a-z 0-9 . _ : / -");

export const stateGetTool = defineTool({
  name: "state_get",
  description: "Read a value from this run's key-value state.",
  input: z.strictObject({ key }),
  sideEffect: "none",
  dataCategories: ["run-state"],
  async execute({ key }, ctx) {
    return { key, ...(await stateGet(ctx.db, ctx.runId, key)) };
  },
});

export const stateSetTool = defineTool({
  name: "state_set",
  description: "Store a JSON value under a key in this run's key-value state (replaces any previous value).",
  input: z.strictObject({
    key,
    value: z.json().refine((v) => Buffer.byteLength(JSON.stringify(v)) <= MAX_STATE_VALUE_BYTES, {
      message: `value must be at most ${MAX_STATE_VALUE_BYTES} bytes as JSON`,
    }),
  }),
  sideEffect: "workspace",
  writes: "database",
  dataCategories: ["run-state"],
  async execute({ key, value }, ctx) {
    // The value is stored as is, so secrets are taken out first (as for every other row).
    await stateSet(ctx.tx, ctx.runId, key, toolRedactor().redact(value));
    return { key, stored: true };
  },
});
