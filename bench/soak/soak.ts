/**
 * Soak: a steady load of agent runs (workspace write + two loopback HTTP effects each) on
 * Postgres for a fixed time, with two `npm run worker`-style processes, sampling every
 * process's resident memory. Prints one JSON line of figures.
 *
 *   npx tsx --conditions=react-server bench/soak/soak.ts --minutes=10 --rate=4
 *   npm run bench:soak:smoke    (20 seconds)
 *
 * DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres; a scratch database
 * `i11_soak_<hex>` is created and dropped.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { inArray } from "drizzle-orm";
import { runs } from "@/db/schema";
import { installJobs, newRun } from "@/tests/helpers/agent-fixtures";
import { faultJobs, EFFECTS_JOB } from "@/tests/faults/fixtures/fault-jobs";
import { killAll, spawnWorker } from "@/tests/runtime/processes";
import { withScratchDatabase } from "../scratch-database";

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const minutes = arg("minutes", 10);
const rate = arg("rate", 4);
const serverUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

function rssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8")
      .split("\n")
      .find((l) => l.startsWith("VmRSS:"));
    return line ? Math.round(Number(line.replace(/\D+/g, "")) / 1024) : null;
  } catch {
    return null;
  }
}

const effects = new Map<string, number>();
const sink = createServer((req, res) => {
  const key = String(req.headers["idempotency-key"]);
  effects.set(key, (effects.get(key) ?? 0) + 1);
  res.end("ok");
});
await new Promise<void>((r) => sink.listen(0, "127.0.0.1", r));
const port = (sink.address() as AddressInfo).port;

await withScratchDatabase(serverUrl, { prefix: "i11_soak", poolSize: 4 }, async (handle, url) => {
  await installJobs(handle.db, faultJobs(port));
  const workers = ["soak-a", "soak-b"].map((id) =>
    spawnWorker(
      url,
      id,
      { "lease-ms": 10_000, "poll-ms": 500, concurrency: 4 },
      { script: "tests/faults/fixtures/agent-worker.ts", env: { FAULT_SINK_PORT: String(port) } },
    ),
  );
  await Promise.all(workers.map((w) => w.waitForLine((l) => l.msg === "worker started", 60_000)));
  const samples: Record<string, (number | null)[]> = { bench: [], "soak-a": [], "soak-b": [] };
  const sample = () => {
    samples.bench?.push(rssMb(process.pid));
    for (const w of workers) samples[w.id]?.push(rssMb(w.child.pid));
  };
  const ids: string[] = [];
  const started = Date.now();
  const end = started + minutes * 60_000;
  let nextSample = started;
  while (Date.now() < end) {
    ids.push(await newRun(handle.db, EFFECTS_JOB));
    if (Date.now() >= nextSample) {
      sample();
      nextSample += Math.max(5_000, (minutes * 60_000) / 20);
    }
    await new Promise((r) => setTimeout(r, 1000 / rate));
  }
  const drainUntil = Date.now() + 60_000;
  let states: { state: string }[] = [];
  while (Date.now() < drainUntil) {
    states = await handle.db.select({ state: runs.state }).from(runs).where(inArray(runs.id, ids));
    if (states.every((s) => s.state === "succeeded" || s.state === "failed")) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  sample();
  await killAll(workers);
  const summary = Object.fromEntries(
    Object.entries(samples).map(([k, v]) => {
      const xs = v.filter((x): x is number => x !== null);
      return [k, { firstMb: xs[0], lastMb: xs.at(-1), maxMb: Math.max(...xs), samples: xs }];
    }),
  );
  console.log(
    JSON.stringify({
      msg: "soak",
      minutes,
      ratePerSecond: rate,
      runs: ids.length,
      succeeded: states.filter((s) => s.state === "succeeded").length,
      failed: states.filter((s) => s.state === "failed").length,
      unfinished: ids.length - states.filter((s) => s.state === "succeeded" || s.state === "failed").length,
      keysDeliveredTwice: [...effects.values()].filter((n) => n > 1).length,
      rss: summary,
    }),
  );
});
sink.close();
process.exit(0);
