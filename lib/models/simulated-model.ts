import "server-only";
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3Content,
  LanguageModelV3GenerateResult,
  LanguageModelV3Prompt,
  LanguageModelV3StreamResult,
} from "@ai-sdk/provider";
import type { SimulatedScript, SimulatedToolResult, SimulationState } from "./simulated-script";
import { paceSimulatedCall } from "./simulated-pace";

export const RUN_INPUT_MARKER = "Run input (JSON):\n";

/**
 * The built-in offline model: a LanguageModelV3 whose answers come from the job's script,
 * so the simulated path goes through generateText exactly like a real provider.
 * Its model id is `simulated/<job>`, which is what turns, the API and the audit show.
 */
export class SimulatedLanguageModel implements LanguageModelV3 {
  readonly specificationVersion = "v3";
  readonly provider = "simulated";
  readonly modelId: string;
  readonly supportedUrls = {};

  constructor(
    readonly jobId: string,
    private readonly script: SimulatedScript,
  ) {
    this.modelId = `simulated/${jobId}`;
  }

  async doGenerate(options: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> {
    options.abortSignal?.throwIfAborted();
    await paceSimulatedCall(options.abortSignal);
    const state = simulationState(options.prompt);
    const reply = this.script(state);
    const content: LanguageModelV3Content[] = [];
    if (reply.text) content.push({ type: "text", text: reply.text });
    (reply.toolCalls ?? []).forEach((call, i) => {
      content.push({
        type: "tool-call",
        toolCallId: `sim-${state.step}-${i}`,
        toolName: call.toolName,
        input: call.rawInput ?? JSON.stringify(call.input ?? {}),
      });
    });
    const inputTokens = estimateTokens(JSON.stringify(options.prompt));
    const outputTokens = estimateTokens(JSON.stringify(content));
    return {
      content,
      finishReason: { unified: reply.toolCalls?.length ? "tool-calls" : "stop", raw: undefined },
      usage: {
        inputTokens: { total: inputTokens, noCache: inputTokens, cacheRead: undefined, cacheWrite: undefined },
        outputTokens: { total: outputTokens, text: outputTokens, reasoning: undefined },
      },
      response: { modelId: this.modelId },
      warnings: [],
    };
  }

  doStream(): PromiseLike<LanguageModelV3StreamResult> {
    return Promise.reject(new Error("the simulated model does not stream; turns use generateText"));
  }
}

/** Rough and deterministic: about four characters per token. */
function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

export function simulationState(prompt: LanguageModelV3Prompt): SimulationState {
  let step = 0;
  let input: unknown = undefined;
  const results: SimulatedToolResult[] = [];
  for (const message of prompt) {
    if (message.role === "assistant") step += 1;
    if (message.role === "user" && input === undefined) {
      for (const part of message.content) {
        if (part.type === "text" && part.text.startsWith(RUN_INPUT_MARKER)) {
          input = parseJson(part.text.slice(RUN_INPUT_MARKER.length));
        }
      }
    }
    if (message.role === "tool") {
      for (const part of message.content) {
        if (part.type !== "tool-result") continue;
        const out = part.output;
        const isError = out.type === "error-text" || out.type === "error-json" || out.type === "execution-denied";
        const value =
          out.type === "json" || out.type === "error-json" ? out.value : "value" in out ? out.value : out.reason;
        results.push({ toolName: part.toolName, toolCallId: part.toolCallId, output: value, isError });
      }
    }
  }
  return {
    step,
    input,
    results,
    lastResult: (toolName) => [...results].reverse().find((r) => r.toolName === toolName),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
