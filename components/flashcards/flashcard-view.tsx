import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import { GovernanceList } from "@/components/runs/governance-list";
import { JsonBlock } from "@/components/runs/json-block";
import { BudgetCurve } from "./budget-curve";
import { kindLabels, severityTone, stateTone } from "./card-meta";
import type { CardView, DetailView } from "./types";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="flex flex-col gap-2">
      <h3 className="text-[11px] font-semibold tracking-wide text-muted uppercase">{title}</h3>
      {children}
    </section>
  );
}

/** What the card asks: the tool and its arguments field by field, the run to approve, or the detector's figures. */
function WhatIsAsked({ card }: { card: CardView }) {
  const d = card.details;
  if (card.kind === "approval" && typeof d.tool === "string") {
    const input = isRecord(d.input) ? d.input : {};
    return (
      <dl className="grid grid-cols-[minmax(7rem,auto)_1fr] gap-x-4 gap-y-2 rounded-lg border border-border bg-surface p-3 text-sm">
        <dt className="text-muted">Tool</dt>
        <dd className="font-mono text-[13px]">{d.tool}</dd>
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
  if (card.kind === "approval") {
    return (
      <dl className="grid grid-cols-[minmax(7rem,auto)_1fr] gap-x-4 gap-y-2 rounded-lg border border-border bg-surface p-3 text-sm">
        <dt className="text-muted">Start</dt>
        <dd>a run of {String(d.jobTitle ?? card.jobId)}</dd>
        <dt className="text-muted">Requested by</dt>
        <dd>{String(d.requestedBy ?? "—")}</dd>
        <dt className="text-muted">Input</dt>
        <dd>
          <JsonBlock value={d.input ?? {}} label="Run input" className="max-h-40" />
        </dd>
      </dl>
    );
  }
  if (card.kind === "notice" && typeof d.message === "string") {
    return <p className="rounded-lg border border-border bg-surface p-3 text-sm whitespace-pre-wrap">{d.message}</p>;
  }
  return <JsonBlock value={d} label="What was noticed" className="max-h-56" />;
}

export function FlashcardView({ detail, fallback }: { detail: DetailView | undefined; fallback: CardView }) {
  const card = detail?.card ?? fallback;
  const run = detail?.run ?? null;
  const headingId = `card-title-${card.id}`;
  return (
    <article
      aria-labelledby={headingId}
      className="flex flex-col gap-5 rounded-xl border border-border bg-surface-raised p-5 shadow-sm"
      data-testid="flashcard"
      data-card-id={card.id}
    >
      <header className="flex flex-col gap-2">
        <div className="flex flex-wrap items-center gap-2">
          <Badge tone={severityTone[card.severity] ?? "neutral"} dot>
            {card.severity}
          </Badge>
          <Badge tone="neutral">{kindLabels[card.kind] ?? card.kind}</Badge>
          <Badge tone={stateTone[card.state] ?? "neutral"} data-testid="flashcard-state">
            {card.state}
          </Badge>
          {card.count > 1 ? <Badge tone="warning">seen {card.count}×</Badge> : null}
          {card.approvalsRequired > 1 ? (
            <Badge tone="violet" data-testid="flashcard-approvals">
              {card.approvalsGiven} of {card.approvalsRequired} approvals
            </Badge>
          ) : null}
          <span className="ml-auto text-xs text-muted">
            first seen <RelativeTime date={new Date(card.firstSeenAt)} /> · last{" "}
            <RelativeTime date={new Date(card.lastSeenAt)} />
          </span>
        </div>
        <h2 id={headingId} className="text-xl font-semibold text-foreground">
          {card.title}
        </h2>
        <p className="text-sm text-foreground/90">
          <span className="font-medium">Why: </span>
          {card.why}
        </p>
        {card.expiresAt && (card.state === "open" || card.state === "snoozed") ? (
          <p className="text-xs text-warning-text">
            Unanswered, it is {card.onExpiry === "approve" ? "approved" : "rejected"} by the runtime{" "}
            <RelativeTime date={new Date(card.expiresAt)} />.
          </p>
        ) : null}
        {card.decidedByLabel ? (
          <p className="text-xs text-muted">
            {card.state} by {card.decidedByLabel}
            {card.decisionReason ? `: ${card.decisionReason}` : ""}
          </p>
        ) : null}
      </header>

      <Section title="What is asked">
        <WhatIsAsked card={card} />
      </Section>

      {run ? (
        <div className="grid gap-5 lg:grid-cols-2">
          <Section title="Run">
            <dl className="grid grid-cols-[minmax(6rem,auto)_1fr] gap-x-3 gap-y-1.5 text-[13px]">
              <dt className="text-muted">Job</dt>
              <dd>
                <Link
                  className="text-accent-text underline-offset-2 hover:underline"
                  href={`/jobs/${encodeURIComponent(run.jobId)}`}
                >
                  {run.jobTitle}
                </Link>
              </dd>
              <dt className="text-muted">Run</dt>
              <dd>
                <Link
                  className="font-mono text-xs text-accent-text underline-offset-2 hover:underline"
                  href={`/runs/${encodeURIComponent(run.id)}`}
                >
                  {run.id.slice(0, 8)}
                </Link>{" "}
                <span className="text-muted">
                  {run.state}
                  {run.stateReason ? ` (${run.stateReason})` : ""}
                </span>
              </dd>
              <dt className="text-muted">Started by</dt>
              <dd>{run.actorLabel}</dd>
              <dt className="text-muted">Turns</dt>
              <dd>
                {run.turnsUsed} of {run.budgetTurns}
              </dd>
            </dl>
            <BudgetCurve curve={run.curve} budget={run.budgetTokens} />
          </Section>
          <Section title="Governance">
            <GovernanceList governance={run.governance} />
          </Section>
        </div>
      ) : null}

      {run?.lastModelText ? (
        <Section title="The model's last words before this card">
          <JsonBlock value={run.lastModelText} label="Model text" className="max-h-48" />
        </Section>
      ) : null}

      {card.evidence.length > 0 ? (
        <Section title="Evidence">
          <ul className="flex flex-wrap gap-2 text-xs">
            {card.evidence.map((e) => (
              <li key={`${e.type}:${e.id}`}>
                {e.type === "run" ? (
                  <Link className="text-accent-text hover:underline" href={`/runs/${encodeURIComponent(e.id)}`}>
                    run {e.id.slice(0, 8)}
                  </Link>
                ) : e.type === "job" ? (
                  <Link className="text-accent-text hover:underline" href={`/jobs/${encodeURIComponent(e.id)}`}>
                    job {e.id}
                  </Link>
                ) : (
                  <span className="font-mono text-muted">
                    {e.label ?? e.type} {e.id.length > 24 ? `${e.id.slice(0, 24)}…` : e.id}
                  </span>
                )}
              </li>
            ))}
            <li>
              <Link
                className="text-accent-text hover:underline"
                href={`/audit?subjectType=flashcard&subjectId=${encodeURIComponent(card.id)}`}
              >
                audit events
              </Link>
            </li>
          </ul>
        </Section>
      ) : null}

      {detail && detail.decisions.length > 0 ? (
        <Section title="Decisions">
          <ul className="flex flex-col gap-1 text-[13px]">
            {detail.decisions.map((d) => (
              <li key={d.id}>
                <span className="font-medium">{d.decision}</span> by {d.actorLabel} (
                <RelativeTime date={new Date(d.createdAt)} />){d.reason ? ` — ${d.reason}` : ""}
                {d.until ? ` until ${new Date(d.until).toLocaleString("en-GB")}` : ""}
                {Array.isArray(d.diff) && d.diff.length > 0 ? (
                  <JsonBlock value={d.diff} label="Edited arguments" className="mt-1 max-h-32" />
                ) : null}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
    </article>
  );
}
