import { readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "@/db/rows";
import { verifyAuditLog } from "@/lib/audit";
import { keptInstructions, reportHtml, runProof, type ProofReport } from "@/lib/proof";
import { databasesNamed, dropKept, openKept } from "./kept";

/**
 * npm run proof's smoke form with --keep, run in-process (on PGlite, or on scratch databases of the
 * TEST_DATABASE_URL server): the report's verdicts follow its claims, the artifacts the issue asks
 * for are there, and the kept databases hold what the evidence paths point at. One run serves both:
 * --keep adds its work after every measurement (tests/proof/release.test.ts covers the removal without it). The product's known shortfalls (docs/PROOF.md, "What fails today")
 * are named here, so a new leak — or a fix — shows up as a failing test to update.
 */
const KNOWN_NOT_CONTAINED: string[] = [];

let report: ProofReport;
let html: string;
let outDir: string;
const serverUrl = process.env.TEST_DATABASE_URL;

beforeAll(async () => {
  outDir = await mkdtemp(path.join(tmpdir(), "fd-proof-test-"));
  report = await runProof({
    smoke: true,
    outDir,
    serverUrl,
    keep: true,
    command: "npm run proof:smoke -- --keep",
    progress: () => {},
  });
  html = reportHtml(report);
}, 110_000);

afterAll(async () => {
  for (const kept of report.databases.list) if (serverUrl && kept.database) await dropKept(serverUrl, kept.database);
  await rm(outDir, { recursive: true, force: true });
});

const claim = (id: string) => {
  const found = report.claims.find((c) => c.id === id);
  if (!found) throw new Error(`no claim ${id}`);
  return found;
};

describe("npm run proof (smoke)", () => {
  it("gives every claim a threshold, a figure and a cockpit path, and each test's verdict from its claims", () => {
    expect(report.claims.length).toBeGreaterThanOrEqual(20);
    for (const c of report.claims) {
      expect(c.threshold.length).toBeGreaterThan(0);
      expect(c.measured.length).toBeGreaterThan(0);
      // Route shapes that exist under app/(cockpit).
      expect(c.evidence).toMatch(/^\/(runs\/[0-9a-f-]{36}|runs\/list|audit\?q=.*|flashcards(\?card=.+)?|resources)$/);
    }
    for (const test of ["contention", "isolation", "audit"] as const)
      expect(report.verdicts[test]).toBe(report.claims.filter((c) => c.test === test).every((c) => c.pass));
    expect(report.meta.commit).toMatch(/^[0-9a-f]{40}$|^unknown$/);
    expect(report.meta.machine.cpus).toBeGreaterThan(0);
  });

  it("test 1: quota and write budget held per key, the deadline met, the low-priority run's wait bounded, FIFO worse for the trickle", () => {
    expect(claim("contention.completed").pass).toBe(true);
    expect(claim("contention.tool-quota").pass).toBe(true);
    expect(claim("contention.write-budget").pass).toBe(true);
    expect(claim("contention.quota-isolated").pass).toBe(true);
    expect(claim("contention.deadline").pass).toBe(true);
    expect(claim("contention.low-priority").pass).toBe(true);
    // Shares, Jain's index, utilisation and the trickle's p99 are figures the full run judges: at smoke
    // sizes the backlogged window lasts seconds and p99 is the largest of ten waits.
    const trickle = report.contention.result.trickle;
    expect(trickle.alone.p99).toBeGreaterThan(0);
    expect(trickle.fifo.p99).toBeGreaterThan(trickle.contended.p99);
    // The steady phase ran every run at its own turn length, with both keys backlogged for a while.
    const steady = report.contention.result.steady;
    expect(claim("contention.steady-utilisation").measured).not.toContain("n/a");
    expect(steady.turns).toBe(2 * report.sizes.steadyRunsPerKey);
    expect(steady.turnP50Ms).toBeGreaterThanOrEqual(report.sizes.steadyModelMs);
    expect(steady.windowMs).toBeGreaterThan(report.sizes.steadyModelMs);
    expect(claim("contention.steady-utilisation").statement).toContain(
      `model calls of ${report.sizes.steadyModelMs} ms`,
    );
  });

  it("test 2: every refusal is audited with a verified inclusion proof and on a flashcard; nothing is not contained", () => {
    const attacks = report.isolation.attacks;
    expect(attacks.length).toBeGreaterThan(50);
    for (const a of attacks.filter((x) => x.outcome === "refused")) {
      expect(a.audit?.seq, a.attackId).toBeGreaterThan(0);
      expect(a.audit?.proof?.ok, a.attackId).toBe(true);
      expect(a.flashcard, a.attackId).not.toBeNull();
    }
    // The path, cross-run, tool, argument and host attacks are all refused by the gateway.
    for (const id of [
      "dotdot-write",
      "absolute",
      "prefix-sibling",
      "other-file-root",
      "memory-outside",
      "tool-unknown",
    ])
      expect(
        attacks.filter((a) => a.attackId === id).every((a) => a.outcome === "refused"),
        id,
      ).toBe(true);
    for (const id of ["bad-args-type", "host-outside", "host-loopback", "host-metadata", "host-userinfo", "exfil-url"])
      expect(
        attacks.filter((a) => a.attackId === id).every((a) => a.outcome === "refused"),
        id,
      ).toBe(true);
    const zombie = attacks.find((a) => a.attackId === "zombie-write");
    expect(zombie?.outcome).toBe("refused");
    expect(zombie?.error).toMatch(/ToolLeaseLostError/);
    const notContained = [...new Set(attacks.filter((a) => a.outcome === "not contained").map((a) => a.attackId))];
    expect(notContained.sort()).toEqual(KNOWN_NOT_CONTAINED);
    expect(zombie?.audit?.action).toBe("tool.lease_lost");
    expect(claim("isolation.audited").pass).toBe(true);
    expect(claim("isolation.flashcards").pass).toBe(true);
  });

  it("test 2: canaries are searched in every table, the logs and the responses, and none is found", () => {
    const { canaries } = report.isolation;
    expect(canaries.searched.some((s) => s.startsWith("table audit_events"))).toBe(true);
    expect(canaries.searched.some((s) => s.startsWith("captured logs"))).toBe(true);
    expect(canaries.searched.some((s) => s.startsWith("model requests"))).toBe(true);
    expect(canaries.hits).toEqual([]);
    expect(claim("isolation.canaries").pass).toBe(true);
  });

  it("test 3: lineage answers every run, the log verifies with anchors, a tampered copy fails at the changed seq, the bundle verifies", () => {
    expect(claim("audit.who-authorized").pass).toBe(true);
    expect(claim("audit.events-verified").pass).toBe(true);
    expect(claim("audit.approval").pass).toBe(true);
    expect(claim("audit.signal-and-controls").pass).toBe(true);
    expect(report.audit.verify.ok).toBe(true);
    expect(report.audit.verify.anchorsChecked).toBeGreaterThan(0);
    expect(report.audit.tamper.result.ok).toBe(false);
    expect(report.audit.tamper.result.firstBadSeq).toBe(report.audit.tamper.seq);
    expect(report.audit.bundle.exitCode).toBe(0);
    expect(report.verdicts.audit).toBe(true);
  });

  it("writes a self-contained HTML report: no script, stylesheet, image, frame or link to anything outside it", () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/\s(href|src|srcset|action)=/i);
    expect(html).not.toMatch(/<(script|link|img|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/url\(|@import/i);
    expect(html).toContain("prefers-color-scheme:dark");
    expect((html.match(/<svg /g) ?? []).length).toBeGreaterThanOrEqual(2);
    for (const c of report.claims) expect(html).toContain(c.evidence.replace(/&/g, "&amp;"));
  });
});

const keptDb = (name: "contention" | "audit") => {
  const found = report.databases.list.find((d) => d.name === name);
  if (!found) throw new Error(`no kept ${name} database`);
  return found;
};

/** The ids and seqs a test's evidence paths name, as a cockpit would look them up. */
function linked(tests: string[]) {
  const paths = report.claims.filter((c) => tests.includes(c.test)).map((c) => c.evidence);
  if (tests.includes("isolation"))
    for (const a of report.isolation.attacks) {
      if (a.audit?.seq) paths.push(`/audit?q=&seq=${a.audit.seq}`);
      if (a.flashcard) paths.push(`/flashcards?card=${a.flashcard.id}`);
    }
  if (tests.includes("audit")) for (const a of report.audit.authorities) paths.push(`/runs/${a.runId}`);
  const grab = (re: RegExp) => [...new Set(paths.flatMap((p) => [...p.matchAll(re)].map((m) => m[1] ?? "")))];
  return {
    runs: grab(/^\/runs\/([0-9a-f-]{36})$/g),
    seqs: grab(/[?&]seq=(\d+)/g).map(Number),
    cards: grab(/^\/flashcards\?card=(.+)$/g),
    actions: grab(/action%3A([a-z_.]+)/g),
  };
}

describe("npm run proof -- --keep", () => {
  it("records both databases as kept, and prints for each how to open a cockpit, sign in and remove it", () => {
    expect(report.databases.kept).toBe(true);
    expect(report.databases.where).toBe(path.join(outDir, "databases"));
    expect(report.databases.list.map((d) => [d.name, d.tests, d.kind])).toEqual([
      ["contention", ["contention"], serverUrl ? "postgres" : "pglite"],
      ["audit", ["isolation", "audit"], serverUrl ? "postgres" : "pglite"],
    ]);
    const printed = keptInstructions(report, serverUrl);
    for (const d of report.databases.list) {
      expect(d.open).toContain(`FLIGHTDECK_DATA_DIR=${d.dataDir} `);
      expect(d.open).toMatch(/FLIGHTDECK_EMBEDDED_RUNTIME=false .*npm start$/);
      if (d.kind === "postgres")
        expect(d.open).toContain(`DATABASE_URL=${serverUrl?.replace(/\/[^/]*$/, "")}/${d.database}`);
      expect(d.signIn.users.map((u) => u.role).sort()).toEqual(["admin", "lead", "operator", "reviewer"]);
      expect(printed).toContain(d.open);
      expect(printed).toContain(d.drop);
      expect(html).toContain(d.port.toString());
    }
    expect(html).toContain("This run was made with <code>--keep</code>");
    expect(html).toContain("in the cockpit on the kept “contention” database (port 3001)");
    expect(html).toContain("in the cockpit on the kept “audit” database (port 3002)");
  });

  it("leaves databases a fresh connection opens, holding the runs, events and flashcards the report links to, and users to sign in as", async () => {
    for (const [name, tests] of [
      ["contention", ["contention"]],
      ["audit", ["isolation", "audit"]],
    ] as const) {
      const kept = keptDb(name);
      const links = linked([...tests]);
      expect(links.runs.length, name).toBeGreaterThan(0);
      if (name === "audit") expect(links.seqs).toContain(report.audit.tamper.seq);
      const handle = await openKept(kept, serverUrl);
      try {
        const db = handle.db;
        const count = async (query: ReturnType<typeof sql>) =>
          Number(rowsOf<{ n: number | string }>(await db.execute(query))[0]?.n ?? 0);
        for (const id of links.runs)
          expect(await count(sql`select count(*) as n from runs where id = ${id}`), id).toBe(1);
        for (const seq of links.seqs)
          expect(await count(sql`select count(*) as n from audit_log where seq = ${seq}`), `seq ${seq}`).toBe(1);
        for (const id of links.cards)
          expect(await count(sql`select count(*) as n from flashcards where id = ${id}`), id).toBe(1);
        for (const action of links.actions)
          expect(
            await count(sql`select count(*) as n from audit_events where action = ${action}`),
            action,
          ).toBeGreaterThan(0);
        expect(await count(sql`select count(*) as n from "user" where is_demo`)).toBe(4);
        // The original, not the tampered copy: no rewritten actor, and the whole log — the demo users'
        // events included — verifies against the kept anchors.
        expect(
          await count(sql`select count(*) as n from audit_events where actor_label = 'someone-else@proof.example'`),
        ).toBe(0);
        const verify = await verifyAuditLog(db, { anchorDir: path.join(kept.dataDir, "anchors") });
        expect(verify.ok, JSON.stringify(verify.problem)).toBe(true);
        expect(verify.unsealed).toBe(0);
        expect(verify.treeSize).toBeGreaterThan(name === "audit" ? report.audit.verify.treeSize : 0);
      } finally {
        await handle.close();
      }
      expect(readdirSync(path.join(kept.dataDir, "audit-keys")).sort()).toEqual(["mac.key", "signing.key"]);
    }
  });

  it("removes the tampered copy of test 3 all the same", async () => {
    const audit = keptDb("audit");
    if (audit.kind === "pglite") expect(readdirSync(audit.dataDir).sort()).toEqual(["anchors", "audit-keys", "pglite"]);
    else if (serverUrl && audit.database)
      expect(await databasesNamed(serverUrl, audit.database)).toEqual([audit.database]);
  });

  it("without --keep, the report says plainly that the linked evidence exists only in a cockpit on a kept run", () => {
    const unkept = reportHtml({ ...report, databases: { kept: false, where: null, list: [] } });
    expect(unkept).toContain("removed when the proof ended");
    expect(unkept).toContain(
      "the linked evidence exists only in a cockpit on a run made with <code>npm run proof -- --keep</code>",
    );
    expect(unkept).not.toContain("in the cockpit on the kept");
    expect(keptInstructions({ ...report, databases: { kept: false, where: null, list: [] } }, serverUrl)).toMatch(
      /removed; run with --keep/,
    );
  });
});
