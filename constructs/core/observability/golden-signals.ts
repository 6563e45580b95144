import { PlatformValidationError } from '../errors';
import { DEFAULT_RUNBOOK_BASE_URL, runbookUrl } from '../runbooks';
import { requireNumberInRange } from '../validate';
import type { AlertingRule, AlertSeverity, RuleGroup } from './rule-file';
import { HTTP_SERVER_DURATION_METRIC } from './slo';

/**
 * Golden-signal alerts of a service (errors above 1% for 2 minutes, p99 latency above its SLO threshold for 5 minutes,
 * traffic above 3x its baseline, CPU above 80%, memory above 85%: the numbers of {@link GOLDEN_SIGNALS}) and the platform alerts
 * (`Watchdog`, `RegionDown`).
 *
 * Metrics used:
 * - errors, latency, traffic: the OTel HTTP server histogram `http_server_request_duration_seconds_{bucket,count}`
 *   (DESIGN.md "Metrics"), service = `job`;
 * - CPU: `process_cpu_seconds_total` (every Prometheus client library and the OTel runtime instrumentations export
 *   it per process), as a share of the container's CPU limit;
 * - memory: `process_resident_memory_bytes` (same sources), as a share of the container's memory limit;
 * - region: `up` of the targets, which the collector labels with `region`.
 *
 * Hysteresis: `for` keeps a blip from firing, `keep_firing_for` keeps a flapping signal from resolving and
 * re-firing (one notification per incident instead of one per flap).
 */

/** The thresholds and durations of the golden-signal alerts, in one place: every engine reads them from here. */
export const GOLDEN_SIGNALS = {
  /** HttpErrorRateHigh: 5xx share of requests over 5m above 1% for 2 minutes. */
  errorRatio: { threshold: 0.01, for: '2m', keepFiringFor: '5m', severity: 'critical' },
  /** HttpLatencyP99High: p99 over 5m above the latency SLO threshold for 5 minutes. */
  latencyP99: { for: '5m', keepFiringFor: '5m', severity: 'warning' },
  /** HttpTrafficSpike: requests per second above 3x the same time one week earlier, for 10 minutes. */
  traffic: { factor: 3, for: '10m', keepFiringFor: '10m', severity: 'warning' },
  /** CpuSaturationHigh: an instance uses more than 80% of its CPU limit for 10 minutes. */
  cpu: { threshold: 0.8, for: '10m', keepFiringFor: '5m', severity: 'warning' },
  /** MemorySaturationHigh: an instance's resident memory above 85% of its limit for 5 minutes. */
  memory: { threshold: 0.85, for: '5m', keepFiringFor: '5m', severity: 'warning' },
} as const satisfies Record<string, {
  readonly for: string; readonly keepFiringFor: string; readonly severity: AlertSeverity; readonly threshold?: number; readonly factor?: number;
}>;

/**
 * CPU and memory limits of one instance's application container: what `CpuSaturationHigh`, `MemorySaturationHigh`
 * and the dashboards' utilization panels divide by. Read it from what was built (`ResilientService.containerLimits`,
 * `ServiceChart.containerLimits`), never restate it: a sidecar takes its share of the task.
 */
export interface ContainerLimits {
  /** CPU limit in cores (ECS CPU units / 1024; Kubernetes `limits.cpu`). */
  readonly cpuCores: number;
  /** Memory limit in bytes (ECS container `Memory` MiB × 2^20; Kubernetes `limits.memory`). */
  readonly memoryBytes: number;
}

/** Props of {@link goldenSignalRuleGroup}. */
export interface GoldenSignalRulesProps {
  /** The service: its Prometheus `job` label. */
  readonly service: string;
  /** p99 latency (seconds) above which `HttpLatencyP99High` fires: the latency SLO's threshold. */
  readonly latencyThreshold: number;
  /** CPU cores of one instance's container (its limit, `ContainerLimits.cpuCores`): `CpuSaturationHigh` fires above 80% of it. */
  readonly cpuLimitCores: number;
  /** Memory of one instance's container in bytes (its limit, `ContainerLimits.memoryBytes`): `MemorySaturationHigh` fires above 85% of it. */
  readonly memoryLimitBytes: number;
  /**
   * Base URL of the runbook links (`<base>/runbooks/alerts/golden/<AlertName>.md`).
   * @default DEFAULT_RUNBOOK_BASE_URL - the repository
   */
  readonly runbookBaseUrl?: string;
}

/** The golden-signal alerts of one service, as the rule group `golden-<service>`. */
export function goldenSignalRuleGroup(props: GoldenSignalRulesProps): RuleGroup {
  const where = 'goldenSignalRuleGroup';
  if (!/^[A-Za-z][A-Za-z0-9_.-]{0,62}$/.test(props.service)) {
    throw new PlatformValidationError(where, 'service', props.service, 'is not a valid service name',
      'use the service\'s Prometheus job name: a letter, then up to 62 letters, digits, \'_\', \'.\' or \'-\'');
  }
  requireNumberInRange(where, 'latencyThreshold', props.latencyThreshold, 0.001, 60);
  requireNumberInRange(where, 'cpuLimitCores', props.cpuLimitCores, 0.125, 192);
  requireNumberInRange(where, 'memoryLimitBytes', props.memoryLimitBytes, 64 * 1024 ** 2, 1024 ** 4);
  const s = props.service;
  const job = `job="${s}"`;
  const baseUrl = props.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL;
  const count = `${HTTP_SERVER_DURATION_METRIC}_count`;
  const link = (alert: string): string => runbookUrl(baseUrl, `alerts/golden/${alert}`);
  const g = GOLDEN_SIGNALS;
  const rule = (alert: string, spec: { for: string; keepFiringFor: string; severity: AlertSeverity }, expr: string,
    summary: string, description: string): AlertingRule => ({
    alert, expr, for: spec.for, keepFiringFor: spec.keepFiringFor,
    labels: { severity: spec.severity, service: s },
    annotations: { summary, description, runbook_url: link(alert) },
  });
  const cpuPct = g.cpu.threshold * 100;
  const memPct = g.memory.threshold * 100;
  return {
    name: `golden-${s}`,
    rules: [
      rule('HttpErrorRateHigh', g.errorRatio,
        `sum(rate(${count}{${job},http_response_status_code=~"5.."}[5m])) / sum(rate(${count}{${job}}[5m])) > ${g.errorRatio.threshold}`,
        `${s}: more than ${g.errorRatio.threshold * 100}% of requests fail with 5xx`,
        `More than ${g.errorRatio.threshold * 100}% of the requests to ${s} were answered with a 5xx over 5m, for ${g.errorRatio.for}. `
          + `Query: sum by (http_route, http_response_status_code) (rate(${count}{${job},http_response_status_code=~"5.."}[5m]))`),
      rule('HttpLatencyP99High', g.latencyP99,
        `histogram_quantile(0.99, sum by (le) (rate(${HTTP_SERVER_DURATION_METRIC}_bucket{${job}}[5m]))) > ${props.latencyThreshold}`,
        `${s}: p99 latency above ${props.latencyThreshold}s`,
        `The 99th percentile of the request duration of ${s} over 5m is above the latency SLO threshold of ${props.latencyThreshold}s, `
          + `for ${g.latencyP99.for}. Query: histogram_quantile(0.99, sum by (le, http_route) (rate(${HTTP_SERVER_DURATION_METRIC}_bucket{${job}}[5m])))`),
      rule('HttpTrafficSpike', g.traffic,
        `sum(rate(${count}{${job}}[5m])) > ${g.traffic.factor} * sum(rate(${count}{${job}}[5m] offset 1w))`,
        `${s}: traffic above ${g.traffic.factor}x its level one week ago`,
        `Requests per second to ${s} over 5m are more than ${g.traffic.factor} times the rate at the same time one week earlier, `
          + `for ${g.traffic.for}. Query: sum by (http_route) (rate(${count}{${job}}[5m]))`),
      rule('CpuSaturationHigh', g.cpu,
        `sum by (instance) (rate(process_cpu_seconds_total{${job}}[5m])) / ${props.cpuLimitCores} > ${g.cpu.threshold}`,
        `${s}: instance {{ $labels.instance }} uses more than ${cpuPct}% of its CPU`,
        `Instance {{ $labels.instance }} of ${s} used more than ${cpuPct}% of its ${props.cpuLimitCores} CPU core(s) over 5m, `
          + `for ${g.cpu.for}. Query: rate(process_cpu_seconds_total{${job}}[5m]) / ${props.cpuLimitCores}`),
      rule('MemorySaturationHigh', g.memory,
        `max by (instance) (process_resident_memory_bytes{${job}}) / ${props.memoryLimitBytes} > ${g.memory.threshold}`,
        `${s}: instance {{ $labels.instance }} uses more than ${memPct}% of its memory`,
        `Instance {{ $labels.instance }} of ${s} has resident memory above ${memPct}% of its ${props.memoryLimitBytes} byte limit, `
          + `for ${g.memory.for}; it is close to being OOM-killed. Query: process_resident_memory_bytes{${job}} / ${props.memoryLimitBytes}`),
    ],
  };
}

/** Options of {@link platformRuleGroup}. */
export interface PlatformRulesOptions {
  /**
   * Base URL of the runbook links (`<base>/runbooks/alerts/platform/<AlertName>.md`).
   * @default DEFAULT_RUNBOOK_BASE_URL - the repository
   */
  readonly runbookBaseUrl?: string;
}

/** `RegionDown` fires when every target of a region has been down this long. */
export const REGION_DOWN_FOR = '2m';

/**
 * The platform alerts, once per Prometheus: `Watchdog`, always firing, proves the alerting pipeline works end to
 * end (Alertmanager routes it to the heartbeat receiver, an external dead man's switch that pages when the
 * heartbeats stop); `RegionDown`, every scrape target of a region down, inhibits that region's service alerts.
 */
export function platformRuleGroup(options: PlatformRulesOptions = {}): RuleGroup {
  const baseUrl = options.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL;
  return {
    name: 'platform',
    rules: [
      {
        alert: 'Watchdog',
        expr: 'vector(1)',
        labels: { severity: 'info' },
        annotations: {
          summary: 'Alerting pipeline heartbeat: always firing',
          description: 'This alert always fires. Alertmanager sends it to the heartbeat receiver (a dead man\'s switch) every 5 minutes; '
            + 'when the heartbeats stop, Prometheus, its rule evaluation or Alertmanager is broken and the switch pages.',
          runbook_url: runbookUrl(baseUrl, 'alerts/platform/Watchdog'),
        },
      },
      {
        alert: 'RegionDown',
        expr: 'max by (region) (up{region!=""}) == 0',
        for: REGION_DOWN_FOR,
        labels: { severity: 'critical' },
        annotations: {
          summary: 'Region {{ $labels.region }}: every scrape target is down',
          description: `Every target Prometheus scrapes in region {{ $labels.region }} has been down for ${REGION_DOWN_FOR}. `
            + 'The service alerts of that region are inhibited while this fires. Query: sum by (region, job) (up{region!=""})',
          runbook_url: runbookUrl(baseUrl, 'alerts/platform/RegionDown'),
        },
      },
    ],
  };
}
