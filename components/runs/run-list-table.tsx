"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Checkbox } from "@/components/ui/checkbox";
import { RelativeTime } from "@/components/ui/relative-time";
import { RunStateBadge } from "@/components/ui/run-state-badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { RunListRow } from "@/lib/board";
import { cn } from "@/lib/utils";
import { BulkControls } from "./bulk-controls";
import { compactNumber, shortId } from "./run-status-line";

export type SortKey = "created" | "updated" | "state" | "job" | "turns" | "tokens";

type Props = {
  rows: readonly RunListRow[];
  canControl: boolean;
  /** Header links: the URL of this page sorted by a column. */
  sortHref: Record<SortKey, string>;
  sort: SortKey;
  dir: "asc" | "desc";
};

function SortHeader(props: { label: string; column: SortKey; sort: SortKey; dir: "asc" | "desc"; href: string }) {
  const active = props.sort === props.column;
  return (
    <TableHead aria-sort={active ? (props.dir === "asc" ? "ascending" : "descending") : undefined}>
      <Link href={props.href} className="hover:text-foreground hover:underline">
        {props.label}
        {active ? <span aria-hidden>{props.dir === "asc" ? " ↑" : " ↓"}</span> : null}
      </Link>
    </TableHead>
  );
}

/** The list view's rows, with a checkbox each and bulk controls whose refusals are listed by run and reason. */
export function RunListTable({ rows, canControl, sortHref, sort, dir }: Props) {
  const router = useRouter();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [, startTransition] = useTransition();
  const chosen = rows.filter((r) => selected.has(r.id));
  const allChecked = rows.length > 0 && chosen.length === rows.length;

  const toggle = (id: string, on: boolean) =>
    setSelected((set) => {
      const next = new Set(set);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  function applied() {
    setSelected(new Set());
    startTransition(() => router.refresh());
  }

  return (
    <div className="flex flex-col gap-2">
      {canControl ? (
        <BulkControls
          chosen={chosen}
          hint="Select runs to pause, resume, retry or cancel them together."
          onDone={applied}
        />
      ) : null}
      <Table aria-label="Runs">
        <TableHeader>
          <TableRow>
            {canControl ? (
              <TableHead className="w-8">
                <Checkbox
                  aria-label="Select every run on this page"
                  checked={allChecked ? true : chosen.length > 0 ? "indeterminate" : false}
                  onCheckedChange={(v) => setSelected(v === true ? new Set(rows.map((r) => r.id)) : new Set())}
                />
              </TableHead>
            ) : null}
            <TableHead>Run</TableHead>
            <SortHeader label="Job" column="job" sort={sort} dir={dir} href={sortHref.job} />
            <SortHeader label="State" column="state" sort={sort} dir={dir} href={sortHref.state} />
            <TableHead>Customer / key</TableHead>
            <SortHeader label="Turns" column="turns" sort={sort} dir={dir} href={sortHref.turns} />
            <SortHeader label="Tokens" column="tokens" sort={sort} dir={dir} href={sortHref.tokens} />
            <SortHeader label="Created" column="created" sort={sort} dir={dir} href={sortHref.created} />
            <SortHeader label="In state since" column="updated" sort={sort} dir={dir} href={sortHref.updated} />
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((r) => (
            <TableRow key={r.id} data-state={selected.has(r.id) ? "selected" : undefined} data-run-row={r.id}>
              {canControl ? (
                <TableCell>
                  <Checkbox
                    aria-label={`Select run ${shortId(r.id)}`}
                    checked={selected.has(r.id)}
                    onCheckedChange={(v) => toggle(r.id, v === true)}
                  />
                </TableCell>
              ) : null}
              <TableCell className="max-w-64">
                <Link
                  href={`/runs/${r.id}`}
                  className="block truncate font-medium hover:underline"
                  title={r.title ?? r.jobTitle}
                >
                  {r.title ?? r.jobTitle}
                </Link>
                <span className="font-mono text-[11px] text-muted">{shortId(r.id)}</span>
              </TableCell>
              <TableCell className="max-w-40">{r.jobTitle}</TableCell>
              <TableCell>
                <div className="flex flex-col items-start gap-0.5">
                  <RunStateBadge state={r.state} />
                  {r.outcome || r.error || r.reason ? (
                    <span
                      className={cn("max-w-40 truncate text-[11px]", r.error ? "text-danger-text" : "text-muted")}
                      title={r.outcome ?? r.error ?? r.reason ?? undefined}
                    >
                      {r.outcome ?? r.error ?? r.reason}
                    </span>
                  ) : null}
                </div>
              </TableCell>
              <TableCell className="max-w-40 truncate">{r.fairKey}</TableCell>
              <TableCell className="tabular-nums">{r.turnsUsed}</TableCell>
              <TableCell className="tabular-nums">{compactNumber(r.tokensUsed)}</TableCell>
              <TableCell>
                <RelativeTime date={r.createdAt} />
              </TableCell>
              <TableCell>
                <RelativeTime date={r.stateSince} />
              </TableCell>
            </TableRow>
          ))}
          {rows.length === 0 ? (
            <TableRow>
              <TableCell colSpan={canControl ? 9 : 8} className="py-8 text-center text-muted">
                No run matches these filters.
              </TableCell>
            </TableRow>
          ) : null}
        </TableBody>
      </Table>
    </div>
  );
}
