import { badge, esc, evidence, short, table } from "./html";
import type { ProofReport } from "./report-types";

/** Test 2's section: every attempt with its outcome, audit event and flashcard; the canary search. */
export function isolationSection(report: ProofReport): string {
  const { attacks, canaries } = report.isolation;
  const rows = attacks.map((a) => [
    short(a.runId),
    esc(a.kind),
    esc(a.attempt),
    `${badge(a.outcome !== "not contained")} ${esc(a.outcome)}`,
    esc(a.why),
    a.audit
      ? `${esc(a.audit.action)} ${a.audit.seq === null ? "(unsealed)" : `#${a.audit.seq}`}<br>${
          a.audit.proof
            ? `${badge(a.audit.proof.ok)} ${esc(a.audit.proof.ok ? "inclusion proof verified" : a.audit.proof.message)}`
            : "no proof"
        }<br>${a.audit.seq === null ? "" : evidence(`/audit?q=${encodeURIComponent(`run:${a.runId.slice(0, 8)}`)}&seq=${a.audit.seq}`)}`
      : `${badge(false)} no audit event`,
    a.flashcard
      ? `${esc(a.flashcard.title)} (×${a.flashcard.count})<br>${evidence(`/flashcards?card=${a.flashcard.id}`)}`
      : a.outcome === "refused"
        ? "none raised"
        : "none (cards are raised for refusals)",
  ]);
  return `
<p>A victim run writes <code>secret.txt</code>, sets state key <code>ledger</code> and takes an exclusive lock on a shared-memory
entity, then waits for a signal while holding it. ${report.sizes.hostileRuns} hostile runs, concurrently, get a scripted model
(an OpenAI-protocol server on 127.0.0.1) that asks the real gateway for every attempt below in one turn, then answers with the
secrets in its output. Last, one hostile run is written as a zombie worker would: with the lease token of a turn it no longer holds.
"Refused" means the gateway refused the call; "contained" means the call ran but stayed inside the run's own workspace or state,
with secrets redacted — the reason column says what was checked.</p>
${table(["run", "kind", "attempt", "outcome", "why", "audit event", "flashcard"], rows)}
<h3>Canary search</h3>
<p>${canaries.total === 0 ? "No canary secret was found anywhere." : `${canaries.total} canary occurrence(s) found.`}
Searched: ${canaries.searched.length} places.</p>
${
  canaries.hits.length > 0
    ? table(
        ["where", "canary", "hits"],
        canaries.hits.map((h) => [esc(h.where), esc(h.canary), String(h.count)]),
        [2],
      )
    : ""
}
<details><summary>Every place searched</summary><ul>${canaries.searched.map((s) => `<li>${esc(s)}</li>`).join("")}</ul></details>`;
}
