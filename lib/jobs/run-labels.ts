import "server-only";
import { redactString } from "@/lib/redaction";
import type { JobDefinition } from "./schema";

/** Titles and outcome marks are one line on a card; longer ones are cut here, not in every view. */
export const RUN_LABEL_MAX = 200;

/**
 * One of the job's run labels (`run.title` from the input, `run.outcome` from the output),
 * or null. The functions are the pack's code over data a model or a ticket wrote, so a throw
 * or a non-string is no label rather than a failed run; secrets are redacted as in the input.
 */
export function runLabel(def: JobDefinition, which: "title" | "outcome", value: unknown): string | null {
  const derive = def.run?.[which];
  if (!derive) return null;
  let label: unknown;
  try {
    label = derive(value);
  } catch {
    return null;
  }
  if (typeof label !== "string") return null;
  // Redacted before it is cut: a secret across the cut would no longer match its pattern.
  const line = redactString(label.replace(/\s+/g, " ").trim());
  if (line === "") return null;
  return line.length > RUN_LABEL_MAX ? `${line.slice(0, RUN_LABEL_MAX - 1)}…` : line;
}
