"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { decideCards } from "@/lib/actions";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { RelativeTime } from "@/components/ui/relative-time";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { toast } from "@/components/ui/toaster";
import { fetchCards, type CardFilters } from "./api";
import { kindLabels, severityTone, stateTone } from "./card-meta";
import { RejectDialog, SnoozeDialog } from "./decision-dialogs";
import { OPEN_COUNT_KEY } from "./open-count-badge";
import type { DecisionBody } from "./types";
import { usePollInterval } from "@/components/live/live-events";

const ALL = "__all";

function FilterSelect({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string | undefined;
  options: [string, string][];
  onChange: (v: string | undefined) => void;
}) {
  return (
    <Field label={label} className="w-40">
      <Select value={value ?? ALL} onValueChange={(v) => onChange(v === ALL ? undefined : v)}>
        <SelectTrigger>
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          <SelectItem value={ALL}>All</SelectItem>
          {options.map(([v, l]) => (
            <SelectItem key={v} value={v}>
              {l}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    </Field>
  );
}

/** Every card matching the filters, with bulk decisions on the selected ones (e.g. all of one job). */
export function FlashcardList({ canDecide, onOpen }: { canDecide: boolean; onOpen: (id: string) => void }) {
  const queryClient = useQueryClient();
  const [filters, setFilters] = useState<CardFilters>({ state: "open" });
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [dialog, setDialog] = useState<"reject" | "snooze" | null>(null);
  const [busy, setBusy] = useState(false);
  const refetchInterval = usePollInterval(3_000, 30_000);
  const { data } = useQuery({
    queryKey: ["flashcards", "list", filters],
    queryFn: () => fetchCards(filters),
    refetchInterval,
  });
  const cards = useMemo(() => data?.cards ?? [], [data]);
  const jobs = useMemo(
    () => [...new Set(cards.map((c) => c.jobId).filter((j): j is string => Boolean(j)))].sort(),
    [cards],
  );
  const chosen = cards.filter((c) => selected.has(c.id));
  const allApprovals = chosen.length > 0 && chosen.every((c) => c.approvalId !== null);
  const noApprovals = chosen.length > 0 && chosen.every((c) => c.approvalId === null);

  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const selectWhere = (pred: (c: (typeof cards)[number]) => boolean) =>
    setSelected(new Set(cards.filter(pred).map((c) => c.id)));

  async function bulk(body: DecisionBody) {
    setDialog(null);
    setBusy(true);
    const result = await decideCards({ cardIds: [...selected], body }).catch(() => null);
    setBusy(false);
    void queryClient.invalidateQueries({ queryKey: ["flashcards"] });
    void queryClient.invalidateQueries({ queryKey: OPEN_COUNT_KEY });
    if (!result) return void toast.error("The server could not be reached");
    if (!result.ok) return void toast.error(`Not decided: ${result.error.message}`);
    const failed = result.data.results.filter((r) => !r.ok);
    setSelected(new Set(failed.map((r) => r.cardId)));
    if (failed.length === 0) toast.success(`${result.data.results.length} cards decided`);
    else
      toast.error(
        `${result.data.results.length - failed.length} decided, ${failed.length} refused: ${failed[0]?.error ?? ""}`,
      );
  }

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end gap-3">
        <FilterSelect
          label="State"
          value={filters.state}
          options={[
            ["open", "Open"],
            ["snoozed", "Snoozed"],
            ["live", "Open or snoozed"],
            ["approved", "Approved"],
            ["rejected", "Rejected"],
            ["dismissed", "Dismissed"],
            ["expired", "Expired"],
            ["withdrawn", "Withdrawn"],
          ]}
          onChange={(state) => setFilters((f) => ({ ...f, state: state ?? "all" }))}
        />
        <FilterSelect
          label="Kind"
          value={filters.kind}
          options={Object.entries(kindLabels)}
          onChange={(kind) => setFilters((f) => ({ ...f, kind }))}
        />
        <FilterSelect
          label="Severity"
          value={filters.severity}
          options={[
            ["critical", "Critical"],
            ["warning", "Warning"],
            ["info", "Info"],
          ]}
          onChange={(severity) => setFilters((f) => ({ ...f, severity }))}
        />
        <FilterSelect
          label="Job"
          value={filters.job}
          options={jobs.map((j) => [j, j])}
          onChange={(job) => setFilters((f) => ({ ...f, job }))}
        />
      </div>
      {canDecide ? (
        <div className="flex flex-wrap items-center gap-2 text-sm" role="toolbar" aria-label="Bulk decisions">
          <span className="text-muted">{selected.size} selected</span>
          {chosen[0]?.jobId ? (
            <Button
              size="sm"
              variant="ghost"
              onClick={() => selectWhere((c) => c.jobId === chosen[0]?.jobId && c.kind === chosen[0]?.kind)}
            >
              Select all {kindLabels[chosen[0].kind] ?? chosen[0].kind} cards of {chosen[0].jobId}
            </Button>
          ) : null}
          {chosen[0] ? (
            <Button
              size="sm"
              variant="ghost"
              onClick={() =>
                selectWhere(
                  (c) =>
                    c.fingerprint === chosen[0]?.fingerprint ||
                    (c.kind === chosen[0]?.kind && c.entity === chosen[0]?.entity && c.jobId === chosen[0]?.jobId),
                )
              }
            >
              Select similar
            </Button>
          ) : null}
          <div className="ml-auto flex gap-2">
            <Button
              size="sm"
              variant="primary"
              disabled={!allApprovals || busy}
              onClick={() => void bulk({ decision: "approve" })}
            >
              Approve
            </Button>
            <Button
              size="sm"
              variant="danger"
              disabled={chosen.length === 0 || busy}
              onClick={() => setDialog("reject")}
            >
              Reject
            </Button>
            <Button size="sm" disabled={chosen.length === 0 || busy} onClick={() => setDialog("snooze")}>
              Snooze
            </Button>
            <Button size="sm" disabled={!noApprovals || busy} onClick={() => void bulk({ decision: "dismiss" })}>
              Dismiss
            </Button>
          </div>
        </div>
      ) : null}
      <Table>
        <TableHeader>
          <TableRow>
            {canDecide ? (
              <TableHead className="w-8">
                <span className="sr-only">Select</span>
              </TableHead>
            ) : null}
            <TableHead>Card</TableHead>
            <TableHead>Kind</TableHead>
            <TableHead>Job</TableHead>
            <TableHead>State</TableHead>
            <TableHead>Count</TableHead>
            <TableHead>Last seen</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {cards.map((c) => (
            <TableRow key={c.id}>
              {canDecide ? (
                <TableCell>
                  <Checkbox
                    aria-label={`Select ${c.title}`}
                    checked={selected.has(c.id)}
                    onCheckedChange={() => toggle(c.id)}
                  />
                </TableCell>
              ) : null}
              <TableCell>
                <button
                  type="button"
                  className="text-left font-medium text-foreground hover:underline"
                  onClick={() => onOpen(c.id)}
                >
                  {c.title}
                </button>
              </TableCell>
              <TableCell>
                <Badge tone={severityTone[c.severity] ?? "neutral"}>{kindLabels[c.kind] ?? c.kind}</Badge>
              </TableCell>
              <TableCell className="font-mono text-xs">{c.jobId ?? "—"}</TableCell>
              <TableCell>
                <Badge tone={stateTone[c.state] ?? "neutral"}>{c.state}</Badge>
              </TableCell>
              <TableCell>{c.count}</TableCell>
              <TableCell>
                <RelativeTime date={new Date(c.lastSeenAt)} />
              </TableCell>
            </TableRow>
          ))}
          {cards.length === 0 ? (
            <TableRow>
              <TableCell colSpan={canDecide ? 7 : 6} className="py-6 text-center text-muted">
                No cards match these filters.
              </TableCell>
            </TableRow>
          ) : null}
        </TableBody>
      </Table>
      <RejectDialog
        bulk={chosen.length}
        open={dialog === "reject"}
        onClose={() => setDialog(null)}
        onReject={(reason) => void bulk({ decision: "reject", reason })}
      />
      <SnoozeDialog
        bulk={chosen.length}
        open={dialog === "snooze"}
        onClose={() => setDialog(null)}
        onSnooze={(until) => void bulk({ decision: "snooze", until })}
      />
    </div>
  );
}
