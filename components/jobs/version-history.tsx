import { RelativeTime } from "@/components/ui/relative-time";
import { Badge } from "@/components/ui/badge";
import type { DeclarationChange } from "@/lib/board";

export type VersionEntry = {
  version: string;
  createdAt: string;
  current: boolean;
  /** Changes from the previous version; null for the first one. */
  changes: DeclarationChange[] | null;
};

function show(value: unknown): string {
  if (value === undefined) return "—";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

/** Every registered version, newest first, with what changed from the one before. */
export function VersionHistory({ versions }: { versions: VersionEntry[] }) {
  return (
    <ol className="flex flex-col gap-4">
      {versions.map((v) => (
        <li key={v.version} className="relative border-l-2 border-border pl-4">
          <div className="flex flex-wrap items-center gap-2 text-[13px]">
            <code className="font-mono text-xs font-medium text-foreground" title={v.version}>
              {v.version.slice(0, 12)}
            </code>
            {v.current ? <Badge tone="accent">Current</Badge> : null}
            <span className="text-xs text-muted">
              registered <RelativeTime date={v.createdAt} />
            </span>
          </div>
          {v.changes === null ? (
            <p className="mt-1 text-xs text-muted">First registered version.</p>
          ) : v.changes.length === 0 ? (
            <p className="mt-1 text-xs text-muted">No field changed (same content, re-registered).</p>
          ) : (
            <ul className="mt-1.5 flex flex-col gap-1">
              {v.changes.map((c) => (
                <li key={c.path} className="text-xs">
                  <code className="font-mono font-medium text-foreground">{c.path}</code>
                  <span className="text-muted">: </span>
                  <span className="font-mono text-danger-text line-through decoration-danger/50">{show(c.before)}</span>
                  <span className="text-muted"> → </span>
                  <span className="font-mono text-success-text">{show(c.after)}</span>
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ol>
  );
}
