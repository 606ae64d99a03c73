import { Badge, type BadgeTone } from "@/components/ui/badge";
import { formatUtc } from "@/components/ui/format-relative";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ProofRunStatus, ProofRunView } from "@/lib/proof-runs";

const statusTone: Record<ProofRunStatus, BadgeTone> = {
  running: "info",
  passed: "success",
  failed: "danger",
  error: "warning",
};
const statusLabel: Record<ProofRunStatus, string> = {
  running: "Running",
  passed: "All three pass",
  failed: "A test fails",
  error: "Did not finish",
};

function Verdict({ name, pass }: { name: string; pass: boolean | undefined }) {
  if (pass === undefined) return <span className="text-muted">—</span>;
  return (
    <Badge tone={pass ? "success" : "danger"} title={`${name}: ${pass ? "pass" : "fail"}`}>
      {pass ? "Pass" : "Fail"}
    </Badge>
  );
}

/** Proofs run from here, newest first: verdicts per test, claims passed, and the report itself. */
export function ProofHistory({ runs }: { runs: readonly ProofRunView[] }) {
  return (
    <Table aria-label="Proof runs">
      <TableHeader>
        <TableRow>
          <TableHead>Started (UTC)</TableHead>
          <TableHead>Mode</TableHead>
          <TableHead>By</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>Scheduler</TableHead>
          <TableHead>Isolation</TableHead>
          <TableHead>Audit trail</TableHead>
          <TableHead>Claims</TableHead>
          <TableHead>Took</TableHead>
          <TableHead>Commit</TableHead>
          <TableHead>Report</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {runs.map((run) => (
          <TableRow key={run.id} data-proof-run={run.id}>
            <TableCell className="whitespace-nowrap tabular-nums">{formatUtc(run.startedAt)}</TableCell>
            <TableCell>{run.mode === "smoke" ? "Smoke" : "Full"}</TableCell>
            <TableCell className="max-w-40 truncate">{run.startedBy}</TableCell>
            <TableCell>
              <Badge tone={statusTone[run.status]} dot>
                {statusLabel[run.status]}
              </Badge>
            </TableCell>
            <TableCell>
              <Verdict name="Scheduler under contention" pass={run.verdicts?.contention} />
            </TableCell>
            <TableCell>
              <Verdict name="Workspace isolation" pass={run.verdicts?.isolation} />
            </TableCell>
            <TableCell>
              <Verdict name="Audit-trail query" pass={run.verdicts?.audit} />
            </TableCell>
            <TableCell className="tabular-nums">
              {run.claims ? `${run.claims.passed} of ${run.claims.total}` : "—"}
            </TableCell>
            <TableCell className="tabular-nums">
              {run.totalMs === null ? "—" : `${(run.totalMs / 1000).toFixed(0)} s`}
            </TableCell>
            <TableCell className="font-mono text-xs">{run.commit ? run.commit.slice(0, 8) : "—"}</TableCell>
            <TableCell className="whitespace-nowrap">
              {run.verdicts ? (
                <>
                  <a
                    href={`/api/proof/runs/${run.id}/report`}
                    target="_blank"
                    rel="noopener"
                    className="text-accent-text hover:underline"
                  >
                    HTML
                  </a>
                  {" · "}
                  <a href={`/api/proof/runs/${run.id}/report.json`} className="text-accent-text hover:underline">
                    JSON
                  </a>
                </>
              ) : (
                <span className="text-muted">—</span>
              )}
            </TableCell>
          </TableRow>
        ))}
        {runs.length === 0 ? (
          <TableRow>
            <TableCell colSpan={11} className="py-8 text-center text-muted">
              No proof has been run from here yet.
            </TableCell>
          </TableRow>
        ) : null}
      </TableBody>
    </Table>
  );
}
