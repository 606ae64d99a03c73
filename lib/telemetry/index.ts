export { inSpan, markError, tracer, SpanKind, type SpanOptions } from "./spans";
export { contextFromTraceparent, formatTraceparent, parseTraceparent, traceIdOf, traceparentOf } from "./traceparent";
export { startTracing, type Tracing } from "./provider";
