import "server-only";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { getEnv, referencedEnvVariable } from "@/lib/env";
import { keptInstructions, LiveProofRefused, reportHtml, reportJson, runProof } from "@/lib/proof";

/**
 * `npm run proof [-- --smoke] [-- --out DIR] [-- --keep | --live]`: the three tests through the real runtime
 * against scratch databases (embedded PGlite, or new databases on the Postgres server of DATABASE_URL /
 * TEST_DATABASE_URL, dropped afterwards — or with --keep left in place, PGlite's under DIR/databases,
 * and the commands that open a cockpit on each printed) — or with --live against the running deployment of
 * DATABASE_URL, run with the deployment's environment (lib/proof/live.ts) — written as DIR/report.html and
 * DIR/report.json.
 * Exits 0 once the report is written, whatever its verdicts (a FAIL is a finding about the
 * product, and CI keeps running the proof so it cannot rot; tests/proof pins the verdicts);
 * 1 when the proof could not run, 2 on a usage error.
 */
const argsSchema = z.strictObject({
  smoke: z.boolean(),
  out: z.string().min(1, "--out needs a directory"),
  keep: z.boolean(),
  live: z.boolean(),
});

const USAGE = "usage: npm run proof -- [--smoke] [--out DIR] [--keep | --live]";

function parseArgs(argv: string[]): z.infer<typeof argsSchema> {
  let smoke = false;
  let out = ".data/proof";
  let keep = false;
  let live = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--smoke") smoke = true;
    else if (arg === "--keep") keep = true;
    else if (arg === "--live") live = true;
    else if (arg === "--out") out = argv[++i] ?? "";
    else if (arg?.startsWith("--out=")) out = arg.slice("--out=".length);
    else throw new Error(`unknown argument ${arg ?? ""}`);
  }
  if (keep && live)
    throw new Error("--keep and --live exclude each other: a live proof's evidence stays in the deployment");
  const parsed = argsSchema.safeParse({ smoke, out, keep, live });
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join("; "));
  return parsed.data;
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  const env = getEnv();
  if (args.live && !env.DATABASE_URL) {
    process.stderr.write(
      "--live needs DATABASE_URL: the running deployment's Postgres database (an embedded PGlite database is open in its own server's process only)\n",
    );
    return 2;
  }
  // The scratch databases go on the server the benches and tests use; the URL's own database is never touched.
  const serverUrl = referencedEnvVariable("TEST_DATABASE_URL") ?? env.DATABASE_URL;
  const outDir = path.resolve(args.out);
  const flags = [
    ...(args.out === ".data/proof" ? [] : [`--out ${args.out}`]),
    ...(args.keep ? ["--keep"] : []),
    ...(args.live ? ["--live"] : []),
  ];
  const command = `npm run proof${args.smoke ? ":smoke" : ""}${flags.length > 0 ? ` -- ${flags.join(" ")}` : ""}`;
  const started = Date.now();
  const progress = (line: string) =>
    process.stdout.write(`[proof ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
  const where = args.live
    ? "the LIVE deployment's database (DATABASE_URL)"
    : serverUrl
      ? "scratch Postgres databases"
      : "embedded PGlite";
  progress(`${args.smoke ? "smoke" : "full"} run on ${where}`);
  const report = await runProof({
    smoke: args.smoke,
    outDir,
    serverUrl,
    keep: args.keep,
    command,
    progress,
    ...(args.live && env.DATABASE_URL ? { liveUrl: env.DATABASE_URL } : {}),
  });
  writeFileSync(path.join(outDir, "report.json"), reportJson(report));
  writeFileSync(path.join(outDir, "report.html"), reportHtml(report));
  for (const c of report.claims) progress(`${c.pass ? "PASS" : "FAIL"} ${c.id}: ${c.measured}`);
  progress(
    `verdicts: contention ${report.verdicts.contention ? "PASS" : "FAIL"}, isolation ${report.verdicts.isolation ? "PASS" : "FAIL"}, audit ${report.verdicts.audit ? "PASS" : "FAIL"} — ${path.join(outDir, "report.html")}`,
  );
  const passed = report.claims.filter((c) => c.pass).length;
  progress(`${passed} of ${report.claims.length} claims pass; took ${(report.durations.totalMs / 1000).toFixed(1)} s`);
  process.stdout.write(keptInstructions(report, serverUrl));
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // A refused --live names what to fix; its stack would only bury that.
    const text =
      error instanceof LiveProofRefused
        ? error.message
        : error instanceof Error
          ? (error.stack ?? error.message)
          : String(error);
    process.stderr.write(`proof failed: ${text}\n`);
    process.exit(1);
  },
);
