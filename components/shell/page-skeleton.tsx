import type { ReactNode } from "react";
import { Skeleton } from "@/components/ui/skeleton";
import { cn } from "@/lib/utils";

type PageSkeletonProps = {
  /** What screen readers hear while the page loads, e.g. "Loading run…". */
  label?: string;
  /** Widths of the title and description bars, to match the page's own header. */
  titleClassName?: string;
  descriptionClassName?: string;
  headerClassName?: string;
  /** The body, shaped like the page's content; a table by default. */
  children?: ReactNode;
};

/**
 * Loading placeholder for a cockpit page: a header, then a body sized like the content,
 * so content arriving does not shift the layout.
 */
export function PageSkeleton({
  label = "Loading…",
  titleClassName = "w-40",
  descriptionClassName = "w-96",
  headerClassName = "mb-6",
  children = <TableSkeleton />,
}: PageSkeletonProps) {
  return (
    <div role="status" aria-live="polite">
      <span className="sr-only">{label}</span>
      <div className={cn("flex flex-col gap-2", headerClassName)}>
        <Skeleton className={cn("h-7", titleClassName)} />
        <Skeleton className={cn("h-4 max-w-full", descriptionClassName)} />
      </div>
      {children}
    </div>
  );
}

function TableSkeleton() {
  return (
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
  );
}
