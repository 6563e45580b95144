import type { Registry } from 'prom-client';
import { Counter, Gauge, Histogram } from 'prom-client';
import { METRICS } from '../metrics';

/** OpenTelemetry's HTTP server duration buckets (seconds), as the semantic conventions advise. */
export const DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** The contract's metric (DESIGN.md "Metrics"): OTel `http.server.request.duration` in Prometheus form. */
export const DURATION_METRIC = 'http_server_request_duration_seconds';

/** The HTTP server's own metrics: request duration (the SLIs), requests in flight, requests shed at admission. */
export interface HttpMetrics {
  readonly duration: Histogram<'http_request_method' | 'http_route' | 'http_response_status_code'>;
  readonly active: Gauge;
  readonly shed: Counter<'http_route'>;
}

/** Registers the HTTP server's metrics in `registry`. */
export function createHttpMetrics(registry: Registry): HttpMetrics {
  const duration = new Histogram({
    name: DURATION_METRIC,
    help: 'Duration of HTTP server requests (OpenTelemetry http.server.request.duration).',
    labelNames: ['http_request_method', 'http_route', 'http_response_status_code'] as const,
    buckets: DURATION_BUCKETS_SECONDS,
    registers: [registry],
  });
  const active = new Gauge({
    name: METRICS.activeRequests,
    help: 'API requests in flight (OpenTelemetry http.server.active_requests).',
    registers: [registry],
  });
  const shed = new Counter({
    name: METRICS.shedRequests,
    help: 'API requests shed at admission (503 + Retry-After) because too many were in flight.',
    labelNames: ['http_route'] as const,
    registers: [registry],
  });
  return { duration, active, shed };
}
