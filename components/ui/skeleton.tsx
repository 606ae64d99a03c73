import type { ComponentProps } from "react";
import { cn } from "@/lib/utils";

/** A placeholder block; size it like the content it stands in for to avoid layout shift. */
export function Skeleton({ className, ...props }: ComponentProps<"div">) {
  return <div aria-hidden className={cn("animate-pulse rounded-md bg-surface-muted", className)} {...props} />;
}
