import "server-only";
import { z } from "zod";
import { policy, type Permission } from "@/lib/auth/policy";
import { errorResponseSchema } from "@/lib/errors";
import type { ApiHandler, DescribedSpec, ResponseDoc } from "@/lib/http";

/** A route module as the app directory holds it, with its path pattern (e.g. /api/runs/[id]). */
export interface RouteModuleEntry {
  pattern: string;
  module: Readonly<Record<string, unknown>>;
}

type JsonSchema = Record<string, unknown>;
type Operation = Record<string, unknown>;

export const httpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
const bodiless = new Set<string>(["GET", "DELETE"]);

/** The extension that names an operation's permission (lib/auth/policy.ts) and who holds it. */
export const permissionExtension = "x-flightdeck-permission";

export function isApiHandler(value: unknown): value is ApiHandler {
  return typeof value === "function" && "spec" in value && typeof value.spec === "object" && value.spec !== null;
}

/** /api/runs/[id]/workspace/[...path] → /api/runs/{id}/workspace/{path}. */
export function openApiPath(pattern: string): string {
  return pattern.replace(/\[(?:\.\.\.)?([^\]]+)\]/g, "{$1}");
}

function pathParamNames(pattern: string): { name: string; rest: boolean }[] {
  return [...pattern.matchAll(/\[(\.\.\.)?([^\]]+)\]/g)].map((m) => ({ name: m[2] ?? "", rest: m[1] !== undefined }));
}

/** A stable operationId from method and path: GET /api/runs/[id]/lineage → getRunsIdLineage. */
export function operationId(method: string, pattern: string): string {
  const words = pattern
    .replace(/^\/api\//, "")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1));
  return method.toLowerCase() + words.join("");
}

/** zod → JSON Schema 2020-12 (OpenAPI 3.1's dialect), without the per-document $schema key. */
function toJsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    // Transforms (e.g. "true" → true) have no JSON Schema; their input side is what callers send.
    unrepresentable: "any",
    reused: "inline",
    cycles: "ref",
  });
  return rest;
}

function permissionText(permission: Permission): string {
  const rule: "public" | readonly string[] = policy[permission];
  return rule === "public" ? "public (no sign-in)" : `roles: ${rule.join(", ")}`;
}

const errorDescriptions: Record<number, string> = {
  400: "Invalid input: the body, query or a path parameter failed validation (`issues` says where)",
  401: "No valid session cookie or bearer token (public routes: an invalid bearer token)",
  403: "The caller's role or token scope lacks the permission, or a cross-site cookie request",
  404: "Not found",
  409: "Conflict with the resource's current state",
  413: "The body is over the limit",
  415: "A cookie-authenticated request whose body is not declared as JSON",
  429: "Too many requests, e.g. invalid tokens from this client (Retry-After says when to come back)",
  500: "Internal error (details are logged, never returned)",
  503: "Unavailable",
};

function errorResponse(status: number): Record<string, unknown> {
  return {
    description: errorDescriptions[status] ?? "Error",
    content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
  };
}

/**
 * components.schemas. A schema's own $defs (sub-schemas with a registered id, recursive
 * ones) would resolve against the document root inside OpenAPI, so they move up here and
 * their references follow.
 */
class Components {
  readonly schemas: Record<string, JsonSchema> = {};

  /** A JSON Schema for `schema` whose references all point into components.schemas. */
  inline(schema: z.ZodType, io: "input" | "output", owner: string): JsonSchema {
    const { $defs, ...rest } = toJsonSchema(schema, io);
    const defs = ($defs ?? {}) as Record<string, JsonSchema>;
    // Generated names (__schema0) are unique only within one conversion.
    const rename = (key: string) => (key.startsWith("__") ? `${owner}${key}` : key);
    const rewrite = (value: JsonSchema): JsonSchema =>
      JSON.parse(
        JSON.stringify(value).replace(/"\$ref":"#(?:\/\$defs\/([^"]*))?"/g, (_m, key: string | undefined) =>
          key === undefined ? `"$ref":"#/components/schemas/${owner}"` : `"$ref":"#/components/schemas/${rename(key)}"`,
        ),
      ) as JsonSchema;
    for (const [key, def] of Object.entries(defs)) this.schemas[rename(key)] = rewrite(def);
    return rewrite(rest);
  }

  add(name: string, schema: z.ZodType, io: "input" | "output"): { $ref: string } {
    this.schemas[name] = this.inline(schema, io, name);
    return { $ref: `#/components/schemas/${name}` };
  }
}

function queryParameters(spec: DescribedSpec, components: Components, id: string): Record<string, unknown>[] {
  if (!spec.query) return [];
  const schema = components.inline(spec.query, "input", `${id}Query`);
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: "query",
      required: required.has(name),
      ...(typeof description === "string" ? { description } : {}),
      schema: rest,
    };
  });
}

function pathParameters(
  pattern: string,
  spec: DescribedSpec,
  components: Components,
  id: string,
): Record<string, unknown>[] {
  return pathParamNames(pattern).map(({ name, rest }) => {
    const declared = spec.doc.params?.[name];
    const schema = declared?.schema
      ? components.inline(declared.schema, "input", `${id}Param`)
      : { type: "string", minLength: 1 };
    const description =
      declared?.description ?? (rest ? "One or more path segments (slashes are part of the value)" : undefined);
    return { name, in: "path", required: true, ...(description ? { description } : {}), schema };
  });
}

function successResponse(doc: ResponseDoc, components: Components, name: string): Record<string, unknown> {
  if ("contentType" in doc) {
    const schema = doc.schema ? components.inline(doc.schema, "output", name) : { type: "string" };
    return { description: doc.description, content: { [doc.contentType]: { schema } } };
  }
  return {
    description: doc.description,
    content: { "application/json": { schema: components.add(name, doc.schema, "output") } },
  };
}

function describeOperation(
  method: string,
  pattern: string,
  spec: DescribedSpec,
  components: Components,
): Record<string, unknown> {
  const id = operationId(method, pattern);
  const isPublic = policy[spec.permission] === "public";
  const responses: Record<string, unknown> = {};
  for (const [status, doc] of Object.entries(spec.doc.responses)) {
    responses[status] = successResponse(doc, components, `${id}Response${status}`);
  }
  const errors = new Set<number>(spec.doc.errors ?? []);
  if (spec.body || spec.query || pathParamNames(pattern).length > 0) errors.add(400);
  // Public routes too: a bad or rate-limited bearer token is refused before the permission,
  // and a scoped token (metrics) may do nothing but its scope.
  [401, 403, 429, 500].forEach((s) => errors.add(s));
  // Writes: the body limit, and a cookie-authenticated body must be JSON (lib/http/csrf.ts).
  if (!bodiless.has(method)) [413, 415].forEach((s) => errors.add(s));
  for (const status of [...errors].sort((a, b) => a - b)) responses[String(status)] = errorResponse(status);

  const operation: Operation = {
    operationId: id,
    summary: spec.doc.summary,
    ...(spec.doc.description ? { description: spec.doc.description } : {}),
    tags: [...spec.doc.tags],
    [permissionExtension]: { name: spec.permission, allowed: permissionText(spec.permission) },
    // Public routes accept anonymous callers; the others take either credential.
    security: isPublic ? [{}, { bearerAuth: [] }, { sessionCookie: [] }] : [{ bearerAuth: [] }, { sessionCookie: [] }],
    responses,
  };
  const parameters = [...pathParameters(pattern, spec, components, id), ...queryParameters(spec, components, id)];
  if (parameters.length > 0) operation.parameters = parameters;
  if (spec.body) {
    operation.requestBody = {
      required: true,
      content: { "application/json": { schema: components.add(`${id}Body`, spec.body, "input") } },
    };
  }
  return operation;
}

export interface OpenApiDocument {
  openapi: string;
  info: Record<string, unknown>;
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * The OpenAPI 3.1 document of the given route modules: every exported handler that
 * apiRoute() made, described from the spec it enforces (permission, body and query
 * schemas) and the doc its route file declares beside it.
 */
export function buildOpenApiDocument(routes: readonly RouteModuleEntry[], version: string): OpenApiDocument {
  const components = new Components();
  components.add("Error", errorResponseSchema, "output");
  const paths: OpenApiDocument["paths"] = {};
  for (const { pattern, module } of [...routes].sort((a, b) => a.pattern.localeCompare(b.pattern))) {
    for (const method of httpMethods) {
      const handler = module[method];
      if (!isApiHandler(handler)) continue;
      const path = openApiPath(pattern);
      paths[path] = {
        ...paths[path],
        [method.toLowerCase()]: describeOperation(method, pattern, handler.spec, components),
      };
    }
  }
  return {
    openapi: "3.1.1",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "Flightdeck API",
      version,
      description:
        "The HTTP API of Flightdeck, a runtime for AI-agent jobs. Generated from the zod schemas the route handlers " +
        "validate with (lib/openapi). Each operation names its permission in `x-flightdeck-permission` " +
        "(lib/auth/policy.ts). Errors share one shape: `{ error: { code, message, issues? } }`.",
    },
    servers: [{ url: "/" }],
    tags: [...new Set(Object.values(paths).flatMap((ops) => Object.values(ops).flatMap((op) => op.tags as string[])))]
      .sort()
      .map((name) => ({ name })),
    paths,
    components: {
      schemas: components.schemas,
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          description: "An API token (`Authorization: Bearer fd_…`), made under Settings → API tokens",
        },
        sessionCookie: {
          type: "apiKey",
          in: "cookie",
          name: "better-auth.session_token",
          description: "The cockpit's session cookie (`__Secure-` prefixed over https); writes also need same-origin",
        },
      },
    },
  };
}
