import { Skeleton } from "@/components/ui/skeleton";

/** Shaped like the endpoint cards so live data lands without moving anything. */
export default function Loading() {
  return (
    <div role="status" aria-live="polite">
      <span className="sr-only">Loading resources…</span>
      <div className="mb-6 flex flex-col gap-2">
        <Skeleton className="h-7 w-36" />
        <Skeleton className="h-4 w-[36rem] max-w-full" />
      </div>
      <Skeleton className="mb-3 h-5 w-32" />
      <div className="grid gap-4 lg:grid-cols-2">
        <Skeleton className="h-[21rem] rounded-lg" />
      </div>
    </div>
  );
}
