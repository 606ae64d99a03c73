"use client";

import { useSyncExternalStore } from "react";
import { useNow } from "@/components/ui/relative-clock";
import { cn } from "@/lib/utils";

const noopSubscribe = () => () => {};

/** 40 s → "<1m", 3 min → "3m", 5 h → "5h", 3 days → "3d": short enough for a card corner. */
export function compactAge(ms: number): string {
  if (!Number.isFinite(ms) || ms < 60_000) return "<1m";
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)}m`;
  if (ms < 86_400_000) return `${Math.floor(ms / 3_600_000)}h`;
  return `${Math.floor(ms / 86_400_000)}d`;
}

/** How long a run has been in its current state, on the shared 30 s clock (no timer per card). */
export function StateAge({ since, className }: { since: string; className?: string }) {
  const now = useNow();
  const hydrated = useSyncExternalStore(
    noopSubscribe,
    () => true,
    () => false,
  );
  const then = new Date(since).getTime();
  if (Number.isNaN(then)) return null;
  const age = compactAge(now - then);
  const at = hydrated ? new Date(then).toLocaleString() : new Date(then).toISOString();
  return (
    <time
      dateTime={new Date(then).toISOString()}
      title={`In this state since ${at}`}
      suppressHydrationWarning
      className={cn("shrink-0 tabular-nums", className)}
    >
      {age}
      <span className="sr-only"> in this state</span>
    </time>
  );
}
