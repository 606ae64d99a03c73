// Playwright's webServer: the production build on a fresh embedded database.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureBuilt, root } from "./lib/ensure-build.mjs";

ensureBuilt();

const dataDir = mkdtempSync(path.join(os.tmpdir(), "flightdeck-e2e-"));
const env = { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", FLIGHTDECK_DATA_DIR: dataDir };
// The e2e suite always runs on the embedded database, as a new user would.
delete env.DATABASE_URL;
console.log(`[e2e] fresh data directory ${dataDir}`);
const server = spawn("npx", ["next", "start", "-p", process.env.E2E_PORT || "3100"], { cwd: root, stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
