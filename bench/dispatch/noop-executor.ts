import type { TurnExecutor } from "@/lib/runtime";

/** No model, no tools: measures the runtime's own cost per turn. input.turns sets the length. */
export const noopExecutor: TurnExecutor = {
  async execute(ctx) {
    const input = (ctx.input ?? {}) as { turns?: number };
    const last = ctx.turnIndex + 1 >= (input.turns ?? 1);
    return {
      model: "noop",
      messagesIn: [],
      messagesOut: [],
      toolCalls: [],
      usage: { inputTokens: 0, outputTokens: 0 },
      outcome: last ? { kind: "complete", output: null } : { kind: "continue" },
    };
  },
};
