"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useVirtualizer } from "@tanstack/react-virtual";
import { Download, Search, Star, Trash2 } from "lucide-react";
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { deleteAuditQueryAction, saveAuditQueryAction } from "@/lib/actions";
import { useActionRunner } from "@/components/settings/use-action-runner";
import { Button } from "@/components/ui/button";
import { buttonClassName } from "@/components/ui/button-styles";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { formatRelative } from "@/components/ui/format-relative";
import type { AuditEvent } from "@/lib/audit";
import { cn } from "@/lib/utils";
import { EventDrawer } from "./event-drawer";
import { absoluteTime, ApiError, fetchJson } from "./fetch-json";
import { VerifyLog } from "./verify-log";

interface Page {
  events: AuditEvent[];
  nextCursor: number | null;
}
interface Facet {
  value: string;
  label: string;
  count: number;
}
interface Facets {
  actions: Facet[];
  actors: Facet[];
  runs: Facet[];
  scanned: number;
  capped: boolean;
  textWindow: number | null;
}
export interface SavedQueryView {
  id: string;
  name: string;
  query: string;
}

const PAGE = 100;
const ROW = 36;
const presets = [
  { label: "Last hour", value: "1h" },
  { label: "24 hours", value: "24h" },
  { label: "7 days", value: "7d" },
  { label: "30 days", value: "30d" },
  { label: "All time", value: null },
] as const;

/** Replaces any since:/until: term with the preset (or removes them for "All time"). */
function withRange(q: string, since: string | null): string {
  const rest = q
    .split(/\s+/)
    .filter((t) => t !== "" && !/^(since|until):/i.test(t))
    .join(" ");
  return since ? `${rest} since:${since}`.trim() : rest;
}

function currentRange(q: string): string | null {
  return /(?:^|\s)since:(\S+)/i.exec(q)?.[1] ?? null;
}

function addTerm(q: string, term: string): string {
  return q.split(/\s+/).includes(term) ? q : `${q} ${term}`.trim();
}

function summary(e: AuditEvent): string {
  const p = e.payload;
  const parts: string[] = [];
  if (typeof p.tool === "string") parts.push(`${p.tool}${typeof p.outcome === "string" ? ` → ${p.outcome}` : ""}`);
  if (typeof p.jobId === "string") parts.push(`job ${p.jobId}`);
  if (typeof p.from === "string" && typeof p.to === "string") parts.push(`${p.from} → ${p.to}`);
  if (typeof p.reason === "string") parts.push(p.reason);
  if (typeof p.note === "string" && p.note) parts.push(`“${p.note}”`);
  return parts.join(" · ");
}

export function AuditExplorer({
  savedQueries,
  canVerify,
  canExport,
  treeSize,
}: {
  savedQueries: SavedQueryView[];
  canVerify: boolean;
  canExport: boolean;
  treeSize: number | null;
}) {
  const pathname = usePathname();
  const params = useSearchParams();
  const q = params.get("q") ?? "";
  const openSeq = params.get("seq");
  const [draft, setDraft] = useState(q);
  const [saveName, setSaveName] = useState("");
  const [selected, setSelected] = useState<AuditEvent | null>(null);
  const { pending: saving, run } = useActionRunner();
  useEffect(() => setDraft(q), [q]);

  function navigate(next: { q?: string; seq?: number | null }) {
    const search = new URLSearchParams(params.toString());
    if (next.q !== undefined) {
      if (next.q) search.set("q", next.q);
      else search.delete("q");
    }
    if (next.seq !== undefined) {
      if (next.seq) search.set("seq", String(next.seq));
      else search.delete("seq");
    }
    const s = search.toString();
    // The query and the open event live in the URL only: the native history API updates
    // useSearchParams without a server round trip, which would remount the explorer (its page
    // segment is keyed by the search params) and drop whatever the user typed meanwhile.
    window.history.replaceState(null, "", s ? `${pathname}?${s}` : pathname);
  }

  const feed = useInfiniteQuery({
    queryKey: ["audit-feed", q],
    queryFn: ({ pageParam, signal }) =>
      fetchJson<Page>(
        `/api/audit?limit=${PAGE}&q=${encodeURIComponent(q)}${pageParam ? `&cursor=${pageParam}` : ""}`,
        signal,
      ),
    initialPageParam: 0,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });
  const facets = useQuery({
    queryKey: ["audit-facets", q],
    queryFn: ({ signal }) => fetchJson<Facets>(`/api/audit/facets?q=${encodeURIComponent(q)}`, signal),
    retry: false,
  });
  const events = useMemo(() => feed.data?.pages.flatMap((p) => p.events) ?? [], [feed.data]);

  // A deep link (?seq=) opens that event's drawer once it is loaded, or on its own.
  const linked = useQuery({
    queryKey: ["audit-linked", openSeq],
    queryFn: ({ signal }) => fetchJson<AuditEvent>(`/api/audit/events/${openSeq}`, signal),
    enabled: openSeq !== null && /^\d+$/.test(openSeq) && selected === null,
  });
  const drawerEvent =
    selected ?? (openSeq ? (events.find((e) => String(e.seq) === openSeq) ?? linked.data ?? null) : null);

  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: events.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    overscan: 12,
  });
  const items = virtual.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (lastIndex >= events.length - 20 && feed.hasNextPage && !feed.isFetchingNextPage) void feed.fetchNextPage();
  }, [lastIndex, events.length, feed]);

  function submit(e: FormEvent) {
    e.preventDefault();
    navigate({ q: draft.trim(), seq: null });
  }

  const queryError = feed.error instanceof ApiError ? feed.error : null;
  const range = currentRange(q);

  return (
    <div className="grid gap-4 xl:grid-cols-[minmax(0,1fr)_18rem]">
      <div className="flex min-w-0 flex-col gap-3">
        <form onSubmit={submit} className="flex gap-2" role="search" aria-label="Audit query">
          <label htmlFor="audit-q" className="sr-only">
            Query
          </label>
          <Input
            id="audit-q"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            placeholder='actor:jane@acme.example action:run.* run:3f2a since:24h "customer@example.com"'
            className="font-mono text-xs"
            spellCheck={false}
            autoComplete="off"
          />
          <Button type="submit" size="md">
            <Search aria-hidden />
            Search
          </Button>
        </form>
        <div className="flex flex-wrap items-center gap-1.5" role="group" aria-label="Time range">
          {presets.map((p) => (
            <button
              key={p.label}
              type="button"
              onClick={() => navigate({ q: withRange(q, p.value), seq: null })}
              aria-pressed={range === p.value}
              className={cn(
                "rounded-full border px-2.5 py-0.5 text-xs",
                range === p.value
                  ? "border-accent bg-accent-soft text-accent-text"
                  : "border-border text-muted hover:text-foreground",
              )}
            >
              {p.label}
            </button>
          ))}
          {canExport ? (
            <span className="ml-auto flex gap-1.5">
              {(["jsonl", "csv", "bundle"] as const).map((f) => (
                <a
                  key={f}
                  className={buttonClassName("ghost", "sm")}
                  href={`/api/audit/export?format=${f}&q=${encodeURIComponent(q)}`}
                  download
                >
                  <Download aria-hidden />
                  {f === "bundle" ? "Evidence bundle" : f.toUpperCase()}
                </a>
              ))}
            </span>
          ) : null}
        </div>
        {queryError ? (
          <div
            role="alert"
            className="rounded-lg border border-danger/30 bg-danger-soft/50 p-3 text-[13px] text-danger-text"
          >
            <p className="font-medium">{queryError.message}</p>
            {queryError.details.token ? (
              <p className="mt-1">
                At <code className="font-mono">{queryError.details.token}</code>
                {queryError.details.suggestion ? (
                  <>
                    {" "}
                    — try <code className="font-mono">{queryError.details.suggestion}</code>
                  </>
                ) : null}
              </p>
            ) : null}
            {queryError.details.syntax ? (
              <pre className="mt-2 font-mono text-[11px] whitespace-pre-wrap text-foreground">
                {queryError.details.syntax}
              </pre>
            ) : null}
          </div>
        ) : null}
        <div className="rounded-lg border border-border">
          {/* One ARIA table: a header row group and the scrolled row group; nothing else may sit inside it. */}
          <div role="table" aria-label="Audit events, newest first" aria-rowcount={events.length + 1}>
            <div role="rowgroup">
              <div
                className="grid grid-cols-[5rem_14rem_minmax(0,1fr)_11rem_minmax(0,1.2fr)] gap-2 border-b border-border px-3 py-2 text-xs font-medium text-muted"
                role="row"
              >
                <span role="columnheader">Seq</span>
                <span role="columnheader">Time</span>
                <span role="columnheader">Actor</span>
                <span role="columnheader">Action</span>
                <span role="columnheader">Subject · details</span>
              </div>
            </div>
            <div ref={scroller} role="rowgroup" className="h-[60vh] overflow-auto" tabIndex={0}>
              {feed.isPending ? (
                <div role="row">
                  <div role="cell" className="flex items-center gap-2 p-4 text-sm text-muted">
                    <Spinner label="Loading events" /> Loading events…
                  </div>
                </div>
              ) : events.length === 0 && !queryError ? (
                <div role="row">
                  <p role="cell" className="p-4 text-sm text-muted">
                    No events match this query.
                  </p>
                </div>
              ) : (
                <div style={{ height: virtual.getTotalSize(), position: "relative" }} role="presentation">
                  {items.map((item) => {
                    const e = events[item.index] as AuditEvent;
                    return (
                      <button
                        key={e.id}
                        type="button"
                        role="row"
                        data-audit-row={e.seq ?? ""}
                        onClick={() => {
                          setSelected(e);
                          navigate({ seq: e.seq });
                        }}
                        className="absolute left-0 grid w-full grid-cols-[5rem_14rem_minmax(0,1fr)_11rem_minmax(0,1.2fr)] items-center gap-2 border-b border-border/60 px-3 text-left text-xs hover:bg-surface-muted"
                        style={{ top: item.start, height: ROW }}
                      >
                        <span role="cell" className="font-mono">
                          {e.seq ?? <span className="text-muted">unsealed</span>}
                        </span>
                        <span
                          role="cell"
                          className="font-mono text-[11px] tabular-nums"
                          title={`${formatRelative(new Date(e.ts).getTime(), Date.now())} · ${e.ts}`}
                        >
                          {absoluteTime(e.ts)}
                        </span>
                        <span role="cell" className="truncate" title={`${e.actor.kind} ${e.actor.id ?? ""}`}>
                          {e.actor.label}
                        </span>
                        <span role="cell" className="truncate font-mono">
                          {e.action}
                        </span>
                        <span role="cell" className="truncate text-muted">
                          {e.subject.type} {e.subject.id ? e.subject.id.slice(0, 12) : ""}{" "}
                          {summary(e) ? `· ${summary(e)}` : ""}
                        </span>
                      </button>
                    );
                  })}
                </div>
              )}
            </div>
          </div>
          <p className="border-t border-border px-3 py-1.5 text-[11px] text-muted">
            {events.length.toLocaleString()} loaded{feed.hasNextPage ? " · scroll for older" : " · end of the log"}
            {feed.isFetchingNextPage ? " · loading…" : ""}
          </p>
        </div>
      </div>
      <aside className="flex flex-col gap-4">
        {canVerify ? <VerifyLog treeSize={treeSize} /> : null}
        <section aria-label="Saved queries" className="flex flex-col gap-1.5">
          <h2 className="text-xs font-medium text-muted">Saved queries</h2>
          {savedQueries.length === 0 ? <p className="text-xs text-muted">None yet.</p> : null}
          <ul className="flex flex-col gap-1">
            {savedQueries.map((s) => (
              <li key={s.id} className="flex items-center gap-1 text-xs">
                <button
                  type="button"
                  className="truncate text-left text-accent-text hover:underline"
                  title={s.query}
                  onClick={() => navigate({ q: s.query, seq: null })}
                >
                  {s.name}
                </button>
                <button
                  type="button"
                  aria-label={`Delete saved query ${s.name}`}
                  className="ml-auto text-muted hover:text-danger-text"
                  onClick={() => run(() => deleteAuditQueryAction({ id: s.id }), { success: "Saved query deleted" })}
                >
                  <Trash2 className="size-3.5" aria-hidden />
                </button>
              </li>
            ))}
          </ul>
          <form
            className="flex gap-1"
            onSubmit={(e) => {
              e.preventDefault();
              run(() => saveAuditQueryAction({ name: saveName, query: q }), {
                success: "Query saved",
                onOk: () => setSaveName(""),
              });
            }}
          >
            <label htmlFor="save-name" className="sr-only">
              Name for this query
            </label>
            <Input
              id="save-name"
              value={saveName}
              onChange={(e) => setSaveName(e.target.value)}
              placeholder="Name this query"
              className="h-7 text-xs"
            />
            <Button
              type="submit"
              size="sm"
              variant="secondary"
              disabled={saving || q.trim() === "" || saveName.trim() === ""}
            >
              <Star aria-hidden />
              Save
            </Button>
          </form>
        </section>
        {facets.data?.capped ? (
          <p className="text-[11px] text-muted">
            {facets.data.textWindow !== null
              ? `Counts over the newest ${facets.data.textWindow.toLocaleString()} events the other terms match: this free text is common or short, so it is counted by reading each event's text. Add since:/until: to count an older window.`
              : `Counts over the newest ${facets.data.scanned.toLocaleString()} matching events; add since:/until: to count a window.`}
          </p>
        ) : null}
        {(["actions", "actors", "runs"] as const).map((kind) => (
          <section key={kind} aria-label={`Counts by ${kind.slice(0, -1)}`} className="flex flex-col gap-1">
            <h2 className="text-xs font-medium text-muted">
              {kind === "runs" ? "Runs (which runs touched this)" : `By ${kind.slice(0, -1)}`}
            </h2>
            {facets.isPending ? <Spinner label="Counting" /> : null}
            {facets.data && facets.data[kind].length === 0 ? <p className="text-xs text-muted">—</p> : null}
            <ul className="flex flex-col">
              {facets.data?.[kind].map((f) => (
                <li key={f.value}>
                  <button
                    type="button"
                    className="flex w-full items-center justify-between gap-2 rounded px-1 py-0.5 text-left text-xs hover:bg-surface-muted"
                    onClick={() =>
                      navigate({
                        q: addTerm(
                          q,
                          kind === "actions"
                            ? `action:${f.value}`
                            : kind === "actors"
                              ? `actor:${f.value}`
                              : `run:${f.value}`,
                        ),
                        seq: null,
                      })
                    }
                  >
                    <span className={cn("truncate", kind !== "actors" && "font-mono")}>{f.label}</span>
                    <span className="tabular-nums text-muted">{f.count.toLocaleString()}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </aside>
      <EventDrawer
        event={drawerEvent}
        onClose={() => {
          setSelected(null);
          navigate({ seq: null });
        }}
      />
    </div>
  );
}
