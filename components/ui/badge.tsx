import type { ComponentProps } from "react";
import { cn } from "@/lib/utils";

const tones = {
  neutral: "bg-surface-muted text-muted ring-border-strong/60",
  accent: "bg-accent-soft text-accent-text ring-accent/25",
  info: "bg-info-soft text-info-text ring-info/25",
  success: "bg-success-soft text-success-text ring-success/25",
  warning: "bg-warning-soft text-warning-text ring-warning/30",
  danger: "bg-danger-soft text-danger-text ring-danger/25",
  violet: "bg-violet-soft text-violet-text ring-violet-text/25",
} as const;

const dots = {
  neutral: "bg-muted",
  accent: "bg-accent",
  info: "bg-info",
  success: "bg-success",
  warning: "bg-warning",
  danger: "bg-danger",
  violet: "bg-violet-text",
} as const;

export type BadgeTone = keyof typeof tones;

type BadgeProps = ComponentProps<"span"> & {
  tone?: BadgeTone;
  /** A leading status dot; "pulse" animates it for live states such as running. */
  dot?: boolean | "pulse";
};

export function Badge({ tone = "neutral", dot = false, className, children, ...props }: BadgeProps) {
  return (
    <span
      className={cn(
        "inline-flex h-5 shrink-0 items-center gap-1.5 rounded-md px-1.5 text-xs leading-none font-medium",
        "whitespace-nowrap ring-1 ring-inset",
        tones[tone],
        className,
      )}
      {...props}
    >
      {dot ? (
        <span aria-hidden className="relative flex size-1.5">
          {dot === "pulse" ? (
            <span className={cn("absolute inset-0 animate-ping rounded-full opacity-60", dots[tone])} />
          ) : null}
          <span className={cn("relative size-1.5 rounded-full", dots[tone])} />
        </span>
      ) : null}
      {children}
    </span>
  );
}
