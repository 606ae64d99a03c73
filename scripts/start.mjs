// `npm start`: install if needed, build if needed, then serve the cockpit on PORT (3000).
import { spawn } from "node:child_process";
import { ensureBuilt, ensureInstalled, root } from "./lib/ensure-build.mjs";

ensureInstalled();
ensureBuilt();

const port = process.env.PORT || "3000";
const server = spawn("npx", ["next", "start", "-p", port], {
  cwd: root,
  stdio: "inherit",
  // Flightdeck handles SIGTERM itself (server/drain.ts): the embedded runtime drains before exit.
  env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", NEXT_MANUAL_SIG_HANDLE: "true" },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
