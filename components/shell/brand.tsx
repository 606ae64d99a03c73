import { PlaneTakeoff } from "lucide-react";
import Link from "next/link";

export function Brand() {
  return (
    <Link
      href="/runs"
      className="flex h-12 shrink-0 items-center gap-2 border-b border-border px-4 max-lg:justify-center max-lg:px-0"
    >
      <span className="flex size-6 items-center justify-center rounded-md bg-accent text-accent-foreground">
        <PlaneTakeoff aria-hidden className="size-3.5" />
      </span>
      <span className="text-sm font-semibold tracking-tight max-lg:sr-only">Flightdeck</span>
    </Link>
  );
}
