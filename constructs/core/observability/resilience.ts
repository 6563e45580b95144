import { PlatformValidationError } from '../errors';
import { DEFAULT_RUNBOOK_BASE_URL, runbookUrl } from '../runbooks';
import type { AlertingRule, AlertSeverity, RuleGroup } from './rule-file';
import { HTTP_SERVER_DURATION_METRIC } from './slo';

/**
 * Resilience alerts of a service: what its runtime resilience patterns (circuit breakers, cache bypass, load
 * shedding, connection pools) report while they protect it. Declared once here, rendered by every engine (AMP rule
 * groups, Kubernetes PrometheusRules, promtool) and shown by the service dashboard's "Resilience" row.
 *
 * Metrics (the reference service's `metrics.ts`; service = `job`):
 * - `circuit_breaker_state{dependency,state}`: one series per state, 1 for the current one;
 * - `cache_bypass_active{tier="l2"}`: 1 while L2 is bypassed (its breaker is not closed): reads go L1 → database;
 * - `http_server_shed_requests_total{http_route}`: API requests shed at admission (503 + Retry-After); they are also
 *   counted, as 503s, in `http_server_request_duration_seconds_count`;
 * - `db_client_connection_count{pool_name,state}`, `db_client_connection_max{pool_name}`: per task and pool;
 * - dashboard only: `cache_requests_total{tier,result}`, `bulkhead_rejections_total{dependency}`,
 *   `db_client_connection_pending_requests{pool_name}`.
 */
export const RESILIENCE_METRICS = {
  breakerState: 'circuit_breaker_state',
  cacheBypassActive: 'cache_bypass_active',
  cacheRequests: 'cache_requests_total',
  bulkheadRejections: 'bulkhead_rejections_total',
  retries: 'dependency_retries_total',
  poolConnections: 'db_client_connection_count',
  poolMax: 'db_client_connection_max',
  poolPending: 'db_client_connection_pending_requests',
  activeRequests: 'http_server_active_requests',
  shedRequests: 'http_server_shed_requests_total',
} as const;

/**
 * The thresholds, durations and severities of the resilience alerts, in one place. `RequestsShed` is one alert with
 * two rules, as the SLO burn-rate alerts: the critical rule pages, the warning rule opens a ticket (Alertmanager
 * inhibits the warning while the critical one fires for the same service).
 */
export const RESILIENCE_SIGNALS = {
  /** DatabaseCircuitOpen: the database breaker of an instance is not closed (open, half-open, isolated) for 1 minute. */
  databaseCircuitOpen: { for: '1m', keepFiringFor: '5m', severity: 'critical' },
  /** CacheBypassActive: L2 is bypassed on an instance for 5 minutes. */
  cacheBypass: { for: '5m', keepFiringFor: '5m', severity: 'warning' },
  /** RequestsShed (ticket): more than 1% of requests shed at admission over 5m, for 5 minutes. */
  shedWarning: { threshold: 0.01, for: '5m', keepFiringFor: '5m', severity: 'warning' },
  /** RequestsShed (page): more than 5% of requests shed at admission over 5m, for 2 minutes. */
  shedCritical: { threshold: 0.05, for: '2m', keepFiringFor: '5m', severity: 'critical' },
  /** DbPoolSaturated: a pool of an instance has more than 90% of its connections in use for 10 minutes. */
  dbPool: { threshold: 0.9, for: '10m', keepFiringFor: '5m', severity: 'warning' },
} as const satisfies Record<string, {
  readonly for: string; readonly keepFiringFor: string; readonly severity: AlertSeverity; readonly threshold?: number;
}>;

/** The resilience alert names (runbooks at `runbooks/alerts/resilience/<name>.md`). */
export const RESILIENCE_ALERT_NAMES = ['DatabaseCircuitOpen', 'CacheBypassActive', 'RequestsShed', 'DbPoolSaturated'] as const;

/** A resilience alert name. */
export type ResilienceAlertName = typeof RESILIENCE_ALERT_NAMES[number];

/** The runbook path (under runbooks/, no extension) of a resilience alert. */
export function resilienceRunbookPath(alert: ResilienceAlertName): string {
  return `alerts/resilience/${alert}`;
}

/** Props of {@link resilienceRuleGroup}. */
export interface ResilienceRulesProps {
  /** The service: its Prometheus `job` label. */
  readonly service: string;
  /**
   * Base URL of the runbook links (`<base>/runbooks/alerts/resilience/<AlertName>.md`).
   * @default DEFAULT_RUNBOOK_BASE_URL - the repository
   */
  readonly runbookBaseUrl?: string;
}

/** The resilience alerts of one service, as the rule group `resilience-<service>`. */
export function resilienceRuleGroup(props: ResilienceRulesProps): RuleGroup {
  if (!/^[A-Za-z][A-Za-z0-9_.-]{0,62}$/.test(props.service)) {
    throw new PlatformValidationError('resilienceRuleGroup', 'service', props.service, 'is not a valid service name',
      'use the service\'s Prometheus job name: a letter, then up to 62 letters, digits, \'_\', \'.\' or \'-\'');
  }
  const s = props.service;
  const job = `job="${s}"`;
  const baseUrl = props.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL;
  const m = RESILIENCE_METRICS;
  const r = RESILIENCE_SIGNALS;
  const count = `${HTTP_SERVER_DURATION_METRIC}_count`;
  const rule = (alert: ResilienceAlertName, spec: { for: string; keepFiringFor: string; severity: AlertSeverity }, expr: string,
    summary: string, description: string): AlertingRule => ({
    alert, expr, for: spec.for, keepFiringFor: spec.keepFiringFor,
    labels: { severity: spec.severity, service: s },
    annotations: { summary, description, runbook_url: runbookUrl(baseUrl, resilienceRunbookPath(alert)) },
  });
  const shedRatio = `sum(rate(${m.shedRequests}{${job}}[5m])) / sum(rate(${count}{${job}}[5m]))`;
  const shed = (spec: typeof r.shedWarning | typeof r.shedCritical): AlertingRule => rule('RequestsShed', spec,
    `${shedRatio} > ${spec.threshold}`,
    `${s}: more than ${spec.threshold * 100}% of requests shed at admission`,
    `More than ${spec.threshold * 100}% of the requests to ${s} over 5m were shed at admission (503 + Retry-After: too many in flight), `
      + `for ${spec.for}. Query: sum by (instance, http_route) (rate(${m.shedRequests}{${job}}[5m]))`);
  const poolPct = r.dbPool.threshold * 100;
  return {
    name: `resilience-${s}`,
    rules: [
      rule('DatabaseCircuitOpen', r.databaseCircuitOpen,
        `max by (job) (${m.breakerState}{${job},dependency="database",state!="closed"}) == 1`,
        `${s}: the database circuit breaker is open`,
        `The database circuit breaker of at least one instance of ${s} has not been closed for ${r.databaseCircuitOpen.for}: `
          + 'writes are refused with 503 + Retry-After, reads are served from the cache (stale L1 entries included) or fail with 503. '
          + `Query: max by (instance, state) (${m.breakerState}{${job},dependency="database"}) == 1`),
      rule('CacheBypassActive', r.cacheBypass,
        `max by (job) (${m.cacheBypassActive}{${job},tier="l2"}) == 1`,
        `${s}: the L2 cache is bypassed`,
        `At least one instance of ${s} has bypassed its L2 cache for ${r.cacheBypass.for} (its cache breaker is not closed): `
          + `reads go L1 → database, so database load is higher. Query: max by (instance) (${m.cacheBypassActive}{${job},tier="l2"})`),
      shed(r.shedCritical),
      shed(r.shedWarning),
      rule('DbPoolSaturated', r.dbPool,
        `sum by (instance, pool_name) (${m.poolConnections}{${job},state="used"}) / sum by (instance, pool_name) (${m.poolMax}{${job}}) > ${r.dbPool.threshold}`,
        `${s}: instance {{ $labels.instance }} uses more than ${poolPct}% of its {{ $labels.pool_name }} database pool`,
        `Instance {{ $labels.instance }} of ${s} has had more than ${poolPct}% of the connections of its {{ $labels.pool_name }} pool in use `
          + `for ${r.dbPool.for}; callers queue for a connection. Query: sum by (instance, pool_name, state) (${m.poolConnections}{${job}}), `
          + `${m.poolMax}{${job}}, ${m.poolPending}{${job}}`),
    ],
  };
}
