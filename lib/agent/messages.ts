import "server-only";
import type { JSONValue } from "@ai-sdk/provider";
import type { ModelMessage, ToolCallPart, ToolResultPart } from "ai";
import { RUN_INPUT_MARKER } from "@/lib/models";
import { modelOutputOf, type ToolCallRecord } from "@/lib/tools";

/**
 * Turn messages are stored as AI SDK ModelMessages (JSON). Each tool-call part carries its
 * idempotency coordinates under providerOptions.flightdeck, which providers ignore: a call
 * left without a result (waiting for approval) is resumed later under its original key.
 */
export interface CallCoordinates {
  turnIndex: number;
  callIndex: number;
}

export function runInputMessage(input: unknown): ModelMessage {
  return {
    role: "user",
    content: [{ type: "text", text: `${RUN_INPUT_MARKER}${JSON.stringify(input ?? {}, null, 2)}` }],
  };
}

export function assistantMessage(
  text: string,
  calls: { toolCallId: string; toolName: string; input: unknown }[],
  turnIndex: number,
): ModelMessage {
  const content: (ToolCallPart | { type: "text"; text: string })[] = [];
  if (text) content.push({ type: "text", text });
  calls.forEach((call, callIndex) => {
    content.push({
      type: "tool-call",
      toolCallId: call.toolCallId,
      toolName: call.toolName,
      input: call.input ?? {},
      providerOptions: { flightdeck: { turnIndex, callIndex } },
    });
  });
  return { role: "assistant", content };
}

export function toolMessage(records: readonly ToolCallRecord[]): ModelMessage {
  const content: ToolResultPart[] = records.map((r) => {
    const out = modelOutputOf(r);
    return {
      type: "tool-result",
      toolCallId: r.toolCallId,
      toolName: r.tool,
      output: out.type === "json" ? { type: "json", value: out.value as JSONValue } : out,
    };
  });
  return { role: "tool", content };
}

function isModelMessage(value: unknown): value is ModelMessage {
  if (!value || typeof value !== "object") return false;
  const role = (value as { role?: unknown }).role;
  return role === "system" || role === "user" || role === "assistant" || role === "tool";
}

/** The stored history as ModelMessages; anything else in it is dropped rather than sent. */
export function historyMessages(history: readonly unknown[]): ModelMessage[] {
  return history.filter(isModelMessage);
}

export interface UnresolvedCall extends CallCoordinates {
  toolCallId: string;
  toolName: string;
  input: unknown;
}

/** Tool calls of the last assistant message that have no result yet, in call order. */
export function unresolvedCalls(messages: readonly ModelMessage[]): UnresolvedCall[] {
  let last = -1;
  messages.forEach((m, i) => {
    if (m.role === "assistant") last = i;
  });
  const assistant = messages[last];
  if (!assistant || assistant.role !== "assistant" || typeof assistant.content === "string") return [];
  const answered = new Set<string>();
  for (const m of messages.slice(last + 1)) {
    if (m.role !== "tool") continue;
    for (const part of m.content) if (part.type === "tool-result") answered.add(part.toolCallId);
  }
  const calls: UnresolvedCall[] = [];
  assistant.content.forEach((part) => {
    if (part.type !== "tool-call" || answered.has(part.toolCallId)) return;
    const coords = part.providerOptions?.flightdeck as Partial<CallCoordinates> | undefined;
    if (typeof coords?.turnIndex !== "number" || typeof coords.callIndex !== "number") return;
    calls.push({
      toolCallId: part.toolCallId,
      toolName: part.toolName,
      input: part.input,
      turnIndex: coords.turnIndex,
      callIndex: coords.callIndex,
    });
  });
  return calls;
}

/** The final answer: JSON when the model answered JSON, else its text. */
export function finalOutput(text: string): unknown {
  const trimmed = text.trim();
  const fenced = /^```(?:json)?\s*([\s\S]*?)\s*```$/.exec(trimmed);
  const candidate = fenced?.[1] ?? trimmed;
  if (candidate.startsWith("{") || candidate.startsWith("[")) {
    try {
      return JSON.parse(candidate) as unknown;
    } catch {
      // not JSON after all: keep the text
    }
  }
  return { text };
}
