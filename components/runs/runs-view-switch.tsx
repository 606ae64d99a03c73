import Link from "next/link";
import { cn } from "@/lib/utils";

/** Board ⇄ list: the same runs, two shapes; the filters the two share travel along. */
export function RunsViewSwitch({ current, search }: { current: "board" | "list"; search: string }) {
  const item = (view: "board" | "list", href: string, label: string) => (
    <Link
      href={href}
      aria-current={current === view ? "page" : undefined}
      className={cn(
        "rounded-md px-2.5 py-1 text-xs font-medium",
        current === view ? "bg-surface text-foreground shadow-xs" : "text-muted hover:text-foreground",
      )}
    >
      {label}
    </Link>
  );
  return (
    <nav aria-label="Runs view" className="flex items-center gap-0.5 rounded-lg bg-surface-muted p-0.5">
      {item("board", `/runs${search}`, "Board")}
      {item("list", `/runs/list${search}`, "List")}
    </nav>
  );
}
