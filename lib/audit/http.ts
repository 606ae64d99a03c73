import "server-only";
import { z } from "zod";
import type { Queryable } from "@/db/client";
import { AppError } from "@/lib/errors";
import { auditKeys } from "./keys";
import { EMPTY_ROOT } from "./merkle";
import { checkpointText, signNote, verifierKey } from "./note";
import { latestCheckpoint } from "./tree-store";

const size = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const inclusionQuerySchema = z.strictObject({ seq: size, treeSize: size.optional() });
export const consistencyQuerySchema = z.strictObject({ from: size, to: size.optional() });

export function parseSeqParam(value: unknown): number {
  const parsed = size.safeParse(value);
  if (!parsed.success) throw new AppError("bad_request", "seq must be a positive integer", { field: "seq" });
  return parsed.data;
}

const textPlain = (body: string) =>
  new Response(body, { headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });

/** The latest checkpoint note; before the first seal, the signed checkpoint of the empty tree. */
export async function checkpointResponse(db: Queryable): Promise<Response> {
  const head = await latestCheckpoint(db);
  if (head) return textPlain(head.note);
  const keys = auditKeys();
  return textPlain(signNote(checkpointText(keys.origin, 0, EMPTY_ROOT), keys.origin, keys.signingKey, keys.publicKey));
}

export function verifierKeyResponse(): Response {
  const keys = auditKeys();
  return textPlain(`${verifierKey(keys.origin, keys.publicKey)}\n`);
}
