"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { useLiveEvents, useLiveHealthy, type LiveKind } from "@/components/live/live-events";

/**
 * While the live stream is healthy the timer only backs it up — but not every change these
 * pages show is notified (a running run claimed for its next turn sends nothing, to keep the
 * claim's commit free of the global NOTIFY lock), so it stays fairly short.
 */
const LIVE_INTERVAL_MS = 5_000;

/**
 * Re-renders the server page while `active` (e.g. the run is not finished): at once on a
 * live event of these kinds (for `runId`, only that run's), and every interval as the
 * fallback — `intervalMs` while the stream is down, 5 s while it is healthy. The page's
 * data is read on the server, and React keeps client state (open tabs, dialogs, details)
 * across refreshes. The timer pauses while the tab is hidden.
 */
export function LiveRefresh({
  active,
  intervalMs = 1_500,
  kinds = ["run"],
  runId,
  gapMs = 250,
}: {
  active: boolean;
  intervalMs?: number;
  kinds?: readonly LiveKind[];
  runId?: string;
  /** A server re-render costs more than a query: at most one per this gap. */
  gapMs?: number;
}) {
  const router = useRouter();
  const interval = useLiveHealthy() ? LIVE_INTERVAL_MS : intervalMs;
  useLiveEvents(
    (m) =>
      active && (m.kind === "resync" || (kinds.includes(m.kind) && (!runId || m.kind !== "run" || m.id === runId))),
    () => router.refresh(),
    gapMs,
  );
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") router.refresh();
    }, interval);
    return () => clearInterval(timer);
  }, [active, interval, router]);
  return null;
}
