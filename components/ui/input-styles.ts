/** Shared look of text-like controls, so Input, Textarea and SelectTrigger line up. */
export const controlClassName = [
  "w-full rounded-md border border-border-strong bg-surface px-2.5 text-sm text-foreground shadow-xs",
  "placeholder:text-muted/80 transition-colors",
  "hover:border-muted/50 focus-visible:border-accent focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-ring/40",
  "disabled:cursor-not-allowed disabled:opacity-60",
  "aria-invalid:border-danger aria-invalid:focus-visible:outline-danger/40",
].join(" ");
