import { PageSkeleton } from "@/components/shell/page-skeleton";
import { Skeleton } from "@/components/ui/skeleton";
import { boardColumns, CARD_GAP, CARD_HEIGHT } from "./board-columns";

/** The board's loading state, laid out exactly like the board (header, filter bar, six columns of 96 px cards). */
export function BoardSkeleton() {
  return (
    <PageSkeleton label="Loading runs…" titleClassName="w-24" descriptionClassName="w-[32rem]" headerClassName="mb-4">
      <div className="mb-3 flex items-center gap-2">
        <Skeleton className="h-7 w-48" />
        <Skeleton className="h-7 w-56" />
        <Skeleton className="h-7 w-32" />
        <Skeleton className="h-7 w-32" />
      </div>
      <div className="grid h-[calc(100dvh-12.5rem)] min-h-[28rem] grid-cols-[repeat(6,minmax(11rem,1fr))] gap-2 overflow-hidden">
        {boardColumns.map((column, c) => (
          <div key={column.id} className="flex flex-col rounded-xl bg-surface-muted/50">
            <div className="flex h-9 items-center px-2.5 text-xs font-semibold text-muted">{column.title}</div>
            <div className="flex flex-col px-1.5" style={{ gap: CARD_GAP }}>
              {Array.from({ length: 3 - (c % 3) }, (_, i) => (
                <Skeleton key={i} className="w-full rounded-lg" style={{ height: CARD_HEIGHT }} />
              ))}
            </div>
          </div>
        ))}
      </div>
    </PageSkeleton>
  );
}
