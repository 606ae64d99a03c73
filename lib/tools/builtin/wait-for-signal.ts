import "server-only";
import { z } from "zod";
import { defineTool } from "../types";

/** Documented range of timeoutSeconds: 1 second to 24 hours. */
export const SIGNAL_WAIT_MAX_SECONDS = 86_400;

export const waitForSignalInput = z.strictObject({
  name: z.string().min(1).max(200).describe("The signal's name, as declared by a job's signal trigger"),
  match: z
    .record(z.string(), z.json())
    .optional()
    .describe("Wake only for a payload whose top-level fields equal these values (all of them)"),
  timeoutSeconds: z
    .number()
    .int()
    .min(1)
    .max(SIGNAL_WAIT_MAX_SECONDS)
    .describe("1 to 86400: then the wait ends with { timedOut: true }"),
});

/**
 * Parks the run until POST /api/signals/{name} delivers a matching payload (the tool's result
 * is { signal, payload }) or the timeout passes ({ signal, timedOut: true }). The runtime
 * handles it in the gateway (lib/tools/signal-wait.ts): execute() is never called.
 */
export const waitForSignalTool = defineTool({
  name: "wait_for_signal",
  description:
    "Wait until a signal arrives (POST /api/signals/{name}) with a payload matching `match`, or until timeoutSeconds pass. The run sleeps meanwhile and frees its model slot.",
  input: waitForSignalInput,
  sideEffect: "none",
  dataCategories: [],
  async execute() {
    throw new Error("wait_for_signal is handled by the tool gateway");
  },
});
