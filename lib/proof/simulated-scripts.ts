import type { SimulatedScript } from "@/lib/models";
import { PROOF_TOOL } from "./names";

/** Test 1's scripts for the built-in simulated model (deterministic, offline). */
export const chatScript: SimulatedScript = () => ({ text: '{"answer":"done"}' });

/** One quota'd lookup and one write (charged to the key's write budget), then the answer. */
export const toolsScript: SimulatedScript = (state) => {
  const n = state.input && typeof state.input === "object" ? String((state.input as { n?: unknown }).n ?? 1) : "1";
  if (state.step > 0) return { text: '{"answer":"looked up and written"}' };
  return {
    toolCalls: [
      { toolName: PROOF_TOOL, input: { id: `rec_${n}` } },
      { toolName: "write_file", input: { path: "result.txt", content: `record ${n}` } },
    ],
  };
};
