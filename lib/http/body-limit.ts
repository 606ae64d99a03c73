import "server-only";
import { AppError } from "@/lib/errors";

/**
 * Reads a request body into memory only while it stays within `limit` bytes. A declared
 * Content-Length over the limit is refused before a byte is read; a body without one (or
 * one that lies) is counted as it streams and abandoned the moment it passes the limit.
 */
export async function readBodyLimited(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > limit) throw tooLarge(limit);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

export function tooLarge(limit: number): AppError {
  return new AppError("payload_too_large", `Request body exceeds the limit of ${limit} bytes`, { limitBytes: limit });
}
