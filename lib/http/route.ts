import "server-only";
import { NextRequest } from "next/server";
import type { z } from "zod";
import { AppError, isAppError } from "@/lib/errors";
import { sanitizeError } from "@/lib/errors/sanitize";
import { logger } from "@/lib/log";
import { authorize } from "@/lib/auth/dal";
import type { Permission } from "@/lib/auth/policy";
import type { Principal } from "@/lib/audit";
import { resolvePrincipal } from "@/lib/auth/resolve-principal";
import { getEnv } from "@/lib/env";
import { readBodyLimited, tooLarge } from "./body-limit";
import { assertSameOriginJson } from "./csrf";
import { assertStorable, parseJsonBody } from "./json-body";
import { isStorableText } from "@/lib/text/storable";
import type { RouteDoc } from "./route-doc";

type Params = Record<string, string | string[] | undefined>;

export interface RouteSpec<B extends z.ZodType | undefined, Q extends z.ZodType | undefined> {
  permission: Permission;
  body?: B;
  query?: Q;
  /** Its OpenAPI description (lib/http/route-doc.ts); required so no route goes undocumented. */
  doc: RouteDoc;
  /** A larger body limit for this route (e.g. a signal's declared limit); default FLIGHTDECK_MAX_BODY_BYTES. */
  maxBodyBytes?: (params: Params) => number;
}

interface RouteInput<B, Q> {
  request: NextRequest;
  principal: Principal;
  params: Params;
  body: B;
  query: Q;
}

/** What the OpenAPI generator reads off a handler apiRoute() made. */
export type DescribedSpec = RouteSpec<z.ZodType | undefined, z.ZodType | undefined>;
export type ApiHandler = ((incoming: NextRequest, context: { params: Promise<Params> }) => Promise<Response>) & {
  readonly spec: DescribedSpec;
};

type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

const bodiless = new Set(["GET", "HEAD", "OPTIONS"]);

function declaredLength(request: Request): number | null {
  const value = request.headers.get("content-length");
  return value !== null && /^\d+$/.test(value.trim()) ? Number(value) : null;
}

/** Path ids must be storable text; Next already answers 400 for escapes that do not decode. */
function checkParams(params: Params): void {
  for (const [name, value] of Object.entries(params)) {
    const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
    if (values.some((v) => !isStorableText(v))) {
      throw new AppError("bad_request", `Invalid path parameter "${name}"`, {
        issues: [
          {
            code: "invalid_string",
            path: [name],
            message: "Text must not contain NUL characters or unpaired surrogates",
          },
        ],
      });
    }
  }
}

/**
 * Wraps a route handler: refuses an oversized body (413, by Content-Length before
 * anything else, then by counting the stream), resolves and authorizes the caller,
 * refuses cross-site cookie requests (lib/http/csrf.ts), validates the JSON body and
 * query string (400 with zod issues; storable text only, bounded depth), awaits params,
 * and maps errors to JSON without leaking internals. Handlers return a Response or a
 * JSON-able value (200). Handlers without a body schema get the request with its body
 * already read (within the limit), so they cannot be made to read more.
 */
export function apiRoute<B extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined>(
  spec: RouteSpec<B, Q>,
  handler: (input: RouteInput<Infer<B>, Infer<Q>>) => Promise<Response | unknown>,
): ApiHandler {
  const handle = async (incoming: NextRequest, context: { params: Promise<Params> }): Promise<Response> => {
    try {
      const params = (await context?.params) ?? {};
      const method = incoming.method.toUpperCase();
      const limit = spec.maxBodyBytes ? spec.maxBodyBytes(params) : getEnv().FLIGHTDECK_MAX_BODY_BYTES;
      const length = declaredLength(incoming);
      if (!bodiless.has(method) && length !== null && length > limit) throw tooLarge(limit);
      checkParams(params);

      const principal = await resolvePrincipal(incoming.headers);
      authorize(principal, spec.permission);
      if (principal.kind === "user") assertSameOriginJson(incoming);

      let request = incoming;
      let bytes: Uint8Array<ArrayBuffer> | null = null;
      if (!bodiless.has(method)) {
        bytes = await readBodyLimited(incoming, limit);
        request = new NextRequest(incoming.url, {
          method,
          headers: incoming.headers,
          body: bytes.byteLength > 0 ? bytes : undefined,
        });
      }
      let body: unknown = undefined;
      if (spec.body) {
        const raw = parseJsonBody(bytes ?? new Uint8Array(0));
        const parsed = spec.body.safeParse(raw);
        if (!parsed.success) throw AppError.validation(parsed.error, "request body");
        body = parsed.data;
      }
      let query: unknown = undefined;
      if (spec.query) {
        const raw = Object.fromEntries(request.nextUrl.searchParams);
        assertStorable(raw, "query");
        const parsed = spec.query.safeParse(raw);
        if (!parsed.success) throw AppError.validation(parsed.error, "query");
        query = parsed.data;
      }
      const result = await handler({
        request,
        principal,
        params,
        body: body as Infer<B>,
        query: query as Infer<Q>,
      });
      return result instanceof Response ? result : Response.json(result);
    } catch (error) {
      return errorResponse(error);
    }
  };
  // The spec rides on the handler so the OpenAPI generator describes exactly what is enforced.
  return Object.assign(handle, { spec: spec as DescribedSpec });
}

function errorResponse(error: unknown): Response {
  if (isAppError(error)) {
    // Rate limits (lib/auth/rate-limit.ts) say when to come back in the standard header.
    const retryAfter = error.details?.retryAfterSeconds;
    return Response.json(
      { error: { code: error.code, message: error.message, ...error.details } },
      {
        status: error.status,
        headers: typeof retryAfter === "number" ? { "Retry-After": String(retryAfter) } : undefined,
      },
    );
  }
  logger("error", "unhandled route error", { error: sanitizeError(error) });
  return Response.json({ error: { code: "internal", message: "Internal error" } }, { status: 500 });
}
