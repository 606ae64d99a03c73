import Link from "next/link";
import type { HistoryEntry } from "@/lib/memory";
import { authorityOf } from "./history-timeline";
import { describeChange } from "./describe-change";

/** "What this run wrote" on the run page: each shared-memory write, oldest first. */
export function RunWrites({ writes }: { writes: (HistoryEntry & { entity: string })[] }) {
  if (writes.length === 0) return <p className="text-[13px] text-muted">This run wrote nothing to shared memory.</p>;
  return (
    <ul className="flex flex-col gap-1.5 text-[13px]" aria-label="What this run wrote">
      {writes.map((w) => (
        <li key={`${w.entity}@${w.version}`}>
          <Link
            className="font-mono text-xs text-accent-text underline-offset-2 hover:underline"
            href={`/memory/${w.entity}`}
          >
            {w.entity}
          </Link>{" "}
          <span className="text-muted">v{w.version}:</span> {describeChange(w.before, w.after).join(", ")}
          <span className="block text-xs text-muted">
            turn {w.turnIndex ?? "?"} · {authorityOf(w)}
          </span>
        </li>
      ))}
    </ul>
  );
}
