import type { Registry } from 'prom-client';
import type { Catalog } from '../catalog';
import { sendJson } from './respond';
import type { Route, ServerState } from './route';

/** What the probes report. */
export interface ProbeOptions {
  /** The server's state now. */
  readonly state: () => ServerState;
  /** The registry `/metrics` serves. */
  readonly registry: Registry;
  /** The data path, whose pool and cache gauges are refreshed before each scrape. */
  readonly catalog?: Catalog;
}

/** `/health` (liveness), `/ready` (readiness: the service's own state) and `/metrics` (the Prometheus scrape); none is instrumented. */
export function probeRoutes(options: ProbeOptions): Route[] {
  const { state, registry, catalog } = options;
  return [
    {
      method: 'GET', template: '/health', pattern: /^\/health$/, instrumented: false,
      handle: ({ res }) => sendJson(res, 200, { status: 'up' }),
    },
    {
      // Readiness is the service's own state only: never a dependency's (a database outage must not take every
      // task out of the load balancer, or cached reads could not be served).
      method: 'GET', template: '/ready', pattern: /^\/ready$/, instrumented: false,
      handle: ({ res }) => {
        const now = state();
        sendJson(res, now === 'ready' ? 200 : 503, { status: now });
      },
    },
    {
      method: 'GET', template: '/metrics', pattern: /^\/metrics$/, instrumented: false,
      handle: async ({ res }) => {
        catalog?.collectMetrics();
        const body = await registry.metrics();
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(body);
      },
    },
  ];
}
