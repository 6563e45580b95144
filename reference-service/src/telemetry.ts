import type { Attributes, Span } from '@opentelemetry/api';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

/**
 * Spans through the OpenTelemetry API. Without a registered SDK (no OTEL_EXPORTER_OTLP_ENDPOINT) the API is a no-op
 * and these cost next to nothing; with one (otel.ts) they are exported over OTLP to the collector sidecar.
 */
const tracer = trace.getTracer('reference-service');

export { SpanKind };

/** Runs `fn` in a child span of the active one; records an exception and ERROR status when it throws. */
export async function inSpan<T>(name: string, kind: SpanKind, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (e) {
      const error = e as Error;
      span.recordException(error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
      span.setAttribute('error.type', error.name);
      throw e;
    } finally {
      span.end();
    }
  });
}

export { tracer };
