import Link from "next/link";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { WhoAuthorizedPanel } from "@/components/lineage/who-authorized-panel";
import { LocksTable } from "@/components/memory/locks-table";
import { RevertButton } from "@/components/memory/revert-button";
import { RunWrites } from "@/components/memory/run-writes";
import { ApprovalPanel } from "@/components/runs/approval-panel";
import { GovernanceList } from "@/components/runs/governance-list";
import { JsonBlock } from "@/components/runs/json-block";
import { LiveRefresh } from "@/components/runs/live-refresh";
import { RunAuditTable } from "@/components/runs/run-audit-table";
import { RunControlsBar } from "@/components/runs/run-controls-bar";
import { allowedControls } from "@/components/runs/run-controls";
import { RunNotifications } from "@/components/runs/run-notifications";
import { shortId } from "@/components/runs/run-status-line";
import { RunSummary } from "@/components/runs/run-summary";
import { isSimulated, TurnTimeline } from "@/components/runs/turn-timeline";
import { WorkspacePanel } from "@/components/runs/workspace-panel";
import { authorizePage } from "@/components/shell/authorize-page";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { formatUtc } from "@/components/ui/format-relative";
import { PageHeader } from "@/components/ui/page-header";
import { RunStateBadge } from "@/components/ui/run-state-badge";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { getDb } from "@/db/client";
import { roleAllows } from "@/lib/auth";
import { principalRole } from "@/lib/auth";
import { loadRunPage } from "@/lib/board";
import { listRunFiles, readRunFile } from "@/lib/board";
import { getEnv } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { runLineage } from "@/lib/lineage";
import { runMemoryView } from "@/lib/memory";
import { isTerminal } from "@/lib/runtime";
import { describeWaitPosition, runWaitPosition } from "@/lib/scheduling";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ tab?: string | string[]; file?: string | string[] }>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  return { title: `Run ${shortId(id)}` };
}

const tabs = ["timeline", "workspace", "audit", "io"] as const;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

async function load(id: string) {
  try {
    return await loadRunPage(await getDb(), id);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  }
}

export default async function RunPage({ params, searchParams }: Props) {
  const principal = await authorizePage("runs.read");
  const role = principalRole(principal);
  const { id } = await params;
  const query = await searchParams;
  const file = one(query.file);
  const tab = tabs.find((t) => t === one(query.tab)) ?? (file ? "workspace" : "timeline");

  const page = await load(id);
  const { run } = page;
  // A run's own audit events and lineage: audit.read.run (lib/auth/policy.ts).
  const ownAudit = roleAllows(role, "audit.read.run");
  const [listing, selected, position, lineage, memory] = await Promise.all([
    listRunFiles(run.id),
    file ? readRunFile(run.id, file) : Promise.resolve(null),
    runWaitPosition(await getDb(), run.id),
    ownAudit ? runLineage(await getDb(), run.id) : Promise.resolve(null),
    runMemoryView(await getDb(), run.id),
  ]);
  const controls = roleAllows(role, "runs.control")
    ? allowedControls({ ...run, retried: page.retries.length > 0 })
    : [];
  const simulated = page.turns.some((t) => isSimulated(t.model));
  const decided = page.approvals.filter((a) => a.status !== "pending");
  const rejectedActions = decided.filter((a) => a.status === "rejected");

  return (
    <>
      <LiveRefresh active={!isTerminal(run.state)} kinds={["run", "flashcard"]} runId={run.id} />
      <PageHeader
        title={
          <span className="flex min-w-0 flex-wrap items-center gap-2">
            <span className="min-w-0 break-words">{run.title ?? page.jobTitle}</span>
            <RunStateBadge state={run.state} />
            {run.state === "succeeded" && run.outcome ? (
              <Badge tone={rejectedActions.length > 0 ? "warning" : "success"} data-testid="run-outcome">
                {run.outcome}
              </Badge>
            ) : null}
            {simulated ? <Badge tone="violet">Simulated model</Badge> : null}
          </span>
        }
        description={
          <>
            {run.title ? <>{page.jobTitle} · </> : null}
            Run <code className="font-mono text-xs text-foreground">{run.id}</code>
            {run.stateReason ? (
              <>
                {" "}
                · {run.state === "waiting" ? "waiting for" : "reason:"} {run.stateReason}
              </>
            ) : null}
            {run.pauseRequested ? " · pausing at the end of this turn" : null}
            {run.cancelRequested ? " · cancelling at the end of this turn" : null}
          </>
        }
        actions={<RunControlsBar runId={run.id} controls={controls} running={run.state === "running"} />}
      />
      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="flex min-w-0 flex-col gap-6">
          {lineage ? <WhoAuthorizedPanel lineage={lineage} linkEvents={roleAllows(role, "audit.read")} /> : null}
          {page.pendingApprovals.length > 0 ? (
            <ApprovalPanel approvals={page.pendingApprovals} canDecide={roleAllows(role, "runs.approve")} />
          ) : null}
          {rejectedActions.length > 0 ? (
            <div
              role="note"
              data-testid="rejected-actions"
              className="rounded-lg border border-danger/30 bg-danger-soft/50 p-3 text-[13px] text-danger-text"
            >
              <span className="font-medium">
                {rejectedActions.length === 1
                  ? "1 action was rejected"
                  : `${rejectedActions.length} actions were rejected`}
                {run.state === "succeeded" ? " — the run finished without it" : ""}:{" "}
              </span>
              {rejectedActions.map((a, i) => (
                <span key={a.id}>
                  {i > 0 ? "; " : ""}
                  {a.kind === "tool" ? String(a.details.tool ?? a.subject) : "the run"} by {a.decidedByLabel ?? "?"}
                  {a.note ? ` (${a.note})` : ""}{" "}
                  <Link className="underline" href={`/flashcards?approval=${encodeURIComponent(a.id)}`}>
                    card
                  </Link>
                </span>
              ))}
            </div>
          ) : null}
          {run.error ? (
            <div
              role="note"
              className="rounded-lg border border-danger/30 bg-danger-soft/50 p-3 text-[13px] text-danger-text"
            >
              <span className="font-medium">Error: </span>
              {run.error}
            </div>
          ) : null}
          <RunNotifications notifications={page.notifications} />
          <Tabs defaultValue={tab}>
            <TabsList aria-label="Run details">
              <TabsTrigger value="timeline">Timeline ({page.turns.length})</TabsTrigger>
              <TabsTrigger value="workspace">
                Workspace ({listing.entries.filter((e) => e.type === "file").length})
              </TabsTrigger>
              {ownAudit ? (
                <TabsTrigger value="audit">
                  Audit ({page.audit.length}
                  {page.auditMore ? "+" : ""})
                </TabsTrigger>
              ) : null}
              <TabsTrigger value="io">Input &amp; output</TabsTrigger>
            </TabsList>
            <TabsContent value="timeline">
              <TurnTimeline turns={page.turns} toolCalls={page.toolCalls} />
            </TabsContent>
            <TabsContent value="workspace">
              <WorkspacePanel runId={run.id} listing={listing} selected={selected} />
            </TabsContent>
            {ownAudit ? (
              <TabsContent value="audit">
                <RunAuditTable events={page.audit} more={page.auditMore} runId={run.id} />
              </TabsContent>
            ) : null}
            <TabsContent value="io" className="flex flex-col gap-4">
              <section className="flex flex-col gap-1.5">
                <h2 className="text-xs font-medium text-muted">Input</h2>
                <JsonBlock value={run.input} label="Run input" />
              </section>
              <section className="flex flex-col gap-1.5">
                <h2 className="text-xs font-medium text-muted">Output</h2>
                {run.output === null || run.output === undefined ? (
                  <p className="text-xs text-muted">No output yet.</p>
                ) : (
                  <JsonBlock value={run.output} label="Run output" />
                )}
              </section>
            </TabsContent>
          </Tabs>
        </div>
        <aside className="flex flex-col gap-4">
          <Card>
            <CardHeader>
              <CardTitle>Run</CardTitle>
            </CardHeader>
            <CardContent>
              <RunSummary
                run={run}
                jobTitle={page.jobTitle}
                retries={page.retries}
                queuePosition={position ? describeWaitPosition(position) : null}
                traceUrl={getEnv().FLIGHTDECK_TRACE_URL ?? null}
              />
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Governance snapshot</CardTitle>
              <p className="text-xs text-muted">As declared on the job when this run was created.</p>
            </CardHeader>
            <CardContent>
              <GovernanceList governance={run.governance} />
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Shared memory</CardTitle>
              <p className="text-xs text-muted">What this run wrote, and the locks it holds or waits for.</p>
            </CardHeader>
            <CardContent className="flex flex-col gap-3">
              <RunWrites writes={memory.writes} />
              {memory.writes.length > 0 && roleAllows(role, "memory.revert") ? <RevertButton runId={run.id} /> : null}
              {memory.locks.length > 0 ? <LocksTable locks={memory.locks} showRun={false} /> : null}
            </CardContent>
          </Card>
          {decided.length > 0 ? (
            <Card>
              <CardHeader>
                <CardTitle>Decisions</CardTitle>
              </CardHeader>
              <CardContent>
                <ul className="flex flex-col gap-2 text-[13px]">
                  {decided.map((a) => (
                    <li key={a.id} data-decision={a.status}>
                      <span className="font-medium capitalize">{a.status}</span> —{" "}
                      {a.kind === "tool" ? (
                        <>
                          the <code className="font-mono text-xs">{String(a.details.tool ?? a.subject)}</code> call
                        </>
                      ) : (
                        "the run"
                      )}
                      <span className="block text-xs text-muted">
                        by {a.decidedByLabel ?? "the expiry default"}
                        {a.decidedAt ? (
                          <>
                            {" "}
                            · <time dateTime={a.decidedAt.toISOString()}>{formatUtc(a.decidedAt)}</time>
                          </>
                        ) : null}
                        {a.note ? ` · “${a.note}”` : ""}
                      </span>
                    </li>
                  ))}
                </ul>
              </CardContent>
            </Card>
          ) : null}
        </aside>
      </div>
    </>
  );
}
