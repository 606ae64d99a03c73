import type { z } from "zod";

/** One success answer of an operation: JSON described by a zod schema, or another media type. */
export type ResponseDoc =
  { description: string; schema: z.ZodType } | { description: string; contentType: string; schema?: z.ZodType };

/**
 * What the OpenAPI document (GET /api/openapi.json, lib/openapi) says about one route
 * handler. It sits in the handler's spec so the description is written beside the code
 * it describes; the request schemas come from the spec's own `body` and `query`, so the
 * document and the validation cannot drift apart.
 */
export interface RouteDoc {
  summary: string;
  description?: string;
  tags: readonly string[];
  /** Success answers by status. */
  responses: Readonly<Record<number, ResponseDoc>>;
  /**
   * Error statuses this operation answers besides those the wrapper adds for every route
   * (400 for a bad body, query or path parameter; 401, 403, 429 and 500; 413 and 415 for
   * writes).
   */
  errors?: readonly number[];
  /** Path parameters beyond "a non-empty string", e.g. a numeric sequence number. */
  params?: Readonly<Record<string, { description: string; schema?: z.ZodType }>>;
}
