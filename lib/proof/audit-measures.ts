import "server-only";
import type { AuditVerifyResult } from "@/lib/audit";
import { auditLink, claim, type Claim } from "./claims";
import type { BundleCheck } from "./evidence-bundle";
import type { RunAuthority } from "./lineage-summary";
import { PEOPLE } from "./people";
import type { GovernedRuns } from "./scenario-audit";
import type { TamperCheck } from "./tamper";

/** Test 3's claims, from the lineage of every run, the log's verification, the bundle and the tampered copy. */
export function auditClaims(input: {
  authorities: RunAuthority[];
  governed: GovernedRuns;
  verify: AuditVerifyResult;
  bundle: BundleCheck;
  tamper: TamperCheck;
}): Claim[] {
  const { authorities, governed, verify, bundle, tamper } = input;
  const byId = new Map(authorities.map((a) => [a.runId, a]));
  const reviewed = byId.get(governed.reviewed);
  const intake = byId.get(governed.intake);
  const operated = byId.get(governed.operated);
  const answered = authorities.filter((a) => a.declaration.authorizedBy && a.startedBy && a.events.length > 0);
  const events = authorities.flatMap((a) => a.events);
  const unverified = events.filter((e) => !e.verified);
  const approval = reviewed?.approvals[0];
  const controls = operated?.controls.map((c) => `${c.action} by ${c.by}`).join(", ") ?? "none";
  return [
    claim({
      id: "audit.who-authorized",
      test: "audit",
      statement: `For every run of tests 2 and 3 (${authorities.length}), the lineage names the declaration's authorizer and version, the trigger and who started it, and the events that say so`,
      threshold: "every run answered",
      measured: `${answered.length} of ${authorities.length} answered`,
      pass: answered.length === authorities.length && authorities.length > 0,
      evidence: `/runs/${governed.reviewed}`,
    }),
    claim({
      id: "audit.events-verified",
      test: "audit",
      statement:
        "Every audit event a lineage cites is sealed and its inclusion proof verifies against the signed checkpoint",
      threshold: "all cited events verified",
      measured: `${events.length - unverified.length} of ${events.length} verified`,
      pass: unverified.length === 0 && events.length > 0,
      evidence: auditLink("action:tool.called job:proof-hostile"),
    }),
    claim({
      id: "audit.approval",
      test: "audit",
      statement: "The approve-run run names who approved it: a lead, not the operator who started it",
      threshold: `approved by ${PEOPLE.lead.label} (lead), started by ${PEOPLE.operator.label}`,
      measured: approval
        ? `${approval.status} by ${approval.decidedBy ?? "nobody"} (${approval.role ?? "no role"}); started by ${reviewed?.startedBy ?? "?"}`
        : "no approval in the lineage",
      pass:
        approval?.status === "approved" &&
        approval.decidedBy === PEOPLE.lead.label &&
        reviewed?.startedBy === PEOPLE.operator.label &&
        reviewed.state === "succeeded",
      evidence: `/runs/${governed.reviewed}`,
    }),
    claim({
      id: "audit.signal-and-controls",
      test: "audit",
      statement:
        "The signalled run names its signal and idempotency key; the operated run names the operator's pause and resume",
      threshold: "signal with key; pause and resume by the operator",
      measured: `signal: ${intake?.signal ?? "none"}; controls: ${controls}`,
      pass:
        intake?.signal?.includes("proof-intake-T-1042") === true &&
        (operated?.controls.some((c) => c.action.includes("pause") && c.by === PEOPLE.operator.label) ?? false) &&
        // A resume is recorded as the run's move back to queued (run.queued), by the person who resumed it.
        (operated?.controls.some(
          (c) => (c.action.includes("resume") || c.action === "run.queued") && c.by === PEOPLE.operator.label,
        ) ??
          false),
      evidence: `/runs/${governed.operated}`,
    }),
    claim({
      id: "audit.log-verified",
      test: "audit",
      statement: `The whole log verifies: every MAC, leaf and root, every stored checkpoint's signature, and the anchored checkpoints (${verify.anchorsChecked} compared)`,
      threshold: "ok, no bad seq, ≥ 1 anchor compared",
      measured: verify.ok
        ? `ok: ${verify.checked} events, tree size ${verify.treeSize}, ${verify.anchorsChecked} anchors`
        : `FAILED at seq ${verify.firstBadSeq ?? "?"} (${verify.problem ?? "?"})`,
      pass: verify.ok && verify.firstBadSeq === null && verify.anchorsChecked >= 1,
      evidence: auditLink(""),
    }),
    claim({
      id: "audit.tamper-detected",
      test: "audit",
      statement: `A copy of the database with one sealed event changed by a superuser (${tamper.change}) fails verification at that event`,
      threshold: `fails at seq ${tamper.seq}`,
      measured: !tamper.before.ok
        ? `the copy failed verification before the edit (at seq ${tamper.before.firstBadSeq ?? "?"})`
        : tamper.result.ok
          ? "verified ok (tampering NOT detected)"
          : `fails at seq ${tamper.result.firstBadSeq ?? "?"} (${tamper.result.problem ?? "?"}); verified before the edit`,
      pass: tamper.before.ok && !tamper.result.ok && tamper.result.firstBadSeq === tamper.seq,
      evidence: auditLink("", tamper.seq),
    }),
    claim({
      id: "audit.bundle",
      test: "audit",
      statement: `An evidence bundle of the log (query "${bundle.query}") verifies offline with the unchanged npm run audit:verify-bundle, key pinned`,
      threshold: "exit code 0",
      measured: `exit code ${bundle.exitCode ?? "none"}`,
      pass: bundle.exitCode === 0,
      evidence: auditLink(bundle.query),
    }),
  ];
}
