import { cn } from "@/lib/utils";

const variants = {
  primary: "bg-accent text-accent-foreground hover:bg-accent/90 active:bg-accent/85 shadow-xs",
  secondary:
    "border border-border-strong bg-surface text-foreground hover:bg-surface-muted active:bg-surface-muted/80 shadow-xs",
  ghost: "text-foreground hover:bg-surface-muted active:bg-surface-muted/80",
  danger: "bg-danger text-white hover:bg-danger/90 active:bg-danger/85 shadow-xs",
} as const;

const sizes = {
  sm: "h-7 gap-1.5 rounded-md px-2.5 text-xs [&_svg]:size-3.5",
  md: "h-8 gap-2 rounded-md px-3 text-sm [&_svg]:size-4",
  lg: "h-10 gap-2 rounded-lg px-4 text-sm [&_svg]:size-4",
  icon: "size-8 rounded-md [&_svg]:size-4",
  "icon-sm": "size-7 rounded-md [&_svg]:size-3.5",
} as const;

export type ButtonVariant = keyof typeof variants;
export type ButtonSize = keyof typeof sizes;

/** Button styling for elements that cannot be a Button (e.g. a Link in a server component). */
export function buttonClassName(variant: ButtonVariant = "secondary", size: ButtonSize = "md"): string {
  return cn(
    "inline-flex shrink-0 items-center justify-center font-medium whitespace-nowrap select-none",
    "transition-colors disabled:pointer-events-none disabled:opacity-50 [&_svg]:shrink-0",
    variants[variant],
    sizes[size],
  );
}
