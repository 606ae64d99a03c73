"use client";

import { useRouter } from "next/navigation";
import { useTransition, type ChangeEvent } from "react";
import { controlClassName } from "@/components/ui/input-styles";
import { parseTimeRange, TIME_RANGE_PARAM, timeRangeLabels, timeRanges, type TimeRange } from "@/lib/time-range";
import { cn } from "@/lib/utils";
import { rememberTimeRange } from "./remember";

type Props = {
  /** The range the page was rendered with. */
  value: TimeRange;
  /** Visible label. */
  label?: string;
  /** Parameters that mean nothing under another range (a page number) and are dropped on change. */
  resetParams?: readonly string[];
  /** Why the URL's range was not used (ResolvedTimeRange.error), said under the control. */
  error?: string;
  className?: string;
};

/**
 * The cockpit's one time-range control: a labelled native select (keyboard, screen readers and
 * both themes for free). A choice is remembered in a cookie the server reads, then written to
 * the `range` URL parameter. Inside a GET form it submits the form instead, so words typed
 * but not yet applied travel along — and without scripts the form still carries `range`.
 */
export function TimeRangePicker({ value, label = "Time range", resetParams = [], error, className }: Props) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();

  function choose(event: ChangeEvent<HTMLSelectElement>) {
    const range = parseTimeRange(event.currentTarget.value);
    if (!range) return;
    rememberTimeRange(range);
    const form = event.currentTarget.form;
    if (form && form.method.toLowerCase() === "get") {
      form.requestSubmit();
      return;
    }
    const url = new URL(window.location.href);
    url.searchParams.set(TIME_RANGE_PARAM, range);
    for (const name of resetParams) url.searchParams.delete(name);
    startTransition(() => router.push(`${url.pathname}${url.search}`, { scroll: false }));
  }

  return (
    <div className={cn("flex flex-col gap-1 text-xs", className)} data-time-range-picker>
      <label className="flex flex-col gap-1 text-muted">
        {label}
        <select
          key={value}
          name={TIME_RANGE_PARAM}
          defaultValue={value}
          onChange={choose}
          aria-busy={pending || undefined}
          className={cn(controlClassName, "h-8 w-auto text-xs", pending && "opacity-70")}
        >
          {timeRanges.map((r) => (
            <option key={r} value={r}>
              {timeRangeLabels[r]}
            </option>
          ))}
        </select>
      </label>
      {error ? (
        <p role="alert" className="max-w-64 text-danger-text">
          {error}; showing {timeRangeLabels[value].toLowerCase()}.
        </p>
      ) : null}
    </div>
  );
}
