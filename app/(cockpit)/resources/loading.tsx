import { PageSkeleton } from "@/components/shell/page-skeleton";
import { Skeleton } from "@/components/ui/skeleton";

/** Shaped like the endpoint cards so live data lands without moving anything. */
export default function Loading() {
  return (
    <PageSkeleton label="Loading resources…" titleClassName="w-36" descriptionClassName="w-[36rem]">
      <Skeleton className="mb-3 h-5 w-32" />
      <div className="grid gap-4 lg:grid-cols-2">
        <Skeleton className="h-[21rem] rounded-lg" />
      </div>
    </PageSkeleton>
  );
}
