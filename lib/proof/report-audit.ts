import { badge, esc, evidence, short, table } from "./html";
import type { ProofReport } from "./report-types";

/** Test 3's section: who authorized each run and what it touched, the log's verification, the tampered copy, the bundle. */
export function auditSection(report: ProofReport): string {
  const { authorities, verify, tamper, bundle } = report.audit;
  const rows = authorities.map((a) => {
    const verified = a.events.filter((e) => e.verified).length;
    const touched = [
      ...a.touched.files.map((f) => `file ${f}`),
      ...a.touched.stateKeys.map((k) => `state ${k}`),
      ...a.touched.records.map((r) => `record ${r}`),
      ...a.touched.hosts.map((h) => `host ${h}`),
    ];
    return [
      `${evidence(`/runs/${a.runId}`)}<br>${esc(a.jobId)} · ${esc(a.state)}`,
      `${esc(a.declaration.authorizedBy ?? "—")} on ${esc(a.declaration.authorizedAt ?? "—")}<br>owner ${esc(a.declaration.owner ?? "—")}, version ${short(a.declaration.version)}`,
      `${esc(a.trigger)} by ${esc(a.startedBy)}${a.signal ? `<br>signal ${esc(a.signal)}` : ""}`,
      a.approvals.length
        ? a.approvals
            .map(
              (p) =>
                `${esc(p.status)} by ${esc(p.decidedBy ?? "—")} (${esc(p.role ?? "—")})${p.note ? `: “${esc(p.note)}”` : ""}`,
            )
            .join("<br>")
        : "—",
      a.controls.length
        ? a.controls.map((c) => `${esc(c.action)} by ${esc(c.by)} (${esc(c.role ?? "—")})`).join("<br>")
        : "—",
      `${a.toolCalls} tool calls${touched.length ? `<br>${esc(touched.slice(0, 6).join(", "))}${touched.length > 6 ? ` … (+${touched.length - 6})` : ""}` : ""}`,
      `${badge(verified === a.events.length && a.events.length > 0)} ${verified} of ${a.events.length}<br>${evidence(`/audit?q=${encodeURIComponent(`run:${a.runId.slice(0, 8)}`)}`)}`,
    ];
  });
  return `
<p>Every run of tests 2 and 3, answered by the product's lineage (the "Who authorized this" panel of the run page and
<code>GET /api/runs/{id}/lineage</code>). Besides the isolation runs, three runs are authorized three other ways: started by an
operator and approved by a lead (approve-run oversight), started by a signal with an idempotency key, and paused and resumed by
an operator. Each cited event's inclusion proof is checked against the signed checkpoint, as the explorer's drawer does.</p>
${table(["run", "declaration authorized by", "started", "approvals", "operator actions", "touched", "events verified"], rows)}
<h3>The log against its signed checkpoint and anchors</h3>
<p>${badge(verify.ok)} ${
    verify.ok
      ? `${verify.checked} events verified (MACs, leaves, roots), tree size ${verify.treeSize}, every stored checkpoint's Ed25519 signature, ${verify.anchorsChecked} anchored checkpoints compared.`
      : `Verification failed at seq ${verify.firstBadSeq ?? "?"} (${esc(verify.problem ?? "?")}).`
  }</p>
<h3>A tampered copy</h3>
<p>The database was copied and, in the copy only, ${esc(tamper.change)} with the audit guards disabled (what only a database
superuser can do). ${badge(!tamper.result.ok && tamper.result.firstBadSeq === tamper.seq)} Verifying the copy: ${
    tamper.result.ok
      ? "it verified — the change was NOT detected."
      : `fails at seq ${tamper.result.firstBadSeq ?? "?"} (${esc(tamper.result.problem ?? "?")}), ${tamper.result.checked} events intact before it.`
  } Evidence: ${evidence(`/audit?q=&seq=${tamper.seq}`)} (the original event).</p>
<h3>Evidence bundle</h3>
<p>${badge(bundle.exitCode === 0)} <code>${esc(bundle.command)}</code> exited ${bundle.exitCode ?? "without a code"}:</p>
<pre><code>${esc(bundle.result)}</code></pre>`;
}
