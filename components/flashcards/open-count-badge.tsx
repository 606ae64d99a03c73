"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { fetchOpenCount } from "./api";
import { usePollInterval } from "@/components/live/live-events";

export const OPEN_COUNT_KEY = ["flashcards", "open-count"] as const;

/** The open-card count: live (polled every 5 s), on the nav item and as "(n)" in front of the tab title. */
export function OpenCountBadge() {
  const refetchInterval = usePollInterval(5_000, 30_000);
  const { data } = useQuery({ queryKey: OPEN_COUNT_KEY, queryFn: fetchOpenCount, refetchInterval });
  const count = data ?? 0;
  useEffect(() => {
    const apply = () => {
      const now = document.title;
      const stripped = now.replace(/^\(\d+\)\s/, "");
      const wanted = count > 0 ? `(${count}) ${stripped}` : stripped;
      if (now !== wanted) document.title = wanted;
    };
    apply();
    // Next.js rewrites the title on navigation (sometimes replacing the element): put the count back.
    const observer = new MutationObserver(apply);
    observer.observe(document.head, { subtree: true, childList: true, characterData: true });
    return () => observer.disconnect();
  }, [count]);
  if (count === 0) return null;
  return (
    <span
      data-testid="flashcards-count"
      aria-label={`${count} open flashcards`}
      className="ml-auto rounded-full bg-warning-soft px-1.5 text-[11px] leading-4 font-semibold text-warning-text ring-1 ring-warning/30 max-lg:absolute max-lg:top-0 max-lg:right-0"
    >
      {count > 999 ? "999+" : count}
    </span>
  );
}
