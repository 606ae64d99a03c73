import { z } from "zod";
import { getDb } from "@/db/client";
import { AppError } from "@/lib/errors";
import { apiRoute } from "@/lib/http";
import { entityPage, getCollection, parseEntity, MalformedEntityError } from "@/lib/memory";

export const dynamic = "force-dynamic";

/**
 * GET /api/memory/{collection}/{key}: the entity (value, version) and its history, newest
 * first — each write with its run, turn, tool call, job version and authorization.
 */
export const GET = apiRoute(
  {
    permission: "memory.read",
    doc: {
      summary: "One shared-memory entity",
      description:
        "Its value, version and history, newest first: each write with its run, turn, tool call, job version and authorization.",
      tags: ["memory"],
      responses: {
        200: {
          description: "The entity",
          schema: z.object({
            entity: z.string(),
            collection: z.string(),
            key: z.string(),
            exists: z.boolean(),
            value: z.unknown(),
            version: z.number(),
            updatedAt: z.string().nullable(),
            history: z.array(z.looseObject({})),
          }),
        },
      },
      errors: [404],
    },
  },
  async ({ params }) => {
    const entity = `${decode(String(params.collection))}/${decode(String(params.key))}`;
    let ref;
    try {
      ref = parseEntity(entity);
    } catch (error) {
      if (error instanceof MalformedEntityError) throw new AppError("bad_request", error.message, { field: "entity" });
      throw error;
    }
    if (!getCollection(ref.collection)) throw new AppError("not_found", `Unknown collection ${ref.collection}`);
    const page = await entityPage(await getDb(), ref);
    if (!page) throw new AppError("not_found", `Entity ${entity} has never been written`);
    return Response.json(page, { headers: { "cache-control": "no-store" } });
  },
);

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
