import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportHtml, runProof, type ProofReport } from "@/lib/proof";

/**
 * npm run proof's smoke form, run in-process (on PGlite, or on scratch databases of the
 * TEST_DATABASE_URL server): the report's verdicts follow its claims, and the artifacts the
 * issue asks for are there. The product's known shortfalls (docs/PROOF.md, "What fails today")
 * are named here, so a new leak — or a fix — shows up as a failing test to update.
 */
const KNOWN_NOT_CONTAINED: string[] = [];

let report: ProofReport;
let html: string;
let outDir: string;

beforeAll(async () => {
  outDir = await mkdtemp(path.join(tmpdir(), "fd-proof-test-"));
  report = await runProof({
    smoke: true,
    outDir,
    serverUrl: process.env.TEST_DATABASE_URL,
    command: "npm run proof:smoke",
    progress: () => {},
  });
  html = reportHtml(report);
}, 110_000);

afterAll(async () => {
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
