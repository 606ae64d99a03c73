import "server-only";
import { z } from "zod";
import { EnvError, getEnv, type Env } from "@/lib/env";
import { toolNamePattern } from "@/lib/utils";

/**
 * Declared rate limits (documented in docs/SCHEDULING.md):
 * - FLIGHTDECK_TOOL_QUOTAS: JSON `{ "<tool>": { "callsPerMinute": n, "perKey": bool } }`,
 *   resource name `tool:<tool>`; perKey gives every fair-share key its own allowance.
 * - FLIGHTDECK_WRITE_BUDGET_PER_MINUTE: workspace, state (and shared-memory) writes per
 *   minute per fair-share key, resource name `writes`.
 */
const toolQuotaSchema = z.strictObject({
  callsPerMinute: z.number().int().min(1).max(10_000_000),
  perKey: z.boolean().optional().default(false),
});
const toolQuotasSchema = z.record(
  z.string().regex(toolNamePattern, "tool names are snake_case or mcp:<server>:<tool>"),
  toolQuotaSchema,
);

export interface ToolQuota {
  tool: string;
  resource: string;
  callsPerMinute: number;
  perKey: boolean;
}

export function parseToolQuotas(env: Env): ToolQuota[] {
  const raw = env.FLIGHTDECK_TOOL_QUOTAS;
  if (!raw) return [];
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new EnvError([
      { variable: "FLIGHTDECK_TOOL_QUOTAS", message: `not valid JSON (${(error as Error).message})` },
    ]);
  }
  const parsed = toolQuotasSchema.safeParse(json);
  if (!parsed.success) {
    throw new EnvError(
      parsed.error.issues.map((i) => ({
        variable: "FLIGHTDECK_TOOL_QUOTAS",
        message: `${i.path.join(".") || "(root)"}: ${i.message}`,
      })),
    );
  }
  return Object.entries(parsed.data).map(([tool, q]) => ({ tool, resource: `tool:${tool}`, ...q }));
}

export function toolQuotas(): ToolQuota[] {
  return parseToolQuotas(getEnv());
}

export const WRITES_RESOURCE = "writes";

export function writeBudgetPerMinute(): number | null {
  return getEnv().FLIGHTDECK_WRITE_BUDGET_PER_MINUTE ?? null;
}
