import "server-only";
export { MetricsCollector, metricsCollector, resetMetricsCollector, type CollectorOptions } from "./collector";
export { createMetrics, type Metrics } from "./definitions";
