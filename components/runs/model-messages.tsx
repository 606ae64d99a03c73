import { ArrowDownLeft, ArrowUpRight, Wrench } from "lucide-react";
import { JsonBlock } from "./json-block";

type Part = { type?: unknown; text?: unknown; toolName?: unknown; input?: unknown; output?: unknown };
type Message = { role?: unknown; content?: unknown };

function partsOf(message: Message): Part[] {
  if (typeof message.content === "string") return [{ type: "text", text: message.content }];
  return Array.isArray(message.content) ? (message.content as Part[]) : [];
}

/** A tool result's value without the AI SDK's { type, value } envelope. */
function resultValue(output: unknown): unknown {
  if (output && typeof output === "object" && "value" in output) return (output as { value: unknown }).value;
  return output;
}

function PartView({ part }: { part: Part }) {
  if (part.type === "text" && typeof part.text === "string") {
    // A model answer can be one long unbroken token (JSON): it wraps anywhere rather than spill into the side column.
    return (
      <p className="text-[13px] leading-5 whitespace-pre-wrap text-foreground [overflow-wrap:anywhere]">{part.text}</p>
    );
  }
  if (part.type === "tool-call") {
    return (
      <div className="flex flex-col gap-1">
        <p className="flex items-center gap-1.5 text-xs font-medium text-foreground">
          <ArrowUpRight aria-hidden className="size-3.5 text-info-text" />
          calls <code className="font-mono">{String(part.toolName)}</code>
        </p>
        <JsonBlock value={part.input} label={`Input of ${String(part.toolName)}`} className="max-h-40" />
      </div>
    );
  }
  if (part.type === "tool-result") {
    return (
      <div className="flex flex-col gap-1">
        <p className="flex items-center gap-1.5 text-xs font-medium text-foreground">
          <ArrowDownLeft aria-hidden className="size-3.5 text-success-text" />
          result of <code className="font-mono">{String(part.toolName)}</code>
        </p>
        <JsonBlock value={resultValue(part.output)} label={`Result of ${String(part.toolName)}`} className="max-h-40" />
      </div>
    );
  }
  return <JsonBlock value={part} />;
}

const roleLabels: Record<string, string> = {
  system: "System",
  user: "Input",
  assistant: "Model",
  tool: "Tool results",
};

/** The model's messages of one turn (AI SDK message JSON as stored, already redacted). */
export function ModelMessages({ messages, empty }: { messages: unknown[] | null; empty: string }) {
  const list = (messages ?? []) as Message[];
  if (list.length === 0) return <p className="text-xs text-muted">{empty}</p>;
  return (
    <ol className="flex flex-col gap-2.5">
      {list.map((message, i) => (
        <li key={i} className="flex flex-col gap-1.5 rounded-md border border-border bg-surface p-2.5">
          <span className="flex items-center gap-1 text-[11px] font-medium tracking-wide text-muted uppercase">
            {message.role === "tool" ? <Wrench aria-hidden className="size-3" /> : null}
            {roleLabels[String(message.role)] ?? String(message.role)}
          </span>
          {partsOf(message).map((part, j) => (
            <PartView key={j} part={part} />
          ))}
        </li>
      ))}
    </ol>
  );
}
