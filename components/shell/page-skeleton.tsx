import { Skeleton } from "@/components/ui/skeleton";

/**
 * Loading placeholder shaped like a cockpit page (header, then board columns or table
 * rows), sized to match so content arriving does not shift the layout.
 */
export function PageSkeleton({ variant = "table" }: { variant?: "table" | "board" }) {
  return (
    <div role="status" aria-live="polite">
      <span className="sr-only">Loading…</span>
      <div className="mb-6 flex flex-col gap-2">
        <Skeleton className="h-7 w-40" />
        <Skeleton className="h-4 w-96 max-w-full" />
      </div>
      {variant === "board" ? (
        <div className="grid grid-cols-3 gap-3 xl:grid-cols-6">
          {Array.from({ length: 6 }, (_, column) => (
            <div key={column} className="flex flex-col gap-2 max-xl:[&:nth-child(n+4)]:hidden">
              <Skeleton className="h-5 w-24" />
              {Array.from({ length: 3 }, (_, card) => (
                <Skeleton key={card} className="h-20 w-full rounded-lg" />
              ))}
            </div>
          ))}
        </div>
      ) : (
        <div className="overflow-hidden rounded-lg border border-border bg-surface">
          <Skeleton className="h-8 w-full rounded-none" />
          {Array.from({ length: 8 }, (_, row) => (
            <div key={row} className="flex h-9 items-center gap-4 border-t border-border px-3">
              <Skeleton className="h-3.5 w-1/4" />
              <Skeleton className="h-3.5 w-1/6" />
              <Skeleton className="h-3.5 w-1/5" />
              <Skeleton className="ml-auto h-3.5 w-16" />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
