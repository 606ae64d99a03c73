// Playwright's webServer: the production build on a fresh embedded database, served by
// Flightdeck's own server (scripts/lib/serve.mjs) exactly as `npm start` does.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureBuilt, root, say } from "./lib/ensure-build.mjs";

await ensureBuilt();

const dataDir = mkdtempSync(path.join(os.tmpdir(), "flightdeck-e2e-"));
// This run's alone: removed when the server exits after draining (Playwright stops it with SIGTERM);
// FLIGHTDECK_E2E_KEEP_DATA=1 keeps it to look into a failure.
if (process.env.FLIGHTDECK_E2E_KEEP_DATA !== "1")
  process.on("exit", () => rmSync(dataDir, { recursive: true, force: true }));
Object.assign(process.env, { NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", FLIGHTDECK_DATA_DIR: dataDir });
// The e2e suite always runs on the embedded database, as a new user would.
delete process.env.DATABASE_URL;
say("info", `e2e: fresh data directory ${dataDir}`);
process.umask(0o077);
const port = Number(process.env.E2E_PORT || "3100");
process.env.PORT = String(port);
const { serve } = await import("./lib/serve.mjs");
await serve({ root, port, host: process.env.HOST || "127.0.0.1" });
