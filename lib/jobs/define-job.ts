import "server-only";
import type { JobDeclaration, JobDefinition } from "./schema";
import { parseJobDeclaration } from "./validate";

/**
 * Declares a job in a domain pack. Validation happens here, at import time, so a bad
 * declaration stops start-up with a JobDeclarationError naming the job and field.
 */
export function defineJob(declaration: JobDeclaration): JobDefinition {
  return parseJobDeclaration(declaration);
}
