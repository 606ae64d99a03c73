import Link from "next/link";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import type { AuditRef, LineageActor, RunLineage } from "@/lib/lineage";

/** Links a lineage line to its audit events in the explorer (which opens the event and verifies its proof). */
function Evidence({ refs, runId, linkable = true }: { refs: readonly AuditRef[]; runId: string; linkable?: boolean }) {
  if (refs.length === 0) return null;
  if (!linkable) {
    // Without audit.read the explorer is closed to the viewer: name the sealed events instead of linking them.
    return (
      <span className="ml-1 font-mono text-[11px] text-muted">
        {refs
          .slice(0, 4)
          .map((r) => (r.seq ? `#${r.seq}` : `id ${r.id}`))
          .join(" ")}
      </span>
    );
  }
  return (
    <span className="ml-1 inline-flex flex-wrap gap-1">
      {refs.slice(0, 4).map((r) => (
        <Link
          key={r.id}
          href={`/audit?q=${encodeURIComponent(`run:${runId}`)}${r.seq ? `&seq=${r.seq}` : ""}`}
          className="font-mono text-[11px] text-accent-text underline-offset-2 hover:underline"
          title={`${r.action} at ${r.ts}`}
        >
          {r.seq ? `#${r.seq}` : `id ${r.id} (unsealed)`}
        </Link>
      ))}
      {refs.length > 4 ? <span className="text-[11px] text-muted">+{refs.length - 4}</span> : null}
    </span>
  );
}

const who = (a: LineageActor) => `${a.label}${a.kind !== "user" ? ` (${a.kind})` : ""}`;

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[9rem_minmax(0,1fr)] gap-2 py-1 text-[13px]">
      <dt className="text-muted">{term}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}

function startedLine(l: RunLineage, linkEvents: boolean): ReactNode {
  const s = l.started;
  const via = typeof s.authorization.via === "string" ? s.authorization.via : null;
  const role = typeof s.authorization.role === "string" ? s.authorization.role : null;
  return (
    <>
      <span className="font-medium">{s.trigger}</span> by {who(s.by)}
      {via ? ` · via ${via}` : ""}
      {role ? ` · role ${role}` : ""}
      {s.tokenId ? ` · token ${s.tokenId}` : ""}
      {s.cronTick ? ` · cron tick ${s.cronTick}` : ""}
      {s.signal
        ? ` · signal ${s.signal.name}${s.signal.idempotencyKey ? ` (idempotency key ${s.signal.idempotencyKey})` : " (no idempotency key)"}`
        : ""}
      {s.retryOf ? (
        <>
          {" "}
          · retry of{" "}
          <Link href={`/runs/${s.retryOf}`} className="font-mono text-xs underline">
            {s.retryOf.slice(0, 8)}
          </Link>
        </>
      ) : null}
      <Evidence refs={s.audit} runId={l.run.id} linkable={linkEvents} />
    </>
  );
}

function TouchedList({ label, values }: { label: string; values: readonly string[] }) {
  if (values.length === 0) return null;
  return (
    <Row term={label}>
      <span className="flex flex-wrap gap-1">
        {values.slice(0, 30).map((v) => (
          <Badge key={v} className="font-mono">
            {v}
          </Badge>
        ))}
        {values.length > 30 ? <span className="text-xs text-muted">+{values.length - 30} more</span> : null}
      </span>
    </Row>
  );
}

/** "Who authorized this": the run's lineage at the top of its page (GET /api/runs/{id}/lineage answers the same). */
export function WhoAuthorizedPanel({ lineage, linkEvents = true }: { lineage: RunLineage; linkEvents?: boolean }) {
  const d = lineage.declaration;
  const t = lineage.touched;
  const nothingTouched = t.files.length + t.stateKeys.length + t.records.length + t.hosts.length === 0;
  return (
    <Card role="region" aria-labelledby="who-authorized-title">
      <CardHeader>
        <CardTitle id="who-authorized-title">Who authorized this</CardTitle>
      </CardHeader>
      <CardContent>
        <dl className="divide-y divide-border">
          <Row term="Declared by">
            owner {d.owner ?? "—"}; authorized by <span className="font-medium">{d.authorizedBy ?? "—"}</span> on{" "}
            {d.authorizedAt ?? "—"} · registry version{" "}
            <code className="font-mono text-xs">{d.registryVersion.slice(0, 12)}</code>
            {d.versionRegisteredAt ? ` (registered ${d.versionRegisteredAt})` : ""}
            <Evidence refs={d.audit} runId={lineage.run.id} linkable={linkEvents} />
          </Row>
          <Row term="Started">{startedLine(lineage, linkEvents)}</Row>
          <Row term="Approvals">
            {lineage.approvals.length === 0 ? (
              <span className="text-muted">None required</span>
            ) : (
              <ul className="flex flex-col gap-1">
                {lineage.approvals.map((a) => (
                  <li key={a.id}>
                    <span className="font-medium capitalize">{a.status}</span> — {a.what}
                    {a.decidedBy ? ` by ${who(a.decidedBy)}` : ""}
                    {a.role ? ` (${a.role})` : ""}
                    {a.decidedAt ? ` at ${a.decidedAt}` : ""}
                    {a.note ? ` · “${a.note}”` : ""}
                    <Evidence refs={a.audit} runId={lineage.run.id} linkable={linkEvents} />
                  </li>
                ))}
              </ul>
            )}
          </Row>
          <Row term="Operator controls">
            {lineage.controls.length === 0 ? (
              <span className="text-muted">None</span>
            ) : (
              <ul className="flex flex-col gap-1">
                {lineage.controls.map((c) => (
                  <li key={c.audit[0]?.id ?? c.at}>
                    {c.action} by {who(c.by)}
                    {c.role ? ` (${c.role})` : ""} at {c.at}
                    <Evidence refs={c.audit} runId={lineage.run.id} linkable={linkEvents} />
                  </li>
                ))}
              </ul>
            )}
          </Row>
          <Row term="Tool calls">
            {lineage.toolCalls.length === 0 ? (
              <span className="text-muted">None</span>
            ) : (
              <ul className="flex flex-col gap-1" aria-label="Tool calls and their authorization">
                {lineage.toolCalls.map((c) => {
                  const touched = [
                    ...c.touched.files,
                    ...c.touched.stateKeys,
                    ...c.touched.records,
                    ...c.touched.hosts,
                  ];
                  return (
                    <li key={c.key}>
                      <span className="font-mono text-xs">
                        t{c.turnIndex}.{c.callIndex}
                      </span>{" "}
                      <span className="font-medium">{c.tool}</span> {c.outcome}
                      {c.sideEffect && c.sideEffect !== "none" ? ` · ${c.sideEffect}` : ""} · under{" "}
                      {c.authorization.via}
                      {c.authorization.authorizedBy ? ` (${c.authorization.authorizedBy})` : ""}
                      {c.authorization.approvedBy ? ` · approved by ${c.authorization.approvedBy}` : ""}
                      {touched.length > 0
                        ? ` · touched ${touched.slice(0, 4).join(", ")}${touched.length > 4 ? "…" : ""}`
                        : ""}
                      <Evidence refs={c.audit} runId={lineage.run.id} linkable={linkEvents} />
                    </li>
                  );
                })}
              </ul>
            )}
          </Row>
          {nothingTouched ? <Row term="Touched">Nothing outside the model conversation</Row> : null}
          <TouchedList label="Files" values={t.files} />
          <TouchedList label="State keys" values={t.stateKeys} />
          <TouchedList label="Records" values={t.records} />
          <TouchedList label="External hosts" values={t.hosts} />
          {lineage.purge ? (
            <Row term="Retention">
              Purged {lineage.purge.purgedAt} after {lineage.purge.retentionDays} days:{" "}
              {Object.entries(lineage.purge.removed)
                .map(([k, v]) => `${k} ${String(v)}`)
                .join(", ")}
              . The run&apos;s skeleton and its audit events are kept.
            </Row>
          ) : null}
        </dl>
      </CardContent>
    </Card>
  );
}
