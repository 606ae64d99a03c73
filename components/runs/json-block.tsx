import { cn } from "@/lib/utils";

const MAX_CHARS = 20_000;

/** Pretty JSON (or text) in a scrolling block; very large values are cut with a note. */
export function JsonBlock({ value, className, label }: { value: unknown; className?: string; label?: string }) {
  const text = typeof value === "string" ? value : (JSON.stringify(value, null, 2) ?? "undefined");
  const cut = text.length > MAX_CHARS;
  return (
    <pre
      aria-label={label}
      tabIndex={0}
      className={cn(
        "max-h-72 overflow-auto rounded-md border border-border bg-surface-muted/60 p-2.5 font-mono text-[11.5px] leading-[1.5] break-words whitespace-pre-wrap text-foreground",
        className,
      )}
    >
      {cut
        ? `${text.slice(0, MAX_CHARS)}\n… (${(text.length - MAX_CHARS).toLocaleString("en-US")} more characters not shown)`
        : text}
    </pre>
  );
}
