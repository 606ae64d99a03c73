import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

export interface DiscoveredRoute {
  method: string;
  /** Path pattern as in the app directory, e.g. /api/runs/[id]. */
  pattern: string;
}

const methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** Every route handler under app/api and the HTTP methods its module exports. */
export function discoverApiRoutes(root = path.resolve("app/api")): DiscoveredRoute[] {
  const found: DiscoveredRoute[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry === "route.ts") {
        const source = readFileSync(full, "utf8");
        const pattern = "/api/" + path.relative(root, dir).split(path.sep).join("/");
        for (const method of methods) {
          const exported =
            new RegExp(`export\\s+(const|async function|function)\\s+${method}\\b`).test(source) ||
            new RegExp(`export\\s*\\{[^}]*\\b${method}\\b[^}]*\\}`).test(source);
          if (exported) found.push({ method, pattern: pattern.replace(/\/$/, "") });
        }
      }
    }
  };
  walk(root);
  return found.sort((a, b) => `${a.pattern} ${a.method}`.localeCompare(`${b.pattern} ${b.method}`));
}

const sampleParams: Record<string, string> = { control: "pause", decision: "approve", name: "e2e.unknown-signal" };

/** A concrete URL for a pattern: dynamic segments become ids that do not exist. */
export function sampleUrl(pattern: string): string {
  return pattern.replace(
    /\[(\.\.\.)?([^\]]+)\]/g,
    (_m, _rest: string | undefined, name: string) => sampleParams[name] ?? "e2e-missing-id",
  );
}
