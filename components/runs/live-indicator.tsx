"use client";

import { cn } from "@/lib/utils";

/** "Live" while the feed answers; says so plainly when it does not (the board keeps the last data). */
export function LiveIndicator({ error, updatedAt }: { error: boolean; updatedAt: number }) {
  const exact = updatedAt ? new Date(updatedAt).toLocaleTimeString() : "";
  return (
    <span
      className="inline-flex w-28 items-center justify-end gap-1.5 text-xs text-muted"
      title={exact ? `Last update ${exact}` : undefined}
      role="status"
    >
      <span aria-hidden className="relative flex size-2">
        {error ? null : <span className="absolute inset-0 animate-ping rounded-full bg-success opacity-50" />}
        <span className={cn("relative size-2 rounded-full", error ? "bg-warning" : "bg-success")} />
      </span>
      {error ? "Reconnecting…" : "Live"}
    </span>
  );
}
