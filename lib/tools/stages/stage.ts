import "server-only";
import type { Redactor } from "@/lib/redaction";
import type {
  CallAuditExtra,
  CallBase,
  CallIdentity,
  CallResult,
  InvokeScope,
  ToolCallRecord,
  ToolCallRequest,
} from "../call-types";

/** One call on its way through the gateway's stages. */
export interface GatewayCall {
  scope: InvokeScope;
  request: ToolCallRequest;
  id: CallIdentity;
  base: CallBase;
  redactor: Redactor;
}

/**
 * What a stage answers:
 * - proceed: go on to the next stage (with what this one established, e.g. the parsed input);
 * - refuse: do not execute; the gateway settles the call with this result (stored, audited);
 * - park: do not execute now; the call is answered with this record and runs on a later turn.
 */
export type StageDecision<T> =
  | { verdict: "proceed"; value: T }
  | { verdict: "refuse"; result: CallResult; audit?: CallAuditExtra }
  | { verdict: "park"; record: ToolCallRecord };

export type StageStop = Exclude<StageDecision<unknown>, { verdict: "proceed" }>;

export function proceed<T>(value: T): StageDecision<T> {
  return { verdict: "proceed", value };
}

/** A refusal: the message redacted, recorded as refused, with an optional audit event. */
export function refuse(
  call: GatewayCall,
  error: string,
  action: string | null,
  details: Record<string, unknown> = {},
): StageStop {
  return {
    verdict: "refuse",
    result: { outcome: "refused", error: call.redactor.redactString(error), durationMs: 0 },
    ...(action ? { audit: { action, details } } : {}),
  };
}
