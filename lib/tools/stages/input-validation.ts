import "server-only";
import type { ToolDefinition } from "../types";
import { proceed, refuse, type GatewayCall, type StageDecision } from "./stage";

/** Stage 2, input validation: arguments that parsed, and match the tool's schema. Proceeds with the parsed input. */
export function inputValidationStage(call: GatewayCall, tool: ToolDefinition): StageDecision<unknown> {
  const { request, redactor } = call;
  if (request.parseError !== undefined) {
    return refuse(
      call,
      `arguments for "${tool.name}" could not be parsed: ${request.parseError}`,
      "tool.invalid_input",
      {
        issues: [{ path: "", message: redactor.redactString(request.parseError) }],
      },
    );
  }
  const parsed = tool.input.safeParse(request.input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      path: i.path.map(String).join("."),
      message: i.message,
      code: i.code,
    }));
    const summary = issues.map((i) => `${i.path || "(input)"}: ${i.message}`).join("; ");
    return refuse(call, `invalid arguments for "${tool.name}": ${summary}`, "tool.invalid_input", { issues });
  }
  return proceed(parsed.data);
}
