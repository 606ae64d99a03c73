import "server-only";
import { createRedactor, secretValues, type Redactor } from "@/lib/redaction";
import { endpointSecrets } from "@/lib/models";

/**
 * The shared redactor plus the API keys configured inline for model endpoints, which are
 * secrets the environment scan cannot see by variable name.
 */
let redactor: Redactor | undefined;

export function toolRedactor(): Redactor {
  redactor ??= createRedactor({ secrets: () => [...secretValues(), ...endpointSecrets()] });
  return redactor;
}
