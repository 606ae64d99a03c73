// `npm start`: install if needed, build if needed, then serve the cockpit on PORT (3000),
// listening on 127.0.0.1 unless HOST says otherwise (HOST=0.0.0.0 to listen everywhere).
// Every line it prints — its own, npm's, Next's, the app's — is in one format (lib/log/format.mjs), and the
// last start-up line, printed once the server answers, is the URL to open and the demo sign-in.
import { logSettings } from "../lib/log/format.mjs";

try {
  logSettings();
} catch (error) {
  console.error(`[flightdeck] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

const { ensureBuilt, ensureInstalled, root, say } = await import("./lib/ensure-build.mjs");
say("info", "npm start: 1/3 install, 2/3 build, 3/3 start — each only when needed");
await ensureInstalled({ step: "1/3 " });
await ensureBuilt({ step: "2/3 " });

Object.assign(process.env, { NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", NEXT_MANUAL_SIG_HANDLE: "true" });
// Flightdeck handles SIGTERM itself (server/drain.ts): the embedded runtime drains before exit.
// Files the server creates (the embedded database, workspaces) are the owner's alone.
process.umask(0o077);
const port = Number(process.env.PORT || "3000");
const host = process.env.HOST || "127.0.0.1";
say("info", `3/3 starting the server on ${host}:${port} (database, migrations, jobs, demo)…`);
const { serve } = await import("./lib/serve.mjs");
await serve({ root, port, host });
