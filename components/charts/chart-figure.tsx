import type { ReactNode } from "react";
import { cn } from "@/lib/utils";

/**
 * A chart and, behind a "Show as table" disclosure, the same numbers as a real table (screen
 * readers, keyboard, copy-paste). The drawing is hidden from assistive technology; recharts
 * charts inside take no focus (accessibilityLayer off).
 */
export function ChartFigure({
  title,
  chart,
  table,
  empty,
  className,
  height = "h-56",
}: {
  title: ReactNode;
  chart: ReactNode;
  table: ReactNode;
  /** Shown instead of chart and table when there is nothing to draw. */
  empty?: ReactNode;
  className?: string;
  height?: string;
}) {
  return (
    <figure className={cn("flex min-w-0 flex-col gap-2", className)}>
      <figcaption className="text-xs font-medium text-muted">{title}</figcaption>
      {empty ? (
        <p className="rounded-md border border-dashed border-border-strong px-3 py-6 text-center text-xs text-muted">
          {empty}
        </p>
      ) : (
        <>
          <div aria-hidden className={cn(height, "w-full")}>
            {chart}
          </div>
          <details className="text-xs">
            <summary className="cursor-pointer text-muted">Show as table</summary>
            <div className="mt-2 max-h-80 overflow-auto">{table}</div>
          </details>
        </>
      )}
    </figure>
  );
}
