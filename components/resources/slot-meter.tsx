import { cn } from "@/lib/utils";

const MAX_SQUARES = 32;

/** Capacity as slots: filled = a turn in flight. Many slots become a bar. */
export function SlotMeter({ capacity, inUse }: { capacity: number; inUse: number }) {
  const label = `${inUse} of ${capacity} slots in use`;
  if (capacity <= MAX_SQUARES) {
    return (
      <div role="img" aria-label={label} className="flex flex-wrap gap-1">
        {Array.from({ length: capacity }, (_, i) => (
          <span
            key={i}
            className={cn(
              "size-3.5 rounded-[3px] border transition-colors",
              i < inUse ? "border-info bg-info" : "border-border-strong bg-surface-muted",
            )}
          />
        ))}
      </div>
    );
  }
  const share = capacity > 0 ? Math.min(1, inUse / capacity) : 0;
  return (
    <div role="img" aria-label={label} className="h-2 w-full overflow-hidden rounded-full bg-surface-muted">
      <div
        className="h-full rounded-full bg-info transition-[width]"
        style={{ width: `${Math.round(share * 100)}%` }}
      />
    </div>
  );
}
