import "server-only";
import { z } from "zod";
import { EnvError, getEnv, type Env } from "@/lib/env";

/**
 * Named model endpoints, from the environment (documented in docs/MODELS.md):
 * - "default": FLIGHTDECK_MODEL_PROVIDER / _BASE_URL / _API_KEY / _ID; with nothing set it is
 *   the offline simulated model.
 * - "simulated": always present, so a job can pin the deterministic model.
 * - further endpoints (or an override of "default"): FLIGHTDECK_MODEL_ENDPOINTS, one JSON object.
 */
export const modelProviders = ["openai-compatible", "anthropic", "simulated"] as const;
export type ModelProvider = (typeof modelProviders)[number];

const endpointSchema = z
  .object({
    provider: z.enum(modelProviders),
    baseUrl: z.url().optional(),
    apiKey: z.string().min(1).optional(),
    model: z.string().min(1).optional(),
    /** Turns holding a slot on this endpoint at once, across all instances. */
    maxConcurrency: z.number().int().min(1).max(10_000).default(4),
    /** Input + output tokens per minute across all instances (lib/resources); unset: no limit. */
    tokensPerMinute: z.number().int().min(1).max(1_000_000_000).optional(),
    /** First backoff delay after a 429/5xx; doubles per attempt, with jitter. */
    retryBaseMs: z.number().int().min(1).max(60_000).default(500),
    retryMaxMs: z.number().int().min(1).max(300_000).default(15_000),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.provider === "openai-compatible" && !e.baseUrl) {
      ctx.addIssue({ code: "custom", path: ["baseUrl"], message: "required for provider openai-compatible" });
    }
    if (e.provider !== "simulated" && !e.model) {
      ctx.addIssue({ code: "custom", path: ["model"], message: `required for provider ${e.provider}` });
    }
  });

const endpointsSchema = z.record(
  z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, "endpoint names are lowercase [a-z0-9._-]"),
  endpointSchema,
);

export type EndpointSettings = z.output<typeof endpointSchema>;
export interface ModelEndpoint extends EndpointSettings {
  name: string;
}

const simulated = (name: string, maxConcurrency: number): ModelEndpoint => ({
  name,
  provider: "simulated",
  maxConcurrency,
  retryBaseMs: 500,
  retryMaxMs: 15_000,
});

function defaultEndpoint(env: Env): ModelEndpoint {
  const provider: ModelProvider =
    env.FLIGHTDECK_MODEL_PROVIDER ?? (env.FLIGHTDECK_MODEL_BASE_URL ? "openai-compatible" : "simulated");
  const maxConcurrency = env.FLIGHTDECK_DEFAULT_MODEL_CONCURRENCY;
  const tokensPerMinute = env.FLIGHTDECK_DEFAULT_MODEL_TOKENS_PER_MINUTE;
  if (provider === "simulated") return { ...simulated("default", maxConcurrency), tokensPerMinute };
  const issues: { variable: string; message: string }[] = [];
  if (provider === "openai-compatible" && !env.FLIGHTDECK_MODEL_BASE_URL) {
    issues.push({ variable: "FLIGHTDECK_MODEL_BASE_URL", message: "required for an openai-compatible endpoint" });
  }
  if (provider === "anthropic" && !env.FLIGHTDECK_MODEL_API_KEY) {
    issues.push({ variable: "FLIGHTDECK_MODEL_API_KEY", message: "required for the anthropic endpoint" });
  }
  if (!env.FLIGHTDECK_MODEL_ID) {
    issues.push({ variable: "FLIGHTDECK_MODEL_ID", message: `required for the ${provider} endpoint` });
  }
  if (issues.length > 0) throw new EnvError(issues);
  return {
    name: "default",
    provider,
    baseUrl: env.FLIGHTDECK_MODEL_BASE_URL,
    apiKey: env.FLIGHTDECK_MODEL_API_KEY,
    model: env.FLIGHTDECK_MODEL_ID,
    maxConcurrency,
    tokensPerMinute,
    retryBaseMs: 500,
    retryMaxMs: 15_000,
  };
}

function extraEndpoints(raw: string | undefined): ModelEndpoint[] {
  if (!raw) return [];
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new EnvError([
      { variable: "FLIGHTDECK_MODEL_ENDPOINTS", message: `not valid JSON (${(error as Error).message})` },
    ]);
  }
  const parsed = endpointsSchema.safeParse(json);
  if (!parsed.success) {
    throw new EnvError(
      parsed.error.issues.map((i) => ({
        variable: "FLIGHTDECK_MODEL_ENDPOINTS",
        message: `${i.path.join(".") || "(root)"}: ${i.message}`,
      })),
    );
  }
  return Object.entries(parsed.data).map(([name, settings]) => ({ name, ...settings }));
}

/** Parses the endpoint configuration from an env snapshot; throws EnvError naming the variable. */
export function parseModelEndpoints(env: Env): Map<string, ModelEndpoint> {
  const endpoints = new Map<string, ModelEndpoint>();
  endpoints.set("default", defaultEndpoint(env));
  endpoints.set("simulated", simulated("simulated", env.FLIGHTDECK_DEFAULT_MODEL_CONCURRENCY));
  for (const e of extraEndpoints(env.FLIGHTDECK_MODEL_ENDPOINTS)) endpoints.set(e.name, e);
  return endpoints;
}

const cache = new WeakMap<Env, Map<string, ModelEndpoint>>();

export function modelEndpoints(): Map<string, ModelEndpoint> {
  const env = getEnv();
  let found = cache.get(env);
  if (!found) {
    found = parseModelEndpoints(env);
    cache.set(env, found);
  }
  return found;
}

export function getModelEndpoint(name: string): ModelEndpoint | undefined {
  return modelEndpoints().get(name);
}

/** What a row in model_endpoints shows: provider, model id ("simulated" for the offline model). */
export function endpointModelLabel(e: ModelEndpoint): string {
  return e.provider === "simulated" ? "simulated" : (e.model ?? "unknown");
}

/** Rows for the runtime's model_endpoints table (lib/runtime/model-endpoints syncModelEndpoints). */
export function listModelEndpointConfigs(): {
  name: string;
  provider: string;
  model: string;
  maxConcurrency: number;
  tokensPerMinute: number | null;
}[] {
  return [...modelEndpoints().values()].map((e) => ({
    name: e.name,
    provider: e.provider,
    model: endpointModelLabel(e),
    maxConcurrency: e.maxConcurrency,
    tokensPerMinute: e.tokensPerMinute ?? null,
  }));
}

/**
 * API keys configured inline in FLIGHTDECK_MODEL_ENDPOINTS: redacted like env secrets.
 * An invalid configuration yields none here (start-up reports it; redaction must not throw).
 */
export function endpointSecrets(): string[] {
  let endpoints: Map<string, ModelEndpoint>;
  try {
    endpoints = modelEndpoints();
  } catch {
    return [];
  }
  const keys: string[] = [];
  for (const e of endpoints.values()) if (e.apiKey && e.apiKey.length >= 8) keys.push(e.apiKey);
  return keys;
}
