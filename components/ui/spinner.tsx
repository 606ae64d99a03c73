import { LoaderCircle } from "lucide-react";
import { cn } from "@/lib/utils";

type SpinnerProps = {
  className?: string;
  /** Announced to screen readers; pass null when a surrounding element already says it is busy. */
  label?: string | null;
};

export function Spinner({ className, label = "Loading" }: SpinnerProps) {
  const icon = <LoaderCircle aria-hidden className={cn("size-4 animate-spin text-muted", className)} />;
  if (label === null) return icon;
  return (
    <span role="status" className="inline-flex items-center">
      {icon}
      <span className="sr-only">{label}</span>
    </span>
  );
}
