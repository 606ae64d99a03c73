import "server-only";
import { context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, TracerProvider, type SpanProcessor } from "@opentelemetry/sdk-trace";
import { getEnv } from "@/lib/env";

export interface Tracing {
  /** Exports what is buffered and stops; the drain awaits it so the last turns' spans are not lost. */
  shutdown(): Promise<void>;
}

/**
 * Registers the process-wide tracer provider when the standard OpenTelemetry variables ask
 * for it (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, and not
 * OTEL_SDK_DISABLED). The OTLP exporter (http/protobuf) reads its endpoint, headers and
 * timeout from those variables itself. Returns null when tracing stays off; every span in
 * lib/telemetry is then the API's no-op.
 *
 * `processors` replaces the exporter (tests pass an in-memory one).
 */
export function startTracing(options: { role: string; processors?: SpanProcessor[] }): Tracing | null {
  const env = getEnv();
  const configured = env.OTEL_EXPORTER_OTLP_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (!options.processors && (env.OTEL_SDK_DISABLED || !configured)) return null;
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      "service.name": env.OTEL_SERVICE_NAME,
      "service.instance.id": `${options.role}:${process.pid}`,
    }),
    spanProcessors: options.processors ?? [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
  });
  // Spans started inside a turn (model call, tool calls) find the turn's span through async context.
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(provider);
  return {
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}
