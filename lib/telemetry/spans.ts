import {
  context as otelContext,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from "@opentelemetry/api";

/**
 * Flightdeck's spans. Without a registered tracer provider (no OTEL_EXPORTER_OTLP_ENDPOINT)
 * the OpenTelemetry API hands out no-op spans, so these cost nothing when tracing is off.
 */
export function tracer() {
  return trace.getTracer("flightdeck");
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** The parent; the active context when omitted. */
  parent?: Context;
}

/**
 * Runs `fn` inside a new active span, ending it however `fn` ends: a throw marks the span
 * as an error (with the exception recorded) and is rethrown.
 */
export async function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  const parent = options.parent ?? otelContext.active();
  return tracer().startActiveSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes ?? {} },
    parent,
    async (span) => {
      try {
        return await fn(span);
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

export function markError(span: Span, message: string, errorType?: string): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message });
  if (errorType) span.setAttribute("error.type", errorType);
}

export { SpanKind };
