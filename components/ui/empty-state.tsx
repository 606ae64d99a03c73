import type { LucideIcon } from "lucide-react";
import type { ReactNode } from "react";
import { cn } from "@/lib/utils";

type EmptyStateProps = {
  icon?: LucideIcon;
  title: ReactNode;
  description?: ReactNode;
  /** A next step, e.g. a Button or a link styled with buttonClassName(). */
  action?: ReactNode;
  className?: string;
  /** Heading level for the title, to fit the page outline (default h2). */
  headingLevel?: "h2" | "h3";
};

export function EmptyState({
  icon: Icon,
  title,
  description,
  action,
  className,
  headingLevel: Heading = "h2",
}: EmptyStateProps) {
  return (
    <div
      className={cn(
        "flex flex-col items-center justify-center rounded-lg border border-dashed border-border-strong",
        "px-6 py-14 text-center",
        className,
      )}
    >
      {Icon ? (
        <div className="mb-4 flex size-10 items-center justify-center rounded-lg border border-border bg-surface text-muted shadow-xs">
          <Icon aria-hidden className="size-5" />
        </div>
      ) : null}
      <Heading className="text-sm font-semibold text-foreground">{title}</Heading>
      {description ? <div className="mt-1.5 max-w-md text-[13px] leading-5 text-muted">{description}</div> : null}
      {action ? <div className="mt-5 flex items-center gap-2">{action}</div> : null}
    </div>
  );
}
