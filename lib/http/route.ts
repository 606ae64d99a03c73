import "server-only";
import type { NextRequest } from "next/server";
import type { z } from "zod";
import { AppError, isAppError } from "@/lib/errors";
import { authorizeRequest } from "@/lib/auth/dal";
import type { Permission } from "@/lib/auth/policy";
import type { Principal } from "@/lib/audit";

type Params = Record<string, string | string[] | undefined>;

interface RouteSpec<B extends z.ZodType | undefined, Q extends z.ZodType | undefined> {
  permission: Permission;
  body?: B;
  query?: Q;
}

interface RouteInput<B, Q> {
  request: NextRequest;
  principal: Principal;
  params: Params;
  body: B;
  query: Q;
}

type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

/**
 * Wraps a route handler: resolves and authorizes the caller, validates the JSON body
 * and query string (400 with zod issues), awaits params, and maps errors to JSON
 * without leaking internals. Handlers return a Response or a JSON-able value (200).
 */
export function apiRoute<B extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined>(
  spec: RouteSpec<B, Q>,
  handler: (input: RouteInput<Infer<B>, Infer<Q>>) => Promise<Response | unknown>,
) {
  return async (request: NextRequest, context: { params: Promise<Params> }): Promise<Response> => {
    try {
      const principal = await authorizeRequest(request.headers, spec.permission);
      const params = (await context?.params) ?? {};
      let body: unknown = undefined;
      if (spec.body) {
        let raw: unknown;
        try {
          const text = await request.text();
          raw = text.trim() === "" ? {} : JSON.parse(text);
        } catch {
          throw new AppError("bad_request", "Request body is not valid JSON");
        }
        const parsed = spec.body.safeParse(raw);
        if (!parsed.success) throw AppError.validation(parsed.error, "request body");
        body = parsed.data;
      }
      let query: unknown = undefined;
      if (spec.query) {
        const parsed = spec.query.safeParse(Object.fromEntries(request.nextUrl.searchParams));
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
}

function errorResponse(error: unknown): Response {
  if (isAppError(error)) {
    // Rate limits (lib/auth/rate-limit.ts) say when to come back in the standard header.
    const retryAfter = error.details?.retryAfterSeconds;
    return Response.json(
      { error: { code: error.code, message: error.message, ...error.details } },
      { status: error.status, headers: typeof retryAfter === "number" ? { "Retry-After": String(retryAfter) } : undefined },
    );
  }
  console.error("[flightdeck] unhandled route error", error);
  return Response.json({ error: { code: "internal", message: "Internal error" } }, { status: 500 });
}
