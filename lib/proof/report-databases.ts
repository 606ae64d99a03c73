import type { Claim } from "./claims";
import { esc, table } from "./html";
import { testsLabel } from "./kept-commands";
import type { ProofReport } from "./report-types";

/** The kept database a test's evidence paths open in, as a phrase for the report; null when nothing was kept. */
export function evidenceWhere(report: ProofReport, test: Claim["test"]): string | null {
  if (report.target === "live") return "in the deployment's own cockpit (this run was made with --live)";
  const kept = report.databases.list.find((d) => d.tests.includes(test));
  return kept ? `in the cockpit on the kept “${kept.name}” database (port ${kept.port})` : null;
}

/**
 * Where the evidence paths resolve, said plainly: in the kept databases, with the commands that
 * open a cockpit on each and remove it; or nowhere any more, because the proof removed its
 * databases, and how to make a run whose links can be followed.
 */
export function databasesSection(report: ProofReport): string {
  const routes = `Evidence paths are cockpit routes (<code>/runs/&lt;id&gt;</code>, <code>/audit?q=…&amp;seq=…</code>,
<code>/flashcards?card=…</code>, <code>/resources</code>) in the database the test ran on.`;
  if (report.target === "live")
    return `<p class="muted">${routes} <strong>This run was made with <code>--live</code>, against the running deployment's own
database</strong>, with its audit keys, sealer and anchors: every path opens in the deployment's cockpit, where the proof's runs
(jobs <code>proof-*</code>, marked removed once it ended), its events and flashcards stay. Test 1's fair-share keys are named
under <code>${esc(report.contention.result.keyPrefix)}</code>. The tampered copy of test 3 was an export of the deployment's
audit tables into an embedded database, removed afterwards; the deployment's own log was only read.</p>`;
  if (!report.databases.kept)
    return `<p class="muted">${routes} <strong>This run was made without <code>--keep</code>: its scratch databases were
removed when it ended, so the linked evidence exists only in a cockpit on a run made with <code>npm run proof -- --keep</code></strong>
(which leaves the databases in place and prints the command that opens a cockpit on each). Here the paths show what that cockpit
would open; the raw JSON next to this file holds every figure.</p>`;
  const rows = report.databases.list.map((d) => [
    `<strong>${esc(d.name)}</strong><br>${esc(testsLabel(d.tests))}`,
    d.kind === "postgres"
      ? `Postgres database <code>${esc(d.database ?? "")}</code>; keys and anchors in <code>${esc(d.dataDir)}</code>`
      : `embedded PGlite in <code>${esc(d.dataDir)}/pglite</code>`,
    `<code>${esc(d.open)}</code><br>then port ${d.port}`,
    `${d.signIn.users.map((u) => `<code>${esc(u.email)}</code> (${esc(u.role)})`).join(", ")} — password ${
      d.signIn.password === null
        ? "the value FLIGHTDECK_DEMO_PASSWORD had when the proof ran"
        : `<code>${esc(d.signIn.password)}</code>`
    }`,
    `<code>${esc(d.drop)}</code>`,
  ]);
  return `<p class="muted">${routes} This run was made with <code>--keep</code>: its databases were left in place
(<code>${esc(report.databases.where ?? "")}</code>), and each claim says which one's cockpit its evidence opens in. Run each
command from the repository's directory (it builds the cockpit first if needed); the cockpit shows what the proof left and runs nothing (its
embedded runtime is off). The tampered copy of test 3 was removed.</p>
${table(["database", "where", "open a cockpit", "sign in", "remove it"], rows)}`;
}
