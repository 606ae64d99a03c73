import "server-only";
import { z } from "zod";
import { ToolRefusedError, defineTool, type ToolContext } from "../types";
import { hostAllowed } from "./http-allowlist";

const MAX_REDIRECTS = 5;

function checkUrl(raw: string, ctx: ToolContext): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ToolRefusedError(`not a valid URL: ${raw.slice(0, 200)}`, "http.refused", {
      url: raw.slice(0, 500),
      reason: "invalid URL",
    });
  }
  const details = { url: url.href.slice(0, 500), host: url.host };
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ToolRefusedError(`only http and https URLs are allowed`, "http.refused", {
      ...details,
      reason: "scheme",
    });
  }
  if (url.username || url.password) {
    throw new ToolRefusedError(`URLs with credentials are not allowed`, "http.refused", {
      ...details,
      reason: "credentials",
    });
  }
  if (!hostAllowed(url, ctx.httpAllowlist)) {
    throw new ToolRefusedError(
      `host ${url.host} is not in this job's HTTP allowlist (${ctx.httpAllowlist.join(", ") || "empty"})`,
      "http.refused",
      { ...details, reason: "host not allowlisted" },
    );
  }
  return url;
}

async function readCapped(
  response: Response,
  maxBytes: number,
): Promise<{ text: string; bytes: number; truncated: boolean }> {
  if (!response.body) return { text: "", bytes: 0, truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = maxBytes - bytes;
    if (value.byteLength > room) {
      chunks.push(value.subarray(0, room));
      bytes += room;
      truncated = true;
      await reader.cancel();
      break;
    }
    chunks.push(value);
    bytes += value.byteLength;
  }
  return { text: Buffer.concat(chunks).toString("utf8"), bytes, truncated };
}

/**
 * GET/HEAD to allowlisted hosts only. The host is checked before any connection (and again
 * for every redirect hop, which is followed by hand for that reason).
 */
export const httpFetchTool = defineTool({
  name: "http_fetch",
  description: "Fetch a URL with GET or HEAD. Only hosts in the job's HTTP allowlist can be reached.",
  input: z.strictObject({
    url: z.string().min(1).max(2048),
    method: z.enum(["GET", "HEAD"]).optional(),
  }),
  // Reads only: the allowlist, not an approval, is what bounds where it may go.
  sideEffect: "none",
  dataCategories: ["external-web"],
  async execute({ url, method }, ctx) {
    let target = checkUrl(url, ctx);
    for (let hop = 0; ; hop++) {
      // The call's idempotency key, so the other side can deduplicate a call repeated after a crash.
      const response = await fetch(target, {
        method: method ?? "GET",
        redirect: "manual",
        signal: ctx.signal,
        headers: { "Idempotency-Key": ctx.callKey },
      });
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        if (hop >= MAX_REDIRECTS) throw new Error(`too many redirects (more than ${MAX_REDIRECTS})`);
        target = checkUrl(new URL(location, target).href, ctx);
        continue;
      }
      const body = await readCapped(response, ctx.maxOutputBytes);
      return {
        url: target.href,
        status: response.status,
        contentType: response.headers.get("content-type"),
        body: body.truncated ? `${body.text}\n…[body truncated at ${body.bytes} bytes]` : body.text,
        truncated: body.truncated,
      };
    }
  },
});
