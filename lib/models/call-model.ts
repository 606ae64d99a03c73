import "server-only";
import { APICallError } from "@ai-sdk/provider";
import { generateText, stepCountIs, type LanguageModel, type ModelMessage, type ToolSet } from "ai";
import { errorMessage } from "@/lib/errors";
import { inSpan, SpanKind } from "@/lib/telemetry";
import { ModelCallError } from "./errors";
import { backoffDelay, isRetryableModelError, sleep, type RetryPolicy } from "./retry";
import { providerToolNames, renameInMessages, renameTools, toolNamesIn } from "./tool-names";

export interface ModelCallRequest {
  model: LanguageModel;
  /** Endpoint name, for messages. */
  endpoint: string;
  system: string;
  messages: ModelMessage[];
  /** Described to the model only: no execute, so the SDK never runs a tool. */
  tools: ToolSet;
  /** The run's signal: cancel and lease loss. */
  signal: AbortSignal;
  deadline: Date;
  retry: RetryPolicy;
  now?: () => number;
  /**
   * Called before a backoff sleep; the function it returns is awaited after it. The runtime
   * gives the endpoint slot back for the sleep and takes one again before the retry
   * (lib/resources/endpoint-slot.ts), so a rate-limited turn does not hold capacity idle.
   */
  onBackoff?: (delayMs: number) => Promise<() => Promise<void>>;
}

export interface ModelToolCall {
  toolCallId: string;
  toolName: string;
  /** Parsed JSON arguments, or the raw string when they were not JSON. */
  input: unknown;
  /** Set when the SDK could not parse the call (unknown tool, malformed arguments). */
  parseError?: string;
}

export interface ModelAnswer {
  text: string;
  toolCalls: ModelToolCall[];
  usage: { inputTokens: number; outputTokens: number };
  finishReason: string;
  attempts: number;
  /** Provider model id as answered (e.g. simulated/triage-ticket). */
  modelId: string;
}

/**
 * One model call for one turn: generateText with a single step and the SDK's own retries
 * off, so this loop is the only retry policy. 429/5xx are retried with backoff while the
 * turn's deadline allows; then the provider's message is what the turn fails with.
 */
export async function callModel(req: ModelCallRequest): Promise<ModelAnswer> {
  // One span per model call, retries included (OpenTelemetry GenAI conventions): a child of the turn's span.
  const model = modelIdOf(req.model);
  return inSpan(
    `chat ${model}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": providerOf(req.model),
        "gen_ai.request.model": model,
        "flightdeck.model.endpoint": req.endpoint,
      },
    },
    async (span) => {
      try {
        const answer = await callWithRetries(req);
        span.setAttributes({
          "gen_ai.response.model": answer.modelId,
          "gen_ai.response.finish_reasons": [answer.finishReason],
          "gen_ai.usage.input_tokens": answer.usage.inputTokens,
          "gen_ai.usage.output_tokens": answer.usage.outputTokens,
          "flightdeck.model.attempts": answer.attempts,
        });
        return answer;
      } catch (error) {
        if (error instanceof ModelCallError) {
          span.setAttribute("flightdeck.model.attempts", error.attempts);
          span.setAttribute("error.type", error.failure);
        }
        throw error;
      }
    },
  );
}

async function callWithRetries(req: ModelCallRequest): Promise<ModelAnswer> {
  const now = req.now ?? Date.now;
  let attempts = 0;
  let lastError: unknown;
  // Gateway names such as mcp:<server>:<tool> are not valid provider function names (tool-names.ts).
  const names = providerToolNames(toolNamesIn(req.tools, req.messages));
  const tools = renameTools(req.tools, names);
  const messages = renameInMessages(req.messages, names);
  for (;;) {
    const remaining = req.deadline.getTime() - now();
    if (remaining <= 0)
      throw lastError === undefined ? deadlineError(req, attempts) : providerError(req, attempts, lastError);
    attempts += 1;
    const timeout = AbortSignal.timeout(remaining);
    const signal = AbortSignal.any([req.signal, timeout]);
    try {
      const result = await generateText({
        model: req.model,
        system: req.system,
        messages,
        tools,
        stopWhen: stepCountIs(1),
        maxRetries: 0,
        abortSignal: signal,
      });
      return {
        text: result.text,
        toolCalls: result.toolCalls.map((c) => ({
          toolCallId: c.toolCallId,
          toolName: names.fromProvider(c.toolName),
          input: c.input,
          ...("invalid" in c && c.invalid ? { parseError: errorMessage(c.error) } : {}),
        })),
        usage: { inputTokens: result.usage.inputTokens ?? 0, outputTokens: result.usage.outputTokens ?? 0 },
        finishReason: result.finishReason,
        attempts,
        modelId: result.response.modelId || modelIdOf(req.model),
      };
    } catch (error) {
      if (req.signal.aborted) {
        throw new ModelCallError("aborted", `model call aborted: ${errorMessage(req.signal.reason)}`, attempts);
      }
      // The provider kept failing and the deadline cut the retry short: its message is the reason.
      if (timeout.aborted)
        throw lastError === undefined ? deadlineError(req, attempts) : providerError(req, attempts, lastError);
      lastError = error;
      if (!isRetryableModelError(error)) throw providerError(req, attempts, error);
      const delay = backoffDelay(attempts, req.retry, error);
      if (now() + delay >= req.deadline.getTime()) throw providerError(req, attempts, error);
      const resume = await req.onBackoff?.(delay);
      try {
        await sleep(delay, req.signal);
        await resume?.();
      } catch {
        throw new ModelCallError("aborted", `model call aborted: ${errorMessage(req.signal.reason)}`, attempts);
      }
    }
  }
}

function modelIdOf(model: LanguageModel): string {
  return typeof model === "string" ? model : model.modelId;
}

/** The provider as GenAI conventions name it (the AI SDK's "openai.chat" → "openai"). */
function providerOf(model: LanguageModel): string {
  const provider = typeof model === "string" ? model.split("/")[0] : model.provider;
  return (provider ?? "unknown").split(".")[0] ?? "unknown";
}

function providerError(req: ModelCallRequest, attempts: number, error: unknown): ModelCallError {
  const status = APICallError.isInstance(error) ? error.statusCode : undefined;
  const where = `model endpoint "${req.endpoint}"${status ? ` answered HTTP ${status}` : " failed"}`;
  const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
  return new ModelCallError("provider", `${where}${tries}: ${errorMessage(error)}`, attempts, status);
}

function deadlineError(req: ModelCallRequest, attempts: number): ModelCallError {
  return new ModelCallError(
    "deadline",
    `model endpoint "${req.endpoint}" did not answer before the turn deadline`,
    attempts,
  );
}
