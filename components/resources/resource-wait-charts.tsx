"use client";

import { bucketHeading, bucketLabel, inSpan, perBucket } from "@/components/charts/describe";
import type { ResourceWaitSeries } from "@/lib/board";
import type { BucketSize } from "@/lib/time-range";
import { WaitChart } from "./wait-chart";

/** "tool:http_fetch" → "the http_fetch quota"; "writes" → "the write budget". */
function resourceName(resource: string): string {
  if (resource === "writes") return "the write budget";
  return resource.startsWith("tool:") ? `the ${resource.slice(5)} quota` : resource;
}

/**
 * Runs parked for a rate-limited resource (a tool quota, the write budget), per resource:
 * how many waits ended in each bucket, their mean and the longest. Recorded when the run is
 * requeued, so a run cancelled while it waited is not in it.
 */
export function ResourceWaitCharts(props: { series: ResourceWaitSeries[]; bucket: BucketSize; span: string }) {
  const per = perBucket(props);
  return (
    <section className="flex flex-col gap-3" aria-labelledby="resource-waits-heading" data-resource-waits>
      <div>
        <h3 id="resource-waits-heading" className="text-sm font-semibold">
          Waits for rate-limited resources, {props.span}
        </h3>
        <p className="text-xs text-muted">
          A run that reaches a tool&apos;s calls-per-minute quota or its key&apos;s write budget waits for the next
          minute; each wait is counted when the run goes on.
        </p>
      </div>
      {props.series.length === 0 ? (
        <p className="rounded-md border border-dashed border-border-strong px-3 py-6 text-center text-xs text-muted">
          No run waited for a tool quota or the write budget {inSpan(props.span)}.
        </p>
      ) : (
        <div className="grid gap-6 lg:grid-cols-2">
          {props.series.map((s) => (
            <WaitChart
              key={s.resource}
              name={`resource-waits-${s.resource}`}
              title={`Waits for ${resourceName(s.resource)} ${per} (mean and longest), UTC`}
              caption={`Waits for ${resourceName(s.resource)} that ended ${per}`}
              timeHead={bucketHeading[props.bucket]}
              countHead="Waits ended"
              lowName="Mean"
              highName="Longest"
              rows={s.buckets.map((b) => ({
                at: b.at,
                label: bucketLabel(b.at, props.bucket),
                count: b.waits,
                low: b.meanMs,
                high: b.maxMs,
              }))}
            />
          ))}
        </div>
      )}
    </section>
  );
}
