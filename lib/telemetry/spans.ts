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
        // Only the error's class: a message can quote bound query parameters, tool output or a
        // provider's echo of the prompt, and spans leave the deployment.
        markError(span, error instanceof Error ? error.name : "error");
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/**
 * Marks a span failed with a low-cardinality error type (an outcome, a reason code, an error
 * class) and nothing else: messages stay in the run's history and audit log, redacted and
 * access-controlled, never on spans.
 */
export function markError(span: Span, errorType: string): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
  span.setAttribute("error.type", errorType);
}

export { SpanKind };
