// `npm start`: install if needed, build if needed, then serve the cockpit on PORT (3000),
// listening on 127.0.0.1 unless HOST says otherwise (HOST=0.0.0.0 to listen everywhere).
// Every line it prints — its own, npm's, Next's, the app's — is in one format (lib/log/format.mjs).
import { logSettings } from "../lib/log/format.mjs";

try {
  logSettings();
} catch (error) {
  console.error(`[flightdeck] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

const { ensureBuilt, ensureInstalled, root } = await import("./lib/ensure-build.mjs");
await ensureInstalled();
await ensureBuilt();

Object.assign(process.env, { NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", NEXT_MANUAL_SIG_HANDLE: "true" });
// Flightdeck handles SIGTERM itself (server/drain.ts): the embedded runtime drains before exit.
// Files the server creates (the embedded database, workspaces) are the owner's alone.
process.umask(0o077);
const port = Number(process.env.PORT || "3000");
const host = process.env.HOST || "127.0.0.1";
const { serve } = await import("./lib/serve.mjs");
await serve({ root, port, host });
