"use client";

import { useSyncExternalStore } from "react";
import { cn } from "@/lib/utils";
import { formatRelative } from "./format-relative";
import { useNow } from "./relative-clock";

type RelativeTimeProps = {
  /** A Date, an ISO string or epoch milliseconds. */
  date: Date | string | number;
  className?: string;
};

const noopSubscribe = () => () => {};

/**
 * "3m ago", with the exact local time and ISO timestamp on hover. Fixed minimum width and
 * tabular digits so the text ticking over every 30 seconds never moves its neighbours.
 */
export function RelativeTime({ date, className }: RelativeTimeProps) {
  const then = date instanceof Date ? date.getTime() : new Date(date).getTime();
  const now = useNow();
  // The server does not know the viewer's time zone: show local time only once hydrated.
  const hydrated = useSyncExternalStore(
    noopSubscribe,
    () => true,
    () => false,
  );

  if (Number.isNaN(then)) {
    return <span className={cn("text-muted", className)}>—</span>;
  }
  const iso = new Date(then).toISOString();
  const title = hydrated ? `${new Date(then).toLocaleString()} (${iso})` : iso;

  return (
    <time
      dateTime={iso}
      title={title}
      suppressHydrationWarning
      className={cn("inline-block min-w-[7ch] whitespace-nowrap tabular-nums", className)}
    >
      {formatRelative(then, now, hydrated ? undefined : "UTC")}
    </time>
  );
}
