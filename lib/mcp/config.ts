import "server-only";
import { readFileSync } from "node:fs";
import { z } from "zod";
import { EnvError, referencedEnvVariable, type Env } from "@/lib/env";
import { sideEffects, type SideEffect } from "@/lib/tools";
import { mcpServerNamePattern, mcpToolNamePattern } from "@/lib/utils";

/**
 * MCP servers whose tools become gateway tools (documented in docs/INTEGRATIONS.md):
 * FLIGHTDECK_MCP_SERVERS (JSON) and/or the JSON file at FLIGHTDECK_MCP_CONFIG, both
 * `{ "<server>": { … } }`. Every problem is reported at start-up as
 * `<variable>: <server>.<field>: <message>` so the operator knows what to fix.
 */
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name");

/** A literal value, or one read from an environment variable at start-up (secrets stay out of the JSON). */
const configValue = z.union([z.string(), z.strictObject({ env: envName, prefix: z.string().optional() })]);

const dataCategories = z.array(z.string().trim().min(1));
const timeoutMs = z.number().int().min(100).max(600_000);

const toolSettings = z.strictObject({
  sideEffect: z.enum(sideEffects).optional(),
  dataCategories: dataCategories.optional(),
  timeoutMs: timeoutMs.optional(),
});

const serverSchema = z
  .strictObject({
    /** stdio: the command to start, its arguments, environment and working directory. */
    command: z.string().min(1).optional(),
    args: z.array(z.string()).optional(),
    env: z.record(envName, configValue).optional(),
    cwd: z.string().min(1).optional(),
    /** Streamable HTTP: the endpoint and request headers. */
    url: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).optional(),
    headers: z.record(z.string().min(1), configValue).optional(),
    /** What every tool of this server does, unless `tools` says otherwise; unknown: external (approval applies). */
    sideEffect: z.enum(sideEffects).optional(),
    /** Governance: the data categories the server's tools touch (compared with the job's declaration). */
    dataCategories,
    /** Per-call timeout; default FLIGHTDECK_TOOL_TIMEOUT_MS. */
    timeoutMs: timeoutMs.optional(),
    /** How long connecting and listing tools may take before the server counts as down. */
    connectTimeoutMs: z.number().int().min(100).max(120_000).optional(),
    /** Per-tool overrides, by the tool's name on the server. */
    tools: z.record(z.string().regex(mcpToolNamePattern, "must be an MCP tool name"), toolSettings).optional(),
  })
  .superRefine((s, ctx) => {
    if (!s.command === !s.url) {
      ctx.addIssue({
        code: "custom",
        path: s.url ? ["url"] : ["command"],
        message: "give either command (stdio) or url (Streamable HTTP), not both or neither",
      });
    }
    const stdioOnly = ["args", "env", "cwd"] as const;
    if (s.url) {
      for (const field of stdioOnly)
        if (s[field] !== undefined)
          ctx.addIssue({ code: "custom", path: [field], message: "only for a stdio server (command)" });
    }
    if (s.command && s.headers !== undefined) {
      ctx.addIssue({ code: "custom", path: ["headers"], message: "only for an HTTP server (url)" });
    }
  });

const serversSchema = z.record(
  z.string().regex(mcpServerNamePattern, "server names are lower-case [a-z0-9_-], at most 32 characters, no ':'"),
  serverSchema,
);

/** zod reports a bad record key only as "Invalid key in record"; the key's own message says what a valid one is. */
function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_key") return issue.issues.map((i) => i.message).join("; ") || issue.message;
  return issue.message;
}

export type McpServerSettings = z.output<typeof serverSchema>;
export type McpToolSettings = z.output<typeof toolSettings>;

interface ServerBase {
  name: string;
  sideEffect: SideEffect;
  dataCategories: readonly string[];
  timeoutMs?: number;
  connectTimeoutMs: number;
  tools: Readonly<Record<string, McpToolSettings>>;
}

export type McpServerConfig = ServerBase &
  (
    | { transport: "stdio"; command: string; args: readonly string[]; env: Record<string, string>; cwd?: string }
    | { transport: "http"; url: string; headers: Record<string, string> }
  );

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

type Issue = { variable: string; message: string };

function parseJson(variable: string, raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch (error) {
    throw new EnvError([{ variable, message: `not valid JSON (${(error as Error).message})` }]);
  }
}

function resolveValues(
  variable: string,
  server: string,
  field: string,
  values: Record<string, z.output<typeof configValue>> | undefined,
  issues: Issue[],
  secrets: string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values ?? {})) {
    if (typeof value === "string") {
      out[key] = value;
      continue;
    }
    const found = referencedEnvVariable(value.env);
    if (found === undefined) {
      issues.push({ variable, message: `${server}.${field}.${key}: environment variable ${value.env} is not set` });
      continue;
    }
    // A value taken from the environment is a secret: the gateway's redactor hides it.
    secrets.push(found);
    out[key] = `${value.prefix ?? ""}${found}`;
  }
  return out;
}

/** Parses one source (the variable's JSON, or the file's); throws EnvError naming the server and field. */
export function parseMcpServers(variable: string, raw: string): { servers: McpServerConfig[]; secrets: string[] } {
  const parsed = serversSchema.safeParse(parseJson(variable, raw));
  if (!parsed.success) {
    throw new EnvError(
      parsed.error.issues.map((i) => ({
        variable,
        message: `${i.path.map(String).join(".") || "(root)"}: ${issueMessage(i)}`,
      })),
    );
  }
  const issues: Issue[] = [];
  const secrets: string[] = [];
  const servers = Object.entries(parsed.data).map(([name, s]): McpServerConfig => {
    const base: ServerBase = {
      name,
      sideEffect: s.sideEffect ?? "external",
      dataCategories: s.dataCategories,
      ...(s.timeoutMs !== undefined ? { timeoutMs: s.timeoutMs } : {}),
      connectTimeoutMs: s.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      tools: s.tools ?? {},
    };
    if (s.url) {
      return {
        ...base,
        transport: "http",
        url: s.url,
        headers: resolveValues(variable, name, "headers", s.headers, issues, secrets),
      };
    }
    return {
      ...base,
      transport: "stdio",
      command: s.command ?? "",
      args: s.args ?? [],
      env: resolveValues(variable, name, "env", s.env, issues, secrets),
      ...(s.cwd ? { cwd: s.cwd } : {}),
    };
  });
  if (issues.length > 0) throw new EnvError(issues);
  return { servers, secrets };
}

/**
 * The configured servers: the file's (FLIGHTDECK_MCP_CONFIG) and the variable's
 * (FLIGHTDECK_MCP_SERVERS). A name in both is an error rather than a silent override.
 */
export function loadMcpConfig(env: Env): { servers: McpServerConfig[]; secrets: string[] } {
  const sources: { variable: string; raw: string }[] = [];
  if (env.FLIGHTDECK_MCP_CONFIG) {
    let raw: string;
    try {
      raw = readFileSync(env.FLIGHTDECK_MCP_CONFIG, "utf8");
    } catch (error) {
      throw new EnvError([
        {
          variable: "FLIGHTDECK_MCP_CONFIG",
          message: `cannot read ${env.FLIGHTDECK_MCP_CONFIG} (${(error as Error).message})`,
        },
      ]);
    }
    sources.push({ variable: "FLIGHTDECK_MCP_CONFIG", raw });
  }
  if (env.FLIGHTDECK_MCP_SERVERS) sources.push({ variable: "FLIGHTDECK_MCP_SERVERS", raw: env.FLIGHTDECK_MCP_SERVERS });
  const servers: McpServerConfig[] = [];
  const secrets: string[] = [];
  const seen = new Set<string>();
  for (const source of sources) {
    const parsed = parseMcpServers(source.variable, source.raw);
    for (const server of parsed.servers) {
      if (seen.has(server.name)) {
        throw new EnvError([
          { variable: source.variable, message: `${server.name}: server is also configured in FLIGHTDECK_MCP_CONFIG` },
        ]);
      }
      seen.add(server.name);
      servers.push(server);
    }
    secrets.push(...parsed.secrets);
  }
  return { servers, secrets };
}
