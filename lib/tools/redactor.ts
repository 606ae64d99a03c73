import "server-only";
import { appContext } from "@/lib/context";
import { createRedactor, secretValues, type Redactor } from "@/lib/redaction";
import { endpointSecrets } from "@/lib/models";

declare module "@/lib/context/app-context" {
  interface AppContext {
    /** Secrets configured for tools by reference (an MCP server's headers and environment). */
    toolSecrets?: Set<string>;
  }
}

/** Values a tool integration was configured with that must never appear in a stored input, output or event. */
export function registerToolSecrets(values: readonly string[]): void {
  const secrets = (appContext().toolSecrets ??= new Set());
  for (const value of values) if (value.length >= 8) secrets.add(value);
}

/**
 * The shared redactor plus the API keys configured inline for model endpoints and the
 * secrets tools registered, which the environment scan cannot see by variable name.
 */
let redactor: Redactor | undefined;

export function toolRedactor(): Redactor {
  redactor ??= createRedactor({
    secrets: () => [...secretValues(), ...endpointSecrets(), ...(appContext().toolSecrets ?? [])],
  });
  return redactor;
}
