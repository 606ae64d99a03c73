import "server-only";
import { EnvError, getEnv } from "@/lib/env";
import { getDatabase } from "@/db/client";
import { MigrationError, runMigrations } from "@/db/migrate";
import { JobDeclarationError, loadJobRegistry } from "@/lib/jobs";
import { isDefaultDemoPassword, listDemoUsers, seedDemoUsers } from "@/lib/auth";
import { checkDeclaredResources } from "@/lib/resources";
import { listJobDefinitions } from "@/lib/jobs";
import { registerAgentExecutor } from "@/lib/agent";
import { startEmbeddedRuntime } from "@/lib/runtime";
import { bootState } from "@/lib/runtime";
import { installPacks } from "@/lib/packs";
import { startMcpServers } from "@/lib/mcp";
import { packs } from "./packs";
import { startAuditSealer, startAuditSearchIndexer } from "@/lib/audit";
import { installDrain } from "./drain";
import { startRetention } from "@/lib/compliance";
import { startTracing } from "@/lib/telemetry";
import { logger } from "@/lib/log";
import { setSimulatedPace, type SimulatedPace } from "@/lib/models";

/** The demo's model: a few seconds a call, one in 60 failing at the "provider" (about one triage run in 12). */
const DEMO_PACE: SimulatedPace = { minMs: 1_500, maxMs: 5_000, failureRate: 1 / 60 };

/**
 * Start-up, in order: validate the environment, open the database, migrate, load the
 * domain packs and the job registry, seed demo users, start the embedded runtime, start the demo. Any
 * failure is printed with what to fix and stops the process: a half-booted cockpit
 * that serves errors is worse than one that refuses to start.
 */
export async function boot(): Promise<void> {
  const started = performance.now();
  const env = getEnv();
  const tracing = startTracing({ role: "web" });
  if (tracing) log("tracing on: spans exported over OTLP");
  const handle = await getDatabase();
  await runMigrations(handle);
  const allJobs = installPacks(packs);
  // Before the job registry: governance compares a job's data categories with its MCP tools' too.
  const mcp = await startMcpServers({ log });
  startAuditSealer(handle); // one sealer at a time across instances: lib/audit/sealer.ts
  startAuditSearchIndexer(handle); // the explorer's free-text index, behind the sealer
  const registry = await loadJobRegistry(handle.db, allJobs);
  // Every resource a job names (endpoint, tool quota, write budget) must be configured.
  checkDeclaredResources(listJobDefinitions());
  log(
    `job registry: ${allJobs.length} declared (${registry.registered.length} new versions, ${registry.removed.length} removed)`,
  );
  const seed = await seedDemoUsers(handle.db);
  const demoUsers = await listDemoUsers(handle.db);
  if (demoUsers.length > 0) {
    const password = isDefaultDemoPassword()
      ? `"${env.FLIGHTDECK_DEMO_PASSWORD}" (default; set FLIGHTDECK_DEMO_PASSWORD to change)`
      : "the value of FLIGHTDECK_DEMO_PASSWORD";
    log(`demo users${seed.seeded ? " created" : ""} — password ${password}:`);
    for (const u of demoUsers) log(`  ${u.email.padEnd(28)} ${u.role}${u.disabled ? " (disabled)" : ""}`);
  }
  const usable = demoUsers.filter((u) => !u.disabled);
  const suggested = usable.find((u) => u.role === "lead") ?? usable[0];
  bootState().demoSignIn = suggested
    ? {
        email: suggested.email,
        // A password someone chose stays out of the log; the default one is in the README anyway.
        password: isDefaultDemoPassword() ? env.FLIGHTDECK_DEMO_PASSWORD : null,
      }
    : null;
  registerAgentExecutor();
  startRetention(handle.db); // daily purge per job retentionDays (lib/compliance/retention.ts); its timer never holds the process
  const state = bootState();
  state.embeddedRuntime = env.FLIGHTDECK_EMBEDDED_RUNTIME;
  // The embedded demo moves like a real deployment (docs/OPERATIONS.md); nothing else is paced.
  const demo = handle.kind === "pglite" && env.FLIGHTDECK_SEED_DEMO;
  const paced = demo && env.FLIGHTDECK_DEMO_PACE;
  if (paced) setSimulatedPace(DEMO_PACE);
  const demoStreams: { stop(): void }[] = [];
  if (env.FLIGHTDECK_EMBEDDED_RUNTIME) {
    const runtime = await startEmbeddedRuntime(handle);
    state.runtimeRunning = true;
    installDrain(async () => {
      for (const stream of demoStreams) stream.stop();
      state.runtimeRunning = false;
      await runtime.stop();
      await mcp.close();
      await tracing?.shutdown();
    });
  } else {
    installDrain(async () => {
      for (const stream of demoStreams) stream.stop();
      await mcp.close();
      await tracing?.shutdown();
    });
  }
  // The packs' demo data gives a fresh embedded install runs to watch within a minute.
  if (demo) {
    for (const pack of packs) {
      const demoRuns = await pack.startDemo?.(handle.db);
      if (demoRuns && demoRuns.runIds.length > 0) log(`${pack.name} demo: ${demoRuns.runIds.length} runs started`);
      const stream = paced
        ? pack.demoTrickle?.(handle.db, (error) => log(`${pack.name} demo: ${String(error)}`))
        : undefined;
      if (stream) demoStreams.push(stream);
    }
    if (paced)
      log(
        "demo pace on: new tickets every few seconds, model calls of 1.5–5 s (FLIGHTDECK_DEMO_PACE=false for instant answers)",
      );
  }
  state.bootMs = Math.round(performance.now() - started);
  log(
    `booted on ${handle.kind === "pglite" ? `embedded PGlite (${env.FLIGHTDECK_DATA_DIR})` : "Postgres"} in ${state.bootMs} ms`,
  );
}

export async function bootOrExit(): Promise<void> {
  try {
    await boot();
  } catch (error) {
    if (error instanceof EnvError || error instanceof MigrationError || error instanceof JobDeclarationError) {
      logger("error", error.message);
    } else {
      logger("error", "start-up failed", { error: error instanceof Error ? (error.stack ?? error.message) : error });
    }
    process.exit(1);
  }
}

function log(message: string): void {
  logger("info", message);
}
