import { z } from "zod";
import { apiRoute } from "@/lib/http";
import { buildOpenApiDocument, type OpenApiDocument } from "@/lib/openapi";
import { routeModules } from "./route-modules";

export const dynamic = "force-dynamic";

let cached: OpenApiDocument | undefined;

/**
 * The OpenAPI 3.1 description of this API, generated from the specs the handlers enforce
 * (lib/openapi). Public: it describes shapes and permissions, never data, and clients
 * generate code from it before they hold a token.
 */
export const GET = apiRoute(
  {
    permission: "openapi.read",
    doc: {
      summary: "This OpenAPI document",
      description: "The OpenAPI 3.1 description of the Flightdeck API, generated from the route handlers' zod schemas.",
      tags: ["system"],
      responses: {
        200: {
          description: "The document",
          schema: z.looseObject({
            openapi: z.string(),
            info: z.looseObject({}),
            paths: z.record(z.string(), z.unknown()),
          }),
        },
      },
    },
  },
  async () => {
    // The document depends only on the code, so one build per process is enough.
    cached ??= buildOpenApiDocument(
      [...routeModules, { pattern: "/api/openapi.json", module: { GET } }],
      process.env.npm_package_version ?? "0.1.0",
    );
    return Response.json(cached, { headers: { "cache-control": "no-cache" } });
  },
);
