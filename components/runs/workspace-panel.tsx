import { File, FolderClosed, FolderOpen } from "lucide-react";
import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import type { FileView, WorkspaceListing } from "@/lib/board";
import { cn } from "@/lib/utils";

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function FileContent({ view }: { view: FileView }) {
  if (view.kind === "error") return <p className="p-3 text-xs text-danger-text">{view.message}</p>;
  if (view.kind === "binary")
    return <p className="p-3 text-xs text-muted">Binary file ({formatBytes(view.bytes)}) — not shown.</p>;
  return (
    <>
      <pre
        tabIndex={0}
        aria-label={`Contents of ${view.path}`}
        className="max-h-[32rem] overflow-auto p-3 font-mono text-[12px] leading-[1.55] whitespace-pre-wrap text-foreground"
      >
        {view.content}
      </pre>
      {view.truncated ? (
        <p className="border-t border-border px-3 py-1.5 text-[11px] text-muted">
          Showing the first 256 KB of {formatBytes(view.bytes)}.
        </p>
      ) : null}
    </>
  );
}

/** The run's workspace, read-only: a file list and the selected text file. */
export function WorkspacePanel({
  runId,
  listing,
  selected,
}: {
  runId: string;
  listing: WorkspaceListing;
  selected: FileView | null;
}) {
  if (!listing.exists || listing.entries.length === 0) {
    return (
      <EmptyState
        icon={FolderOpen}
        headingLevel="h3"
        title={listing.exists ? "The workspace is empty" : "No workspace yet"}
        description="Files the run writes with its file tools appear here. They are stored in the database, so every host sees them; no other run can read them."
      />
    );
  }
  const href = (path: string) => `/runs/${runId}?tab=workspace&file=${encodeURIComponent(path)}`;
  return (
    <div className="grid min-h-64 overflow-hidden rounded-lg border border-border bg-surface md:grid-cols-[16rem_1fr]">
      <nav aria-label="Workspace files" className="border-border max-md:border-b md:border-r">
        <ul className="max-h-[32rem] overflow-auto p-1">
          {listing.entries.map((entry) => {
            const depth = entry.path.split("/").length - 1;
            const name = entry.path.split("/").at(-1) ?? entry.path;
            const active = selected?.path === entry.path;
            const Icon = entry.type === "directory" ? FolderClosed : File;
            const row = (
              <>
                <Icon aria-hidden className="size-3.5 shrink-0 text-muted" />
                <span className="min-w-0 flex-1 truncate">{name}</span>
                {entry.type === "file" ? (
                  <span className="shrink-0 text-[11px] text-muted tabular-nums">{formatBytes(entry.bytes)}</span>
                ) : null}
              </>
            );
            const className = cn(
              "flex h-7 items-center gap-1.5 rounded-md pr-2 text-[13px]",
              active && "bg-accent-soft text-accent-text",
            );
            return (
              <li key={entry.path} style={{ paddingLeft: `${depth * 0.875 + 0.5}rem` }} className="rounded-md">
                {entry.type === "file" ? (
                  <Link
                    href={href(entry.path)}
                    scroll={false}
                    aria-current={active ? "true" : undefined}
                    className={cn(className, "hover:bg-surface-muted")}
                  >
                    {row}
                  </Link>
                ) : (
                  <span className={cn(className, "text-muted")}>{row}</span>
                )}
              </li>
            );
          })}
        </ul>
        {listing.truncated ? (
          <p className="px-2 py-1.5 text-[11px] text-muted">Only the first 500 entries are listed.</p>
        ) : null}
      </nav>
      <section aria-label={selected ? `File ${selected.path}` : "File viewer"} className="min-w-0">
        {selected ? (
          <>
            <h3 className="border-b border-border px-3 py-2 font-mono text-xs text-foreground">{selected.path}</h3>
            <FileContent view={selected} />
          </>
        ) : (
          <p className="flex h-full min-h-40 items-center justify-center text-xs text-muted">
            Select a file to view it.
          </p>
        )}
      </section>
    </div>
  );
}
