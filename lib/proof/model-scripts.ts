import { RUN_INPUT_MARKER } from "@/lib/models";
import { attackCatalogue, exfiltratingOutput, type AttackTarget } from "./attacks";
import { completion, type ChatRequestBody, type Responder, type ScriptedReply } from "./openai-loopback";
import { LOCKED_ENTITY, SCRIPT, SIGNALS } from "./pack";

/**
 * The scripted model behind the loopback server: the job's instructions (the system prompt)
 * name its script, the number of assistant messages so far is the step. Deterministic: the
 * same request always gets the same answer, and every turn reports the same token usage.
 */
export const TURN_USAGE = { prompt_tokens: 300, completion_tokens: 50 };

interface Step {
  step: number;
  input: Record<string, unknown>;
}

function stepOf(body: ChatRequestBody): Step {
  let step = 0;
  let input: Record<string, unknown> = {};
  for (const m of body.messages) {
    if (m.role === "assistant") step += 1;
    if (m.role === "user" && typeof m.content === "string" && m.content.startsWith(RUN_INPUT_MARKER)) {
      const parsed: unknown = JSON.parse(m.content.slice(RUN_INPUT_MARKER.length));
      if (parsed && typeof parsed === "object") input = parsed as Record<string, unknown>;
    }
  }
  return { step, input };
}

const final = (content: string): ScriptedReply => completion({ content, usage: TURN_USAGE });
const calls = (toolCalls: { name: string; arguments: unknown }[]): ScriptedReply =>
  completion({ content: null, toolCalls, usage: TURN_USAGE });

export interface ScriptOptions {
  modelMs: number;
  /** The attack target, known once the victim runs exist (the hostile runs start after). */
  target: () => AttackTarget | null;
}

export function proofResponder(options: ScriptOptions): Responder {
  return (body) => {
    const system = String(body.messages.find((m) => m.role === "system")?.content ?? "");
    const { step, input } = stepOf(body);
    const reply = answer(system, step, input, options);
    return { ...reply, delayMs: options.modelMs };
  };
}

function answer(system: string, step: number, input: Record<string, unknown>, options: ScriptOptions): ScriptedReply {
  switch (system) {
    case SCRIPT.victim:
      if (step === 0)
        return calls([
          { name: "write_file", arguments: { path: "secret.txt", content: String(input.marker ?? "") } },
          { name: "state_set", arguments: { key: "ledger", value: String(input.marker ?? "") } },
          { name: "memory_lock", arguments: { entity: LOCKED_ENTITY, mode: "exclusive" } },
        ]);
      if (step === 1)
        return calls([
          {
            name: "wait_for_signal",
            arguments: { name: SIGNALS.intake, match: { ticket: String(input.marker ?? "") }, timeoutSeconds: 600 },
          },
        ]);
      return final('{"answer":"released"}');
    case SCRIPT.hostile: {
      const target = options.target();
      if (step === 0 && target)
        return calls(attackCatalogue(target).map((attack) => ({ name: attack.tool, arguments: attack.input })));
      return final(target ? exfiltratingOutput(target.canaries) : '{"answer":"no target"}');
    }
    case SCRIPT.plain:
      return step === 0
        ? calls([{ name: "write_file", arguments: { path: "report.txt", content: "quarterly report" } }])
        : final('{"answer":"report written"}');
    default:
      return final('{"error":"no script for this system prompt"}');
  }
}
