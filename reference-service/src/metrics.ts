import type { Registry } from 'prom-client';
import { Counter, Gauge, Histogram } from 'prom-client';

/**
 * The data path's metrics (Prometheus names; the service adds no `job`/service label, Prometheus does at scrape).
 * Dependency calls follow OTel's `db.client.operation.duration`; pool gauges OTel's `db.client.connection.*`.
 */
export const METRICS = {
  /** Cache lookups by tier (`l1`, `l2`) and result (`hit`, `miss`, `error`, `bypass`). */
  cacheRequests: 'cache_requests_total',
  /** 1 while L2 is bypassed (its breaker is not closed): reads go L1 → database. */
  cacheBypassActive: 'cache_bypass_active',
  /** Invalidations that could not reach L2 (kept and replayed before the bypass ends). */
  cacheInvalidationFailures: 'cache_invalidation_failures_total',
  /** Circuit breaker state per dependency, one series per state, 1 for the current one. */
  breakerState: 'circuit_breaker_state',
  /** Calls rejected by a dependency's bulkhead (its concurrency and queue are full). */
  bulkheadRejections: 'bulkhead_rejections_total',
  /** Retries of idempotent reads per dependency. */
  retries: 'dependency_retries_total',
  /** Duration of dependency calls (seconds), `error_type` on failures. */
  operationDuration: 'db_client_operation_duration_seconds',
  /** Pool connections by state (`used`, `idle`), the pool's limit, and callers waiting for a connection. */
  poolConnections: 'db_client_connection_count',
  poolMax: 'db_client_connection_max',
  poolPending: 'db_client_connection_pending_requests',
  /** API requests in flight, and the ones shed at admission (503 + Retry-After). */
  activeRequests: 'http_server_active_requests',
  shedRequests: 'http_server_shed_requests_total',
} as const;

/** Buckets (seconds) for dependency calls: cache calls are sub-millisecond, database calls up to the timeouts. */
export const DEPENDENCY_BUCKETS_SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export type BreakerStateName = 'closed' | 'open' | 'half_open' | 'isolated';
export const BREAKER_STATES: readonly BreakerStateName[] = ['closed', 'open', 'half_open', 'isolated'];

export interface DataMetrics {
  readonly cacheRequests: Counter<'tier' | 'result'>;
  readonly cacheBypassActive: Gauge<'tier'>;
  readonly cacheInvalidationFailures: Counter;
  readonly breakerState: Gauge<'dependency' | 'state'>;
  readonly bulkheadRejections: Counter<'dependency'>;
  readonly retries: Counter<'dependency'>;
  readonly operationDuration: Histogram<'db_system_name' | 'db_operation_name' | 'error_type'>;
  readonly poolConnections: Gauge<'pool_name' | 'state'>;
  readonly poolMax: Gauge<'pool_name'>;
  readonly poolPending: Gauge<'pool_name'>;
}

export function createDataMetrics(registry: Registry): DataMetrics {
  const registers = [registry];
  return {
    cacheRequests: new Counter({ name: METRICS.cacheRequests, help: 'Cache lookups by tier and result.', labelNames: ['tier', 'result'] as const, registers }),
    cacheBypassActive: new Gauge({ name: METRICS.cacheBypassActive, help: '1 while the cache tier is bypassed after failed health checks.', labelNames: ['tier'] as const, registers }),
    cacheInvalidationFailures: new Counter({ name: METRICS.cacheInvalidationFailures, help: 'Cache invalidations that could not reach L2 (replayed on recovery).', registers }),
    breakerState: new Gauge({ name: METRICS.breakerState, help: 'Circuit breaker state per dependency (1 for the current state).', labelNames: ['dependency', 'state'] as const, registers }),
    bulkheadRejections: new Counter({ name: METRICS.bulkheadRejections, help: 'Calls rejected because the dependency bulkhead was full.', labelNames: ['dependency'] as const, registers }),
    retries: new Counter({ name: METRICS.retries, help: 'Retries of idempotent calls per dependency.', labelNames: ['dependency'] as const, registers }),
    operationDuration: new Histogram({
      name: METRICS.operationDuration,
      help: 'Duration of database and cache calls (OpenTelemetry db.client.operation.duration).',
      labelNames: ['db_system_name', 'db_operation_name', 'error_type'] as const,
      buckets: DEPENDENCY_BUCKETS_SECONDS,
      registers,
    }),
    poolConnections: new Gauge({ name: METRICS.poolConnections, help: 'Database pool connections by state (used, idle).', labelNames: ['pool_name', 'state'] as const, registers }),
    poolMax: new Gauge({ name: METRICS.poolMax, help: 'Maximum connections of the database pool.', labelNames: ['pool_name'] as const, registers }),
    poolPending: new Gauge({ name: METRICS.poolPending, help: 'Callers waiting for a database pool connection.', labelNames: ['pool_name'] as const, registers }),
  };
}
