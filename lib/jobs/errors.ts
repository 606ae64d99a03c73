import "server-only";
import type { z } from "zod";

export interface DeclarationProblem {
  /** The job's id, or null when the declaration has no usable id. */
  jobId: string | null;
  /** Position in the list that was validated (for declarations without an id). */
  position: number | null;
  /** Field path such as governance.riskLevel or triggers[0].cron; "" for the whole job. */
  path: string;
  message: string;
}

/**
 * Raised for any invalid declaration. The message alone tells the person reading the
 * start-up log which job and which field to fix, one line per problem.
 */
export class JobDeclarationError extends Error {
  constructor(readonly problems: DeclarationProblem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "JobDeclarationError";
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

function jobLabel(problem: DeclarationProblem): string {
  if (problem.jobId) return `Job "${problem.jobId}"`;
  return problem.position === null ? "Job (no id)" : `Job #${problem.position + 1} (no valid id)`;
}

export function formatProblem(problem: DeclarationProblem): string {
  const where = problem.path === "" ? "" : `${problem.path}: `;
  return `${jobLabel(problem)}: ${where}${problem.message}`;
}

export function problemsFromZod(
  error: z.ZodError,
  jobId: string | null,
  position: number | null,
): DeclarationProblem[] {
  return error.issues.map((issue) => ({
    jobId,
    position,
    path: formatPath(issue.path),
    message: issue.message,
  }));
}
