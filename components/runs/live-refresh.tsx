"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/**
 * Re-renders the server page every interval while `active` (the run is not finished):
 * the page's data is read on the server, and React keeps client state (open tabs,
 * dialogs, details) across refreshes. Paused while the tab is hidden.
 */
export function LiveRefresh({ active, intervalMs = 1_500 }: { active: boolean; intervalMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") router.refresh();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs, router]);
  return null;
}
