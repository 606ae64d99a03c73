import {
  isSpanContextValid,
  ROOT_CONTEXT,
  trace,
  TraceFlags,
  type Context,
  type Span,
  type SpanContext,
} from "@opentelemetry/api";

/**
 * W3C Trace Context `traceparent` (version 00): how a run carries its trace from the
 * request that created it to every worker that runs one of its turns.
 */
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export function formatTraceparent(context: SpanContext): string {
  const flags = (context.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED ? "01" : "00";
  return `00-${context.traceId}-${context.spanId}-${flags}`;
}

/** A span's traceparent, or null for the no-op span tracing-off hands out. */
export function traceparentOf(span: Span): string | null {
  const context = span.spanContext();
  return isSpanContextValid(context) ? formatTraceparent(context) : null;
}

export function parseTraceparent(value: string | null | undefined): SpanContext | null {
  const match = value ? TRACEPARENT.exec(value) : null;
  if (!match) return null;
  const [, traceId = "", spanId = "", flags = "00"] = match;
  if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return null;
  return { traceId, spanId, traceFlags: parseInt(flags, 16), isRemote: true };
}

/** The context a turn's span starts in: a child of the run's own span, wherever that was made. */
export function contextFromTraceparent(value: string | null | undefined): Context {
  const parent = parseTraceparent(value);
  return parent ? trace.setSpanContext(ROOT_CONTEXT, parent) : ROOT_CONTEXT;
}

/** The trace id a person pastes into their tracing UI (the run page shows it). */
export function traceIdOf(value: string | null | undefined): string | null {
  return parseTraceparent(value)?.traceId ?? null;
}
