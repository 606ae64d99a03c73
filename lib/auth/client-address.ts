import "server-only";
import { BlockList, isIP } from "node:net";
import { getEnv } from "@/lib/env";

/**
 * The header Flightdeck's own HTTP server (scripts/start.mjs, scripts/e2e-server.mjs)
 * sets on every request to the TCP peer's address, overwriting whatever the client sent.
 * Next.js 16 route handlers cannot see the socket (NextRequest has no `ip`, and `next
 * start` only fills X-Forwarded-For when the client did not send one, so that header is
 * whatever the client says).
 */
export const peerAddressHeader = "x-flightdeck-peer";

function normalize(address: string | null | undefined): string | null {
  if (!address) return null;
  let a = address.trim();
  if (a.startsWith("[") && a.endsWith("]")) a = a.slice(1, -1);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  if (mapped?.[1]) a = mapped[1];
  return isIP(a) === 0 ? null : a.toLowerCase();
}

let cachedSpec: string | undefined;
let cachedList: BlockList | null = null;

/** FLIGHTDECK_TRUSTED_PROXIES: comma-separated addresses or CIDR ranges (IPv4/IPv6). */
export function parseTrustedProxies(spec: string | undefined): BlockList | null {
  if (!spec || spec.trim() === "") return null;
  const list = new BlockList();
  for (const raw of spec.split(",")) {
    const entry = raw.trim();
    if (entry === "") continue;
    const [address, bits] = entry.split("/");
    const ip = normalize(address);
    if (!ip) throw new Error(`FLIGHTDECK_TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range`);
    const family = isIP(ip) === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(ip, family);
    else list.addSubnet(ip, Number(bits), family);
  }
  return list;
}

function trustedProxies(): BlockList | null {
  const spec = getEnv().FLIGHTDECK_TRUSTED_PROXIES;
  if (spec !== cachedSpec) {
    cachedList = parseTrustedProxies(spec);
    cachedSpec = spec;
  }
  return cachedList;
}

function isTrusted(list: BlockList, ip: string): boolean {
  return list.check(ip, isIP(ip) === 6 ? "ipv6" : "ipv4");
}

/**
 * The caller's address for rate limits and the audit trail. The TCP peer, unless the peer
 * is a configured trusted proxy: then X-Forwarded-For is read from the right, skipping
 * trusted proxies, and the first address no trusted proxy vouches for is the client.
 * Without FLIGHTDECK_TRUSTED_PROXIES no forwarded header is believed. "unknown" when the
 * request did not come through Flightdeck's server (e.g. `next dev`).
 */
export function clientAddress(headers: Headers): string {
  const peer = normalize(headers.get(peerAddressHeader));
  if (!peer) return "unknown";
  const list = trustedProxies();
  if (!list || !isTrusted(list, peer)) return peer;
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter((h) => h !== "");
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalize(hops[i]);
    if (!hop) return peer; // a hop that is not an address: stop believing the chain here
    if (!isTrusted(list, hop)) return hop;
  }
  return peer;
}
