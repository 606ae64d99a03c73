import { describe, expect, it } from "vitest";
import { createMetrics } from "@/lib/metrics";

/**
 * Label cardinality must stay bounded by configuration: every label is one of these, and
 * none names a run (a run id per series would grow without bound).
 */
const boundedLabels = new Set([
  "job_id",
  "state",
  "outcome",
  "endpoint",
  "fair_share_key",
  "tool",
  "kind",
  "status",
  "tail",
]);

function labelNamesOf(metric: object): string[] {
  // prom-client keeps each metric's declared label names on the instance.
  if ("labelNames" in metric && Array.isArray(metric.labelNames))
    return metric.labelNames.filter((n): n is string => typeof n === "string");
  return [];
}

describe("metric definitions", () => {
  const metrics = createMetrics().registry.getMetricsAsArray();

  it("are all flightdeck_ metrics, counters ending in _total and durations in _seconds", () => {
    expect(metrics.length).toBeGreaterThan(10);
    for (const metric of metrics) {
      expect(metric.name).toMatch(/^flightdeck_[a-z_]+$/);
      if (String(metric.type) === "counter") expect(metric.name).toMatch(/_total$/);
      if (String(metric.type) === "histogram") expect(metric.name).toMatch(/_seconds$/);
    }
  });

  it("carry no run id label: only labels bounded by configuration", () => {
    for (const metric of metrics) {
      for (const label of labelNamesOf(metric)) {
        expect(label, metric.name).not.toMatch(/run/i);
        expect(boundedLabels.has(label), `${metric.name} label ${label}`).toBe(true);
      }
    }
  });
});
