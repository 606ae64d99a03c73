import "server-only";
import { jobDeclarationSchema, type JobDefinition } from "./schema";
import { JobDeclarationError, problemsFromZod, type DeclarationProblem } from "./errors";

function declaredId(raw: unknown): string | null {
  if (raw && typeof raw === "object" && "id" in raw) {
    const id = (raw as { id: unknown }).id;
    if (typeof id === "string" && id.trim() !== "") return id;
  }
  return null;
}

function parseOne(raw: unknown, position: number | null): { def?: JobDefinition; problems: DeclarationProblem[] } {
  const result = jobDeclarationSchema.safeParse(raw);
  if (result.success) return { def: result.data, problems: [] };
  return { problems: problemsFromZod(result.error, declaredId(raw), position) };
}

/** Validates one declaration; throws JobDeclarationError naming the job and fields. */
export function parseJobDeclaration(raw: unknown): JobDefinition {
  const { def, problems } = parseOne(raw, null);
  if (!def) throw new JobDeclarationError(problems);
  return def;
}

/**
 * Validates a whole set of declarations as the registry will hold them: every
 * declaration on its own, then ids and signal names unique across jobs (a signal has
 * one payload schema, so one declaring job). Reports every problem at once.
 */
export function validateDeclarations(raws: readonly unknown[]): JobDefinition[] {
  const problems: DeclarationProblem[] = [];
  const defs: JobDefinition[] = [];
  const ids = new Map<string, number>();
  const signals = new Map<string, string>();

  raws.forEach((raw, position) => {
    const parsed = parseOne(raw, position);
    problems.push(...parsed.problems);
    const def = parsed.def;
    if (!def) return;
    const firstAt = ids.get(def.id);
    if (firstAt !== undefined) {
      problems.push({
        jobId: def.id,
        position,
        path: "id",
        message: `Duplicate job id (declarations #${firstAt + 1} and #${position + 1})`,
      });
      return;
    }
    ids.set(def.id, position);
    def.triggers.forEach((trigger, index) => {
      if (trigger.kind !== "signal") return;
      const owner = signals.get(trigger.name);
      if (owner !== undefined && owner !== def.id) {
        problems.push({
          jobId: def.id,
          position,
          path: `triggers[${index}].name`,
          message: `Signal "${trigger.name}" is already declared by job "${owner}"`,
        });
      } else {
        signals.set(trigger.name, def.id);
      }
    });
    defs.push(def);
  });

  if (problems.length > 0) throw new JobDeclarationError(problems);
  return defs;
}
