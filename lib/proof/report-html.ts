import { badge, claimsTable, esc, table } from "./html";
import { auditSection } from "./report-audit";
import { contentionSection } from "./report-contention";
import { databasesSection, evidenceWhere } from "./report-databases";
import { isolationSection } from "./report-isolation";
import { REPORT_CSS } from "./report-style";
import type { ProofReport } from "./report-types";

const TITLES = {
  contention: "Test 1 — a scheduler under contention",
  isolation: "Test 2 — workspace isolation",
  audit: "Test 3 — an audit-trail query",
} as const;

/**
 * The report as one self-contained HTML file: inline CSS and SVG, no script, no image, font or
 * link to anything outside it, readable in light and dark. Evidence is given as cockpit paths.
 */
export function reportHtml(report: ProofReport): string {
  const { meta } = report;
  const tests = (["contention", "isolation", "audit"] as const).map((test) => {
    const claims = report.claims.filter((c) => c.test === test);
    const passed = claims.filter((c) => c.pass).length;
    return { test, claims, pass: report.verdicts[test], passed };
  });
  const summary = tests
    .map(
      (t) =>
        `<div class="verdict"><strong>${esc(TITLES[t.test])}</strong>${badge(t.pass)} ${t.passed} of ${t.claims.length} claims pass${
          t.pass
            ? ""
            : `<br><span class="muted">failing: ${esc(
                t.claims
                  .filter((c) => !c.pass)
                  .map((c) => c.id)
                  .join(", "),
              )}</span>`
        }</div>`,
    )
    .join("");
  const m = meta.machine;
  const metaTable = table(
    ["this report", ""],
    [
      ["version", esc(meta.version)],
      ["commit", `<code>${esc(meta.commit)}</code>${meta.dirty ? " (with uncommitted changes)" : ""}`],
      ["date", esc(meta.date)],
      ["command", `<code>${esc(meta.command)}</code> (${esc(report.mode)} sizes)`],
      [
        "machine",
        esc(
          `${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}, load average ${m.loadAverage.join(" ")} at the end`,
        ),
      ],
      ["database", esc(meta.database)],
      [
        "target",
        report.target === "live"
          ? "<strong>LIVE</strong>: the running deployment (<code>--live</code>); the proof's runs and events stay in it"
          : "scratch databases made for this run",
      ],
      [
        "databases afterwards",
        report.databases.kept
          ? `kept (<code>--keep</code>) — ${report.databases.list.map((d) => esc(d.kind === "postgres" ? (d.database ?? d.name) : `${d.dataDir}/pglite`)).join(", ")}`
          : "removed when the proof ended (run without <code>--keep</code>)",
      ],
      [
        "took",
        esc(
          `${(report.durations.totalMs / 1000).toFixed(1)} s (test 1: ${(report.durations.contentionMs / 1000).toFixed(1)} s; tests 2 and 3: ${(report.durations.isolationAndAuditMs / 1000).toFixed(1)} s)`,
        ),
      ],
    ],
  );
  const thresholds = table(
    ["threshold", "value"],
    Object.entries(report.thresholds).map(([k, v]) => [`<code>${esc(k)}</code>`, esc(String(v))]),
  );
  const section = (test: keyof typeof TITLES, body: string) => {
    const t = tests.find((x) => x.test === test);
    const where = evidenceWhere(report, test);
    const note = where ? `<p class="muted">Every evidence path in this section opens ${esc(where)}.</p>` : "";
    return `<section id="${test}"><h2>${esc(TITLES[test])} ${badge(t?.pass ?? false)}</h2>${note}${claimsTable(t?.claims ?? [], where)}${body}</section>`;
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Flightdeck proof — the three tests (${report.target === "live" ? "LIVE, " : ""}${esc(report.mode)}, ${esc(meta.date.slice(0, 10))})</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<h1>Flightdeck: the three tests, proven</h1>
<p class="muted">A scheduler under contention, a workspace-isolation demonstration and an audit-trail query, run through the
real runtime, tool gateway and audit log ${
    report.target === "live"
      ? "<strong>against a LIVE deployment's own database (<code>--live</code>)</strong>, with its audit keys, sealer and anchors"
      : "against scratch databases"
  }, with scripted models, offline. Every claim is checked against a stated threshold; a claim the product does not meet is
marked FAIL.</p>
<div class="verdicts">${summary}</div>
${metaTable}
<h2>Where the evidence is</h2>
${databasesSection(report)}
${section("contention", contentionSection(report))}
${section("isolation", isolationSection(report))}
${section("audit", auditSection(report))}
<h2>Thresholds</h2>
${thresholds}
<h2>Re-run it</h2>
<p><code>npm ci &amp;&amp; ${esc(meta.command)}</code> — offline, on embedded PGlite; with <code>DATABASE_URL</code> (or
<code>TEST_DATABASE_URL</code>) set, on scratch databases created on that Postgres server and dropped afterwards. Add
<code>-- --keep</code> to leave the databases in place and follow the evidence paths into a cockpit. Sizes, figures and
timings differ with the machine; the claims and their thresholds do not. See docs/PROOF.md.</p>
</main>
</body>
</html>
`;
}
