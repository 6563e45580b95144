import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

export interface Tracing {
  /** Flushes the spans not yet exported and unregisters the provider. */
  shutdown(): Promise<void>;
}

/**
 * Registers the OpenTelemetry SDK: spans go in batches over OTLP/HTTP to `endpoint` (the ADOT collector sidecar,
 * e.g. http://localhost:4318), with W3C Trace Context propagation and async-hooks context. Loaded only when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set; without it the API calls in the service are no-ops.
 */
export function startTracing(endpoint: string, serviceName: string): Tracing {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` }), { scheduledDelayMillis: 1000 })],
  });
  provider.register();
  return {
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
