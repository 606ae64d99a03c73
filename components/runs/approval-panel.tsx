"use client";

import { Check, ShieldQuestion, X } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { decideApproval } from "@/lib/actions";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { RelativeTime } from "@/components/ui/relative-time";
import { toast } from "@/components/ui/toaster";
import { JsonBlock } from "./json-block";

export type PendingApproval = {
  id: string;
  kind: "run" | "tool";
  subject: string;
  details: Record<string, unknown>;
  requestedAt: Date;
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** What the lead is asked to allow: a tool call's input field by field (long text kept readable), else the raw details. */
function ApprovalDetails({ details }: { details: Record<string, unknown> }) {
  const input = details.input;
  if (!isRecord(input)) return <JsonBlock value={details} label="What is asked" className="max-h-48 bg-surface" />;
  return (
    <dl className="grid grid-cols-[minmax(6rem,auto)_1fr] gap-x-3 gap-y-1.5 rounded-md border border-border bg-surface p-2.5 text-[13px]">
      {typeof details.tool === "string" ? (
        <>
          <dt className="text-muted">Tool</dt>
          <dd className="font-mono text-xs">{details.tool}</dd>
        </>
      ) : null}
      {Object.entries(input).map(([key, value]) => (
        <div key={key} className="contents">
          <dt className="text-muted">{key}</dt>
          <dd className="min-w-0 break-words whitespace-pre-wrap">
            {typeof value === "string" ? value : JSON.stringify(value)}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function ApprovalItem({ approval, canDecide }: { approval: PendingApproval; canDecide: boolean }) {
  const router = useRouter();
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState<"approved" | "rejected" | null>(null);
  // Rejecting cannot be taken back: it asks once more, naming what it does.
  const [confirmReject, setConfirmReject] = useState(false);
  const [, startTransition] = useTransition();

  async function decide(decision: "approved" | "rejected") {
    setBusy(decision);
    const result = await decideApproval({ approvalId: approval.id, decision, note: note.trim() || undefined }).catch(
      () => null,
    );
    setBusy(null);
    if (!result) return void toast.error("The server could not be reached");
    if (!result.ok) return void toast.error(`Decision refused: ${result.error.message}`);
    const votes = result.data.approvals;
    if (decision === "approved" && votes && votes.given < votes.required)
      toast.success(`${votes.given} of ${votes.required} approvals — a second, different lead must approve`);
    else if (decision === "approved") toast.success("Approved — the run continues");
    else toast.warning("Rejected — the run is told why, and shows the rejection");
    startTransition(() => router.refresh());
  }

  return (
    <li className="flex flex-col gap-3 rounded-lg border border-warning/40 bg-warning-soft/40 p-3">
      <div className="flex flex-wrap items-center gap-2 text-[13px]">
        <ShieldQuestion aria-hidden className="size-4 text-warning-text" />
        <span className="font-medium text-foreground">
          {approval.kind === "run" ? "Approve this run before it starts" : "Approve a tool call"}
        </span>
        <code className="font-mono text-xs text-muted">{approval.subject}</code>
        <span className="ml-auto text-xs text-muted">
          requested <RelativeTime date={approval.requestedAt} />
        </span>
        <Link
          className="text-xs font-medium text-accent-text hover:underline"
          href={`/flashcards?approval=${encodeURIComponent(approval.id)}`}
        >
          Open its flashcard
        </Link>
      </div>
      <ApprovalDetails details={approval.details} />
      {canDecide ? (
        <div className="flex flex-wrap items-end gap-2">
          <Field label="Note (optional)" className="min-w-56 flex-1">
            <Input
              value={note}
              onChange={(e) => setNote(e.target.value)}
              maxLength={2000}
              placeholder="Why — recorded in the audit trail"
            />
          </Field>
          <Button
            variant="primary"
            loading={busy === "approved"}
            disabled={busy !== null}
            onClick={() => void decide("approved")}
          >
            {busy === "approved" ? null : <Check aria-hidden />}
            Approve
          </Button>
          {confirmReject ? (
            <div role="group" aria-label="Confirm the rejection" className="flex flex-wrap items-center gap-2">
              <span className="text-[13px] text-danger-text">
                {approval.kind === "run" ? "Reject: the run is cancelled." : "Reject: the tool call is not made."}
              </span>
              <Button
                variant="danger"
                loading={busy === "rejected"}
                disabled={busy !== null}
                onClick={() => void decide("rejected")}
              >
                {busy === "rejected" ? null : <X aria-hidden />}
                Confirm reject
              </Button>
              <Button disabled={busy !== null} onClick={() => setConfirmReject(false)}>
                Keep it pending
              </Button>
            </div>
          ) : (
            <Button variant="danger" disabled={busy !== null} onClick={() => setConfirmReject(true)}>
              <X aria-hidden />
              Reject
            </Button>
          )}
        </div>
      ) : (
        <p className="text-xs text-muted">A lead or an admin decides this.</p>
      )}
    </li>
  );
}

/** Pending approvals of the run; leads and admins decide here (the server checks the role again). */
export function ApprovalPanel({ approvals, canDecide }: { approvals: PendingApproval[]; canDecide: boolean }) {
  return (
    <section aria-labelledby="pending-approvals" className="flex flex-col gap-2">
      <h2 id="pending-approvals" className="text-sm font-semibold">
        Waiting for a decision
      </h2>
      <ul className="flex flex-col gap-2">
        {approvals.map((approval) => (
          <ApprovalItem key={approval.id} approval={approval} canDecide={canDecide} />
        ))}
      </ul>
    </section>
  );
}
