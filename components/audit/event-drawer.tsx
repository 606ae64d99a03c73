"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Spinner } from "@/components/ui/spinner";
import type { AuditEvent } from "@/lib/audit";
import type { RunLineage } from "@/lib/lineage";
import { leafFields, verifyEventInBrowser, type EventProofResult } from "@/lib/proof-check";
import { absoluteTime, fetchJson, fetchText } from "./fetch-json";

interface EventWithLeaf extends AuditEvent {
  canonical: string | null;
  leafHash: string | null;
}

interface Checked {
  event: EventWithLeaf;
  result: EventProofResult;
}

async function loadAndVerify(seq: number, signal: AbortSignal): Promise<Checked> {
  const [event, proof, checkpointNote, verifierKey] = await Promise.all([
    fetchJson<EventWithLeaf>(`/api/audit/events/${seq}`, signal),
    fetchJson<{ leafIndex: number; treeSize: number; hashes: string[] }>(
      `/api/audit/proof/inclusion?seq=${seq}`,
      signal,
    ),
    fetchText("/api/audit/checkpoint", signal),
    fetchText("/api/audit/verifier-key", signal),
  ]);
  if (!event.canonical)
    return { event, result: { ok: false, message: "This event has no canonical leaf.", treeSize: null } };
  const result = await verifyEventInBrowser({
    seq,
    canonical: event.canonical,
    fields: leafFields(event),
    proof,
    checkpointNote,
    verifierKey,
  });
  return { event, result };
}

function runIdOf(e: AuditEvent): string | null {
  if (typeof e.payload.runId === "string") return e.payload.runId;
  if (e.subject.type === "run" && e.subject.id) return e.subject.id;
  if (e.actor.kind === "run" && e.actor.id) return e.actor.id;
  return null;
}

function LineageSummary({ runId }: { runId: string }) {
  const { data, error, isPending } = useQuery({
    queryKey: ["lineage", runId],
    queryFn: ({ signal }) => fetchJson<RunLineage>(`/api/runs/${runId}/lineage`, signal),
  });
  if (isPending) return <Spinner label="Loading lineage" />;
  if (error || !data) return <p className="text-xs text-muted">Lineage unavailable: {error?.message}</p>;
  const t = data.touched;
  const touched = [...t.files, ...t.stateKeys, ...t.records, ...t.hosts];
  return (
    <section aria-label="Who authorized this run" className="rounded-lg border border-border p-3 text-xs">
      <h3 className="mb-1 text-sm font-medium">Who authorized this</h3>
      <p>
        Job <span className="font-mono">{data.run.jobId}</span> authorized by{" "}
        <span className="font-medium">{data.declaration.authorizedBy}</span> on {data.declaration.authorizedAt} (owner{" "}
        {data.declaration.owner}, version {data.declaration.registryVersion.slice(0, 8)}).
      </p>
      <p>
        Started ({data.started.trigger}) by {data.started.by.label}
        {data.started.signal?.idempotencyKey ? `, idempotency key ${data.started.signal.idempotencyKey}` : ""}.
        {data.approvals.length > 0
          ? ` Approvals: ${data.approvals.map((a) => `${a.status}${a.decidedBy ? ` by ${a.decidedBy.label}` : ""}`).join("; ")}.`
          : ""}
      </p>
      <p>
        {data.toolCalls.length} tool calls
        {touched.length > 0 ? `; touched ${touched.slice(0, 6).join(", ")}${touched.length > 6 ? "…" : ""}` : ""}.{" "}
        <Link href={`/runs/${runId}`} className="text-accent-text underline">
          Open the run
        </Link>
      </p>
    </section>
  );
}

/** The event drawer: canonical event, hashes, and its inclusion proof verified in this browser against the latest signed checkpoint. */
export function EventDrawer({ event, onClose }: { event: AuditEvent | null; onClose: () => void }) {
  const seq = event?.seq ?? null;
  const check = useQuery({
    queryKey: ["audit-event-proof", seq],
    queryFn: ({ signal }) => loadAndVerify(seq as number, signal),
    enabled: seq !== null,
    staleTime: 30_000,
  });
  const runId = event ? runIdOf(event) : null;
  return (
    <Dialog open={event !== null} onOpenChange={(open) => (open ? null : onClose())}>
      <DialogContent className="max-w-3xl">
        {event ? (
          <>
            <DialogHeader>
              <DialogTitle>
                {event.seq ? `Event #${event.seq}` : `Event id ${event.id} (not sealed yet)`} · {event.action}
              </DialogTitle>
              <DialogDescription>
                {absoluteTime(event.ts)} · {event.actor.label} ({event.actor.kind}) · {event.subject.type}{" "}
                {event.subject.id ?? ""}
              </DialogDescription>
            </DialogHeader>
            <div className="mt-3 flex flex-col gap-3">
              <div
                role="status"
                aria-live="polite"
                data-testid="proof-result"
                className="rounded-lg border border-border p-3 text-sm"
              >
                {event.seq === null ? (
                  <span className="text-muted">
                    Not sealed yet: the sealer adds it to the Merkle log within a second; reopen it then to check its
                    proof.
                  </span>
                ) : check.isPending ? (
                  <span className="flex items-center gap-2 text-muted">
                    <Spinner label="Verifying" /> Checking the inclusion proof in your browser…
                  </span>
                ) : check.error ? (
                  <span className="text-danger-text">Could not check the proof: {check.error.message}</span>
                ) : check.data ? (
                  <span className={check.data.result.ok ? "text-success-text" : "text-danger-text"}>
                    <Badge tone={check.data.result.ok ? "success" : "danger"} className="mr-2">
                      {check.data.result.ok ? "Verified" : "Not verified"}
                    </Badge>
                    {check.data.result.message}
                  </span>
                ) : null}
              </div>
              {runId ? <LineageSummary runId={runId} /> : null}
              {check.data?.event.leafHash ? (
                <p className="text-xs">
                  <span className="text-muted">Leaf hash (SHA-256 of 0x00 ‖ canonical): </span>
                  <code className="font-mono break-all">{check.data.event.leafHash}</code>
                </p>
              ) : null}
              <section>
                <h3 className="mb-1 text-xs font-medium text-muted">
                  Canonical event (RFC 8785, exactly what was hashed)
                </h3>
                <pre className="max-h-80 overflow-auto rounded-md bg-surface-muted p-2 font-mono text-[11px] whitespace-pre-wrap break-all">
                  {check.data?.event.canonical ??
                    JSON.stringify(
                      {
                        ts: event.ts,
                        actor: event.actor,
                        action: event.action,
                        subject: event.subject,
                        authorization: event.authorization,
                        payload: event.payload,
                      },
                      null,
                      2,
                    )}
                </pre>
              </section>
            </div>
          </>
        ) : null}
      </DialogContent>
    </Dialog>
  );
}
