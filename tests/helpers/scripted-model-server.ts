import {
  RUN_INPUT_MARKER,
  type SimulatedReply,
  type SimulatedScript,
  type SimulatedToolResult,
  type SimulationState,
} from "@/lib/models";
import { completion, type ChatRequestBody, type ScriptedReply } from "./openai-loopback";

/**
 * Serves the demo jobs' scripts as an OpenAI-compatible model: a chat request becomes the
 * SimulationState the script expects and the script's reply becomes a chat completion. So
 * the same jobs run over real HTTP through the real provider path.
 */
export function stateFromChatRequest(body: ChatRequestBody): SimulationState {
  let input: unknown;
  const names = new Map<string, string>();
  const results: SimulatedToolResult[] = [];
  let step = 0;
  for (const m of body.messages) {
    if (m.role === "assistant") {
      step += 1;
      for (const c of (m.tool_calls ?? []) as { id: string; function: { name: string } }[])
        names.set(c.id, c.function.name);
    }
    if (
      m.role === "user" &&
      input === undefined &&
      typeof m.content === "string" &&
      m.content.startsWith(RUN_INPUT_MARKER)
    ) {
      input = JSON.parse(m.content.slice(RUN_INPUT_MARKER.length)) as unknown;
    }
    if (m.role === "tool" && typeof m.content === "string") {
      const isError = /^(Refused|Error):/.test(m.content);
      let output: unknown = m.content;
      try {
        output = JSON.parse(m.content) as unknown;
      } catch {
        // text or error output
      }
      results.push({
        toolCallId: m.tool_call_id ?? "",
        toolName: names.get(m.tool_call_id ?? "") ?? "",
        output,
        isError,
      });
    }
  }
  return { step, input, results, lastResult: (n) => [...results].reverse().find((r) => r.toolName === n) };
}

export function replyAsCompletion(
  reply: SimulatedReply,
  usage = { prompt_tokens: 120, completion_tokens: 30 },
): ScriptedReply {
  return completion({
    content: reply.text ?? null,
    toolCalls: reply.toolCalls?.map((c) => ({ name: c.toolName, arguments: c.rawInput ?? c.input })),
    usage,
  });
}

/** Picks the script by the job's system prompt (the `instructions`). */
export function scriptedResponder(scripts: { match: (system: string) => boolean; script: SimulatedScript }[]) {
  return (body: ChatRequestBody): ScriptedReply => {
    const system = String(body.messages.find((m) => m.role === "system")?.content ?? "");
    const entry = scripts.find((s) => s.match(system));
    if (!entry) return completion({ content: '{"error": "no script for this system prompt"}' });
    return replyAsCompletion(entry.script(stateFromChatRequest(body)));
  };
}
