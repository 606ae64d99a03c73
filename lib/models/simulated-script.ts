import "server-only";
import { appContext } from "@/lib/context";
/**
 * A demo job's script for the offline simulated model: given where the conversation is,
 * what the "model" answers. Scripts are pure functions of the conversation, so a replayed
 * turn answers exactly as the original did.
 */
export interface SimulatedToolCall {
  toolName: string;
  input: unknown;
  /** Sent verbatim instead of JSON.stringify(input): lets a script emit malformed arguments. */
  rawInput?: string;
}

export interface SimulatedReply {
  text?: string;
  toolCalls?: SimulatedToolCall[];
}

export interface SimulatedToolResult {
  toolName: string;
  toolCallId: string;
  /** The tool's output as the model saw it (JSON value or text). */
  output: unknown;
  isError: boolean;
}

export interface SimulationState {
  /** Number of model answers already in the conversation (0 on the first turn). */
  step: number;
  /** The run input, as the first user message carried it. */
  input: unknown;
  /** Every tool result so far, oldest first. */
  results: SimulatedToolResult[];
  /** The latest result of a named tool, if any. */
  lastResult(toolName: string): SimulatedToolResult | undefined;
}

export type SimulatedScript = (state: SimulationState) => SimulatedReply;

declare module "@/lib/context/app-context" {
  interface AppContext {
    simulatedScripts?: Map<string, SimulatedScript>;
  }
}

function scripts(): Map<string, SimulatedScript> {
  return (appContext().simulatedScripts ??= new Map());
}

/** Domain packs bring a script per job (installed by lib/packs; held by the app context). */
export function registerSimulatedScript(jobId: string, script: SimulatedScript): void {
  scripts().set(jobId, script);
}

export function getSimulatedScript(jobId: string): SimulatedScript | undefined {
  return scripts().get(jobId);
}

/** Used when a job has no script: the simulated model says so and finishes. */
export const noScript =
  (jobId: string): SimulatedScript =>
  () => ({ text: JSON.stringify({ simulated: true, note: `no simulated script for job ${jobId}` }) });
