import { z } from "zod";
import { webhookEventTypes } from "@/lib/webhooks/event-types";

/**
 * The one place that reads process.env. Everything else asks getEnv(), so a missing
 * or malformed variable is reported once, by name, at start-up instead of surfacing
 * later as an undefined deep inside a request.
 */
const bool = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", ""])
    .optional()
    .transform((v) => (v === undefined || v === "" ? fallback : v === "true" || v === "1"));

const intFrom = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).optional().default(fallback);

const optionalNonEmpty = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v));

export const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).optional().default("development"),
    PORT: intFrom(3000, 1, 65535),
    DATABASE_URL: optionalNonEmpty.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
        .optional(),
    ),
    FLIGHTDECK_DATA_DIR: z.string().min(1).optional().default(".data"),
    FLIGHTDECK_BASE_URL: optionalNonEmpty.pipe(z.url().optional()),
    FLIGHTDECK_AUTH_SECRET: optionalNonEmpty.pipe(z.string().min(32, "must be at least 32 characters").optional()),
    FLIGHTDECK_DEMO_PASSWORD: z.string().min(8, "must be at least 8 characters").optional().default("flightdeck-demo"),
    FLIGHTDECK_SEED_DEMO: bool(true),
    /**
     * The embedded demo moves like a real deployment: new tickets every few seconds, simulated
     * model calls of a few seconds, now and then a failure. Only with the demo (PGlite and
     * FLIGHTDECK_SEED_DEMO); false gives instant answers and no new tickets.
     */
    FLIGHTDECK_DEMO_PACE: bool(true),
    FLIGHTDECK_ADMIN_TOKEN: optionalNonEmpty.pipe(z.string().min(24, "must be at least 24 characters").optional()),
    FLIGHTDECK_EMBEDDED_RUNTIME: bool(true),
    FLIGHTDECK_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).optional().default("info"),
    // Unset: pretty lines when stdout is a terminal, JSON lines otherwise (lib/log/format.mjs).
    FLIGHTDECK_LOG_FORMAT: z.enum(["pretty", "json"]).optional(),
    // The no-color.org convention: pretty lines without colors.
    NO_COLOR: optionalNonEmpty,
    FLIGHTDECK_POLL_INTERVAL_MS: intFrom(1000, 50, 60_000),
    FLIGHTDECK_LEASE_MS: intFrom(30_000, 1_000, 3_600_000),
    FLIGHTDECK_WORKER_CONCURRENCY: intFrom(4, 1, 256),
    /** On SIGTERM: how long turns in flight may finish before they are aborted and their runs handed back. */
    FLIGHTDECK_SHUTDOWN_GRACE_MS: intFrom(25_000, 0, 600_000),
    FLIGHTDECK_DEFAULT_MODEL_CONCURRENCY: intFrom(4, 1, 10_000),
    FLIGHTDECK_LOGIN_MAX_ATTEMPTS: intFrom(5, 1, 1000),
    FLIGHTDECK_LOGIN_WINDOW_SECONDS: intFrom(60, 1, 86_400),
    // Security hardening (docs/SECURITY.md).
    /** Largest request body any route accepts, in bytes (signals may declare more). */
    FLIGHTDECK_MAX_BODY_BYTES: intFrom(1024 * 1024, 1024, 1024 * 1024 * 1024),
    /** Comma-separated proxy addresses/CIDRs whose X-Forwarded-For is believed; none by default. */
    FLIGHTDECK_TRUSTED_PROXIES: optionalNonEmpty.pipe(
      z
        .string()
        .regex(/^[0-9A-Fa-f:.\/,\s\[\]]+$/, "must be a comma-separated list of IP addresses or CIDR ranges")
        .optional(),
    ),
    // Model endpoints (lib/models, docs/MODELS.md). Nothing set: the offline simulated model.
    FLIGHTDECK_MODEL_PROVIDER: optionalNonEmpty.pipe(
      z.enum(["openai-compatible", "anthropic", "simulated"]).optional(),
    ),
    FLIGHTDECK_MODEL_BASE_URL: optionalNonEmpty.pipe(z.url().optional()),
    FLIGHTDECK_MODEL_API_KEY: optionalNonEmpty,
    FLIGHTDECK_MODEL_ID: optionalNonEmpty,
    /** JSON object of further named endpoints; validated by lib/models/config.ts. */
    FLIGHTDECK_MODEL_ENDPOINTS: optionalNonEmpty,
    // Tools and workspaces (lib/tools, lib/workspace).
    FLIGHTDECK_WORKSPACE_QUOTA_BYTES: intFrom(10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    FLIGHTDECK_TOOL_TIMEOUT_MS: intFrom(30_000, 100, 600_000),
    FLIGHTDECK_TOOL_OUTPUT_MAX_BYTES: intFrom(32 * 1024, 256, 4 * 1024 * 1024),
    // Resource arbitration (lib/scheduling, lib/resources; docs/SCHEDULING.md).
    FLIGHTDECK_SCHEDULING_INPUT_WEIGHT: z.coerce.number().min(0).max(1000).optional().default(1),
    FLIGHTDECK_SCHEDULING_OUTPUT_WEIGHT: z.coerce.number().min(0).max(1000).optional().default(2),
    FLIGHTDECK_SCHEDULING_MIN_TURN_COST: intFrom(100, 1, 1_000_000),
    FLIGHTDECK_SCHEDULING_AGEING_MS: intFrom(60_000, 1_000, 86_400_000),
    FLIGHTDECK_DEFAULT_MODEL_TOKENS_PER_MINUTE: optionalNonEmpty.pipe(
      z.coerce.number<string | undefined>().int().min(1).max(1_000_000_000).optional(),
    ),
    FLIGHTDECK_TOOL_QUOTAS: optionalNonEmpty,
    FLIGHTDECK_WRITE_BUDGET_PER_MINUTE: optionalNonEmpty.pipe(
      z.coerce.number<string | undefined>().int().min(1).max(10_000_000).optional(),
    ),
    // Audit log (lib/audit, docs/SECURITY.md). Keys: base64 of 32 bytes; unset = generated in the key dir.
    FLIGHTDECK_AUDIT_SIGNING_KEY: optionalNonEmpty,
    FLIGHTDECK_AUDIT_MAC_KEY: optionalNonEmpty,
    FLIGHTDECK_AUDIT_KEY_DIR: optionalNonEmpty,
    FLIGHTDECK_AUDIT_LOG_ORIGIN: z
      .string()
      .regex(/^[^\s+]+$/, "must be a non-empty name without spaces or '+'")
      .optional()
      .default("flightdeck.local/audit"),
    FLIGHTDECK_AUDIT_ANCHOR_DIR: optionalNonEmpty,
    FLIGHTDECK_AUDIT_ANCHOR_URL: optionalNonEmpty.pipe(z.url().optional()),
    FLIGHTDECK_AUDIT_SEAL_INTERVAL_MS: intFrom(250, 10, 250),
    // Compliance (docs/COMPLIANCE.md): the audit log is kept at least this long (EU AI Act Art. 19/26: six months minimum).
    FLIGHTDECK_AUDIT_RETENTION_DAYS: intFrom(400, 180, 36_500),
    // Export size limits: a query matching more events is refused with "narrow the query".
    FLIGHTDECK_AUDIT_EXPORT_MAX_EVENTS: intFrom(1_000_000, 1, 100_000_000),
    FLIGHTDECK_AUDIT_BUNDLE_MAX_EVENTS: intFrom(100_000, 1, 10_000_000),
    // The playground pack (domains/playground): hosts its sandbox-agent may http_fetch, comma-separated. Unset: none.
    FLIGHTDECK_PLAYGROUND_HTTP_HOSTS: z
      .string()
      .optional()
      .transform((v) =>
        (v ?? "")
          .split(",")
          .map((h) => h.trim().toLowerCase())
          .filter(Boolean),
      )
      .pipe(
        z.array(
          z
            .string()
            .regex(
              /^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:\d{1,5})?$/,
              "must be host names (optionally *.domain or host:port), comma-separated",
            ),
        ),
      ),
    // MCP servers whose tools join the gateway (lib/mcp, docs/INTEGRATIONS.md): a JSON object, and/or a
    // JSON file with the same shape; validated (naming server and field) by lib/mcp/config.ts.
    FLIGHTDECK_MCP_SERVERS: optionalNonEmpty,
    FLIGHTDECK_MCP_CONFIG: optionalNonEmpty,
    // Webhooks (lib/webhooks): run failures, runs needing a person, new and decided cards; Standard Webhooks signed.
    FLIGHTDECK_WEBHOOK_URL: optionalNonEmpty.pipe(z.url().optional()),
    /** Comma-separated message types to send (default: every type). */
    FLIGHTDECK_WEBHOOK_EVENTS: optionalNonEmpty.pipe(
      z
        .string()
        .transform((v) =>
          v
            .split(",")
            .map((t) => t.trim())
            .filter((t) => t !== ""),
        )
        .pipe(z.array(z.enum(webhookEventTypes)).min(1, "names no message type"))
        .optional(),
    ),
    /** Delivered and given-up messages older than this are deleted by the daily retention pass. */
    FLIGHTDECK_WEBHOOK_RETENTION_DAYS: intFrom(30, 1, 3650),
    FLIGHTDECK_WEBHOOK_SECRET: optionalNonEmpty.pipe(
      z
        .string()
        .regex(
          /^whsec_[A-Za-z0-9+/]{32,}={0,2}$/,
          "must be a Standard Webhooks secret: whsec_ followed by at least 24 base64 bytes",
        )
        .optional(),
    ),
    // Traces (lib/telemetry): the standard OpenTelemetry variables switch the exporter on; the SDK reads the rest itself.
    OTEL_EXPORTER_OTLP_ENDPOINT: optionalNonEmpty.pipe(z.url().optional()),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalNonEmpty.pipe(z.url().optional()),
    OTEL_SERVICE_NAME: z.string().min(1).optional().default("flightdeck"),
    OTEL_SDK_DISABLED: bool(false),
    /** Where the run page links a trace id, e.g. http://localhost:16686/trace/{traceId} (Jaeger). */
    FLIGHTDECK_TRACE_URL: optionalNonEmpty.pipe(
      z
        .url()
        .refine((v) => v.includes("{traceId}"), "must contain {traceId}")
        .optional(),
    ),
    /** A run waiting (not for an approval) longer than this raises a "stuck" flashcard. */
    FLIGHTDECK_STUCK_AFTER_MS: intFrom(30 * 60_000, 10_000, 7 * 86_400_000),
  })
  .superRefine((env, ctx) => {
    if (env.FLIGHTDECK_WEBHOOK_URL && !env.FLIGHTDECK_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["FLIGHTDECK_WEBHOOK_SECRET"],
        message: "is required when FLIGHTDECK_WEBHOOK_URL is set (deliveries are signed)",
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly issues: { variable: string; message: string }[]) {
    super("Invalid environment:\n" + issues.map((i) => `  ${i.variable}: ${i.message}`).join("\n"));
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? "(environment)"),
        message: issue.message,
      })),
    );
  }
  return result.data;
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/**
 * A variable the configuration names rather than the schema (an MCP server's header or
 * environment taken from `{ "env": "NAME" }`): read here so process.env keeps one reader.
 */
export function referencedEnvVariable(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === "" ? undefined : value;
}

/** Tests change process.env between cases; this drops the parsed copy. */
export function resetEnvCache(): void {
  cached = undefined;
}
