import "server-only";
import type { z } from "zod";
import { AppError, isAppError, type ErrorCode } from "@/lib/errors";
import { sanitizeError } from "@/lib/errors/sanitize";
import { logger } from "@/lib/log";
import { authorize, strictCurrentPrincipal } from "@/lib/auth/dal";
import { findUnstorable } from "@/lib/text/storable";
import type { Permission } from "@/lib/auth/policy";
import type { Principal } from "@/lib/audit";

export type ActionResult<T> =
  { ok: true; data: T } | { ok: false; error: { code: ErrorCode; message: string; issues?: unknown } };

interface ActionDefinition<S extends z.ZodType, T> {
  name: string;
  permission: Permission;
  input: S;
  handler: (input: z.infer<S>, principal: Principal) => Promise<T>;
}

/** Every server action in the app, by name: the policy tests walk this registry. */
export const actionRegistry = new Map<string, ActionDefinition<z.ZodType, unknown>>();
const definedActions = new WeakSet<object>();

/** Runs an action for a given principal: authorize, validate, then the body. */
export async function runAction<T>(
  definition: ActionDefinition<z.ZodType, T>,
  principal: Principal,
  raw: unknown,
): Promise<ActionResult<T>> {
  try {
    authorize(principal, definition.permission);
    const unstorable = findUnstorable(raw);
    if (unstorable) {
      throw new AppError("bad_request", "Invalid input", {
        issues: [{ code: "invalid_string", path: unstorable.path, message: unstorable.message }],
      });
    }
    const parsed = definition.input.safeParse(raw);
    if (!parsed.success) throw AppError.validation(parsed.error, "input");
    return { ok: true, data: await definition.handler(parsed.data, principal) };
  } catch (error) {
    if (isAppError(error)) {
      return { ok: false, error: { code: error.code, message: error.message, issues: error.details?.issues } };
    }
    logger("error", `action ${definition.name} failed`, { error: sanitizeError(error) });
    return { ok: false, error: { code: "internal", message: "Something went wrong" } };
  }
}

/**
 * The one way to write a server action: authenticate, authorize, parse with zod and map
 * errors before the body runs. Export the returned function from an actions.ts file.
 */
export function defineAction<S extends z.ZodType, T>(definition: ActionDefinition<S, T>) {
  if (actionRegistry.has(definition.name)) throw new Error(`duplicate action ${definition.name}`);
  actionRegistry.set(definition.name, definition as unknown as ActionDefinition<z.ZodType, unknown>);
  const action = async (raw: z.input<S>): Promise<ActionResult<T>> => {
    let principal: Principal;
    try {
      principal = await strictCurrentPrincipal();
    } catch (error) {
      // An invalid or rate-limited bearer is a clean refusal, not a 500.
      if (isAppError(error)) return { ok: false, error: { code: error.code, message: error.message } };
      throw error;
    }
    return runAction(definition as unknown as ActionDefinition<z.ZodType, T>, principal, raw);
  };
  definedActions.add(action);
  return action;
}

export function isDefinedAction(fn: unknown): boolean {
  return typeof fn === "function" && definedActions.has(fn);
}
