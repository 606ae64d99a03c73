"use client";

import { useQuery } from "@tanstack/react-query";
import { Command } from "cmdk";
import { Search } from "lucide-react";
import { useRouter } from "next/navigation";
import { useDeferredValue, useEffect, useState } from "react";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import { Kbd } from "@/components/ui/kbd";
import { primaryNav, settingsNav } from "@/components/shell/nav-items";
import type { SearchResult } from "@/lib/board";
import { cn } from "@/lib/utils";
import { runStateLabels } from "@/components/runs/run-states";
import { shortId } from "@/components/runs/run-status-line";

const itemClass = cn(
  "flex cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 text-[13px] text-foreground",
  "data-[selected=true]:bg-accent-soft data-[selected=true]:text-accent-text",
);
const groupClass =
  "[&_[cmdk-group-heading]]:px-2 [&_[cmdk-group-heading]]:pt-2 [&_[cmdk-group-heading]]:pb-1 [&_[cmdk-group-heading]]:text-[11px] [&_[cmdk-group-heading]]:font-medium [&_[cmdk-group-heading]]:text-muted [&_[cmdk-group-heading]]:uppercase";

async function fetchSearch(q: string, signal: AbortSignal): Promise<SearchResult> {
  const response = await fetch(`/api/search?q=${encodeURIComponent(q)}`, { signal });
  if (!response.ok) throw new Error(`search answered ${response.status}`);
  return (await response.json()) as SearchResult;
}

/**
 * ⌘K / Ctrl-K from any cockpit page: runs by id prefix, title, job or customer (the server
 * searches, newest first), jobs, and the pages this role may open.
 */
export function CommandPalette({ allowedHrefs }: { allowedHrefs: readonly string[] }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");
  const q = useDeferredValue(text.trim());

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.metaKey || event.ctrlKey) && event.key.toLowerCase() === "k") {
        event.preventDefault();
        setOpen((was) => !was);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const search = useQuery({
    queryKey: ["search", q],
    queryFn: ({ signal }) => fetchSearch(q, signal),
    enabled: open && q.length > 0,
    staleTime: 10_000,
    placeholderData: (previous) => previous,
  });

  const pages = [...primaryNav, ...settingsNav].filter((item) => allowedHrefs.includes(item.href));
  const go = (href: string) => {
    setOpen(false);
    setText("");
    router.push(href);
  };
  const runs = q.length > 0 ? (search.data?.runs ?? []) : [];
  const jobs = q.length > 0 ? (search.data?.jobs ?? []) : [];
  const shownPages = pages.filter((p) => q.length === 0 || p.label.toLowerCase().includes(q.toLowerCase()));
  // Results arrive after typing: Enter means the best hit of what is shown now, not a stale one.
  const first = runs[0]
    ? `run ${runs[0].id}`
    : jobs[0]
      ? `job ${jobs[0].id}`
      : shownPages[0]
        ? `page ${shownPages[0].href}`
        : "";
  const [selected, setSelected] = useState("");
  const [shownFirst, setShownFirst] = useState("");
  if (shownFirst !== first) {
    setShownFirst(first);
    setSelected(first);
  }

  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="flex h-8 w-56 items-center gap-2 rounded-md border border-border bg-surface px-2.5 text-[13px] text-muted hover:border-border-strong max-md:w-8 max-md:justify-center max-md:px-0"
        aria-label="Find runs, jobs and pages"
        aria-keyshortcuts="Control+K Meta+K"
      >
        <Search aria-hidden className="size-3.5 shrink-0" />
        <span className="flex-1 text-left max-md:hidden">Find a run…</span>
        <Kbd className="max-md:hidden">Ctrl K</Kbd>
      </button>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent className="max-w-xl p-0" hideClose aria-describedby="palette-help">
          <DialogTitle className="sr-only">Find runs, jobs and pages</DialogTitle>
          <DialogDescription id="palette-help" className="sr-only">
            Type a run id, a ticket subject, a job or a customer. Arrow keys choose, Enter opens.
          </DialogDescription>
          <Command
            shouldFilter={false}
            value={selected}
            onValueChange={setSelected}
            label="Find runs, jobs and pages"
            className="flex flex-col"
          >
            <div className="flex items-center gap-2 border-b border-border px-3">
              <Search aria-hidden className="size-4 text-muted" />
              <Command.Input
                value={text}
                onValueChange={setText}
                placeholder="Run id, ticket subject, job or customer…"
                className="h-11 flex-1 bg-transparent text-sm text-foreground outline-none placeholder:text-muted"
              />
            </div>
            <Command.List className="max-h-[60vh] overflow-y-auto p-1.5">
              {q.length > 0 && !search.isFetching && runs.length === 0 && jobs.length === 0 ? (
                <Command.Empty className="px-2 py-6 text-center text-[13px] text-muted">
                  {search.isError ? "Search is unavailable right now." : `Nothing matches “${q}”.`}
                </Command.Empty>
              ) : null}
              {runs.length > 0 ? (
                <Command.Group heading="Runs" className={groupClass}>
                  {runs.map((run) => (
                    <Command.Item
                      key={run.id}
                      value={`run ${run.id}`}
                      onSelect={() => go(`/runs/${run.id}`)}
                      className={itemClass}
                    >
                      <span className="font-mono text-[11px] text-muted">{shortId(run.id)}</span>
                      <span className="min-w-0 flex-1 truncate">{run.title ?? run.jobTitle}</span>
                      <span className="shrink-0 truncate text-xs text-muted">
                        {run.title ? `${run.jobTitle} · ` : ""}
                        {run.customer ?? run.fairKey}
                      </span>
                      <span className="shrink-0 text-xs text-muted">
                        {runStateLabels[run.state as keyof typeof runStateLabels] ?? run.state}
                      </span>
                    </Command.Item>
                  ))}
                </Command.Group>
              ) : null}
              {jobs.length > 0 ? (
                <Command.Group heading="Jobs" className={groupClass}>
                  {jobs.map((job) => (
                    <Command.Item
                      key={job.id}
                      value={`job ${job.id}`}
                      onSelect={() => go(`/jobs/${job.id}`)}
                      className={itemClass}
                    >
                      <span className="min-w-0 flex-1 truncate">{job.title}</span>
                      <span className="font-mono text-[11px] text-muted">{job.id}</span>
                    </Command.Item>
                  ))}
                </Command.Group>
              ) : null}
              <Command.Group heading="Pages" className={groupClass}>
                {shownPages.map((p) => (
                  <Command.Item key={p.href} value={`page ${p.href}`} onSelect={() => go(p.href)} className={itemClass}>
                    <p.icon aria-hidden className="size-3.5 text-muted" />
                    {p.label}
                  </Command.Item>
                ))}
              </Command.Group>
            </Command.List>
          </Command>
        </DialogContent>
      </Dialog>
    </>
  );
}
