/**
 * What db/pglite-yield.ts costs and buys on embedded PGlite: drizzle over the raw client against drizzle over the
 * yielding one, on one in-memory database, in alternating rounds.
 *
 *   npx tsx --conditions=react-server bench/pglite-yield/run.ts [--calls=5000] [--rounds=5]
 *   npm run bench:pglite-yield:smoke     # 200 calls, one round: CI keeps the bench working
 *
 * Cost: µs per call of `select 1` issued back to back, and of a one-row insert transaction.
 * Benefit: the longest a 1 ms interval timer waited while the same transactions ran back to back.
 * Writes bench/pglite-yield/results.json (nothing in smoke mode) and prints a Markdown summary.
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import { yieldingPglite } from "@/db/pglite-yield";
import { pct } from "@/lib/proof";

const arg = (name: string, fallback: number) => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.split("=")[1]) : fallback;
};
const smoke = process.argv.includes("--smoke");
const calls = arg("calls", smoke ? 200 : 5_000);
const rounds = arg("rounds", smoke ? 1 : 5);

type Db = ReturnType<typeof drizzle>;

async function perCallUs(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < calls; i++) await work();
  return ((performance.now() - started) * 1000) / calls;
}

/** The longest gap between two ticks of a 1 ms interval while `work` runs `calls` times back to back. */
async function longestTimerWaitMs(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  for (let i = 0; i < calls; i++) await work();
  // The tick that was due during the loop runs now: its gap is the loop's stall.
  await new Promise((resolve) => setTimeout(resolve, 5));
  clearInterval(ticker);
  return longest;
}

/** Two-space JSON with each list of samples on one line, rounded to 0.1 (as prettier keeps it: `npm run lint`). */
function asJson(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === "number" ? Math.round(v * 10) / 10 : v), 2);
  return `${text.replace(/\[\s+([-\d.,\s]+?)\s+\]/g, (_match, inner: string) => `[${inner.split(/,\s*/).join(", ")}]`)}\n`;
}

async function main() {
  const raw = await PGlite.create();
  const clients: Record<"raw" | "yielding", Db> = {
    raw: drizzle({ client: raw }),
    yielding: drizzle({ client: yieldingPglite(raw) }),
  };
  await raw.exec("create table bench_rows (n int)");
  const samples = {
    raw: { selectUs: [] as number[], transactionUs: [] as number[], timerWaitMs: [] as number[] },
    yielding: { selectUs: [] as number[], transactionUs: [] as number[], timerWaitMs: [] as number[] },
  };
  const insert = (db: Db) => () => db.transaction(async (tx) => tx.execute(sql`insert into bench_rows values (1)`));
  for (let round = 0; round < rounds; round++) {
    // Alternate which goes first, so neither always runs on a warmer database.
    const order = round % 2 === 0 ? (["raw", "yielding"] as const) : (["yielding", "raw"] as const);
    for (const kind of order) {
      const db = clients[kind];
      samples[kind].selectUs.push(await perCallUs(() => db.execute(sql`select 1`)));
      samples[kind].transactionUs.push(await perCallUs(insert(db)));
      samples[kind].timerWaitMs.push(await longestTimerWaitMs(insert(db)));
    }
  }
  await raw.close();

  const summary = (kind: "raw" | "yielding") => ({
    selectUs: pct(samples[kind].selectUs, 50),
    transactionUs: pct(samples[kind].transactionUs, 50),
    timerWaitMs: pct(samples[kind].timerWaitMs, 50),
  });
  const result = {
    date: new Date().toISOString(),
    command: `npx tsx --conditions=react-server bench/pglite-yield/run.ts --calls=${calls} --rounds=${rounds}`,
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? "unknown", node: process.version },
    calls,
    rounds,
    medians: { raw: summary("raw"), yielding: summary("yielding") },
    samples,
  };
  const f = (n: number) => n.toFixed(1);
  const { raw: r, yielding: y } = result.medians;
  process.stdout.write(
    [
      `| ${calls} calls back to back, median of ${rounds} rounds | raw PGlite | yielding (db/pglite-yield.ts) |`,
      "| --- | ---: | ---: |",
      `| \`select 1\`, µs per call | ${f(r.selectUs)} | ${f(y.selectUs)} |`,
      `| one-row insert transaction, µs per call | ${f(r.transactionUs)} | ${f(y.transactionUs)} |`,
      `| longest wait of a 1 ms timer meanwhile, ms | ${f(r.timerWaitMs)} | ${f(y.timerWaitMs)} |`,
      "",
    ].join("\n"),
  );
  if (!smoke) writeFileSync(path.join(import.meta.dirname, "results.json"), asJson(result));
  // The smoke run still checks the mechanism: the raw client starves the timer for the whole loop, the yielding one does not.
  if (!(y.timerWaitMs < r.timerWaitMs)) {
    process.stderr.write("the yielding client did not let the timer run sooner than the raw one\n");
    process.exitCode = 1;
  }
}

void main();
