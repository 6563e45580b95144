import { createHash } from 'node:crypto';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { DashboardBuilder, DashboardLinkBuilder, DashboardLinkType, QueryVariableBuilder, RowBuilder, VariableRefresh } from '@grafana/grafana-foundation-sdk/dashboard';
import { PlatformValidationError } from '../errors';
import { DEFAULT_RUNBOOK_BASE_URL, runbookUrl } from '../runbooks';
import { requireNumberInRange } from '../validate';
import { burnRateWindows, windowName } from './burn-rate';
import { GOLDEN_SIGNALS } from './golden-signals';
import { above, sortKeys, cloudWatchTimeseries, cloudWatchVariable, finishDashboard, prometheusVariable, promGauge, promStat, promTable, promTimeseries } from './private/grafana';
import type { PanelSpec, PromTarget } from './private/grafana';
import { promNumber } from './private/promql';
import { RESILIENCE_METRICS, RESILIENCE_SIGNALS, resilienceRunbookPath } from './resilience';
import type { ResilienceAlertName } from './resilience';
import { SLO_ALERT_NAMES } from './rules';
import { HTTP_SERVER_DURATION_METRIC } from './slo';
import type { Slo } from './slo';

/**
 * Grafana dashboards as code (@grafana/grafana-foundation-sdk), generated from the same objectives as the rules:
 * - {@link serviceDashboard}: RED (rate, 5xx ratio, p50/p90/p99), USE (CPU, memory, concurrency per instance),
 *   one row per SLO (SLI and budget over the period, the burn rate of each multiwindow alert against its factor),
 *   resilience (breakers, cache tiers and bypass, shedding and bulkheads, database pools) and the dependencies
 *   (Aurora and ElastiCache through CloudWatch);
 * - {@link platformOverviewDashboard}: every SLO's status and budget, and the alerts firing.
 * The SLO panels read the recording rules of {@link sloRuleGroups} (real time: rules generated with `compressTime`
 * are for tests and drills, not for these dashboards). Panels link to the runbooks of the alerts they explain.
 * {@link dashboardJson} renders a dashboard deterministically (sorted keys), for files and the AMG provisioner.
 */

/** The dashboard model of the Grafana HTTP API (`POST /api/dashboards/db`), as built by the foundation SDK. */
export type GrafanaDashboard = Dashboard;

/** Tag on every generated dashboard. */
export const DASHBOARD_TAG = 'platform-stacks';

/** Uid of the {@link platformOverviewDashboard}. */
export const PLATFORM_OVERVIEW_UID = 'platform-overview';

/** Props of {@link serviceDashboard}. */
export interface ServiceDashboardProps {
  /** The service: its Prometheus `job` label (= OTel `service.name`). */
  readonly service: string;
  /** The service's SLOs: one SLO row each. Every SLO must be of `service`. */
  readonly slos: readonly Slo[];
  /** CPU cores of one instance's container (its limit): CPU utilization is measured against it. */
  readonly cpuLimitCores: number;
  /** Memory of one instance's container in bytes (its limit): memory utilization is measured against it. */
  readonly memoryLimitBytes: number;
  /**
   * Identifier of the Aurora cluster the service uses: adds CPU, connections and replica lag panels (CloudWatch).
   * @default - no database panels
   */
  readonly databaseClusterIdentifier?: string;
  /**
   * Replication group id of the ElastiCache (Valkey/Redis) cache the service uses: adds a hit-rate panel (CloudWatch).
   * @default - no cache panel
   */
  readonly cacheReplicationGroupId?: string;
  /**
   * Base URL of the runbook links.
   * @default DEFAULT_RUNBOOK_BASE_URL - the repository
   */
  readonly runbookBaseUrl?: string;
}

/** Props of {@link platformOverviewDashboard}. */
export interface PlatformOverviewDashboardProps {
  /** Every SLO of the platform: one series each. */
  readonly slos: readonly Slo[];
  /**
   * Base URL of the runbook links.
   * @default DEFAULT_RUNBOOK_BASE_URL - the repository
   */
  readonly runbookBaseUrl?: string;
}

const GRAFANA_UID = /^[A-Za-z0-9_-]{1,40}$/;

/**
 * Uid of a service's dashboard: `svc-<service>` when that is a valid Grafana uid (letters, digits, `-`, `_`, at most
 * 40 characters); otherwise the service name made valid and shortened, with 8 hex digits of its SHA-256 so two
 * services never share a uid. Stable: links and bookmarks survive every regeneration.
 */
export function serviceDashboardUid(service: string): string {
  const plain = `svc-${service}`;
  if (GRAFANA_UID.test(plain)) return plain;
  const hash = createHash('sha256').update(service).digest('hex').slice(0, 8);
  return `svc-${service.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 27)}-${hash}`;
}

/** A dashboard as JSON with sorted keys and a final newline: the same input always gives the same bytes. */
export function dashboardJson(dashboard: GrafanaDashboard): string {
  return `${JSON.stringify(sortKeys(dashboard), undefined, 2)}\n`;
}

const COUNT = `${HTTP_SERVER_DURATION_METRIC}_count`;
const BUCKET = `${HTTP_SERVER_DURATION_METRIC}_bucket`;
const SUM = `${HTTP_SERVER_DURATION_METRIC}_sum`;
/** CloudWatch dynamic label: the node of each series (written without a template literal: it is Grafana's syntax). */
const CACHE_NODE_LABEL = '$' + "{PROP('Dim.CacheClusterId')}";
/** The service selector of every RED/USE query: the dashboard's `$service` variable. */
const JOB = 'job="$service"';

/** Per-service dashboard: RED, USE, one row per SLO, resilience, dependencies. */
export function serviceDashboard(props: ServiceDashboardProps): GrafanaDashboard {
  const where = 'serviceDashboard';
  validateServiceDashboard(where, props);
  const base = props.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL;
  const golden = (alert: string): readonly [string, string] => [`Runbook: ${alert}`, runbookUrl(base, `alerts/golden/${alert}`)];
  const latencySlo = props.slos.find((s) => s.kind === 'latency');
  const g = GOLDEN_SIGNALS;

  const d = new DashboardBuilder(`Service: ${props.service}`)
    .uid(serviceDashboardUid(props.service))
    .description(`RED, USE, SLOs and dependencies of ${props.service}. Generated by platform-stacks: edit the code, not the dashboard.`)
    .tags([DASHBOARD_TAG, `service:${props.service}`])
    .readonly()
    .timezone('utc')
    .time({ from: 'now-6h', to: 'now' })
    .refresh('1m')
    .link(new DashboardLinkBuilder('Platform overview').type(DashboardLinkType.Link).url(`/d/${PLATFORM_OVERVIEW_UID}`).keepTime(true))
    .withVariable(prometheusVariable())
    .withVariable(new QueryVariableBuilder('service').label('Service')
      .datasource({ type: 'prometheus', uid: '$datasource' })
      .query(`label_values(${COUNT}, job)`)
      .current({ text: props.service, value: props.service })
      .refresh(VariableRefresh.OnDashboardLoad));
  const hasDependencies = props.databaseClusterIdentifier !== undefined || props.cacheReplicationGroupId !== undefined;
  if (hasDependencies) d.withVariable(cloudWatchVariable());

  // ---- RED: rate, errors, duration
  d.withRow(new RowBuilder('Requests (RED)'))
    .withPanel(promTimeseries(panel('Request rate', 'Requests per second by route.', 'reqps', 8, [golden('HttpTrafficSpike')]), [
      { expr: `sum by (http_route) (rate(${COUNT}{${JOB}}[$__rate_interval]))`, legend: '{{http_route}}' },
    ]))
    .withPanel(promTimeseries({
      ...panel('Error ratio (5xx)', `Share of requests answered with a 5xx; HttpErrorRateHigh fires above ${promNumber(g.errorRatio.threshold * 100)}% for ${g.errorRatio.for}.`,
        'percentunit', 8, [golden('HttpErrorRateHigh')]),
      thresholds: above(g.errorRatio.threshold), min: 0,
    }, [
      { expr: `sum(rate(${COUNT}{${JOB},http_response_status_code=~"5.."}[$__rate_interval])) / sum(rate(${COUNT}{${JOB}}[$__rate_interval]))`, legend: '5xx ratio' },
    ]))
    .withPanel(promTimeseries({
      ...panel('Latency p50 / p90 / p99', latencySlo
        ? `Request duration quantiles from the histogram; HttpLatencyP99High fires when p99 stays above the latency SLO threshold (${latencySlo.threshold}s) for ${g.latencyP99.for}.`
        : 'Request duration quantiles from the histogram.', 's', 8, [golden('HttpLatencyP99High')]),
      ...(latencySlo ? { thresholds: above(latencySlo.threshold as number) } : {}),
      min: 0,
    }, [0.5, 0.9, 0.99].map((q) => ({
      expr: `histogram_quantile(${q}, sum by (le) (rate(${BUCKET}{${JOB}}[$__rate_interval])))`, legend: `p${Math.round(q * 100)}`,
    }))));

  // ---- USE: utilization and saturation of the instances
  d.withRow(new RowBuilder('Instances (USE)'))
    .withPanel(promTimeseries({
      ...panel('CPU utilization', `CPU time per instance as a share of its ${props.cpuLimitCores} core(s); CpuSaturationHigh fires above ${g.cpu.threshold * 100}% for ${g.cpu.for}.`,
        'percentunit', 8, [golden('CpuSaturationHigh')]),
      thresholds: above(g.cpu.threshold), min: 0,
    }, [
      { expr: `sum by (instance) (rate(process_cpu_seconds_total{${JOB}}[$__rate_interval])) / ${props.cpuLimitCores}`, legend: '{{instance}}' },
    ]))
    .withPanel(promTimeseries({
      ...panel('Memory utilization', `Resident memory per instance as a share of its ${props.memoryLimitBytes} byte limit; MemorySaturationHigh fires above ${g.memory.threshold * 100}% for ${g.memory.for}.`,
        'percentunit', 8, [golden('MemorySaturationHigh')]),
      thresholds: above(g.memory.threshold), min: 0,
    }, [
      { expr: `max by (instance) (process_resident_memory_bytes{${JOB}}) / ${props.memoryLimitBytes}`, legend: '{{instance}}' },
    ]))
    .withPanel(promTimeseries({
      ...panel('Saturation: requests in flight', 'Average requests in progress per instance (Little\'s law: seconds of request time per second). Growth at flat traffic means queueing.',
        'short', 8, []),
      min: 0,
    }, [
      { expr: `sum by (instance) (rate(${SUM}{${JOB}}[$__rate_interval]))`, legend: '{{instance}}' },
    ]));

  // ---- one row per SLO
  for (const slo of props.slos) addSloRow(d, slo, base);

  // ---- resilience: what the breakers, the cache bypass, admission control and the pools are doing
  addResilienceRow(d, base);

  // ---- dependencies (CloudWatch)
  if (hasDependencies) {
    d.withRow(new RowBuilder('Dependencies'));
    const db = props.databaseClusterIdentifier;
    if (db !== undefined) {
      const rds = (metricName: string, statistic: string): {
        namespace: string; metricName: string; dimensions: Record<string, string>; statistic: string; label: string;
      } => ({
        namespace: 'AWS/RDS', metricName, dimensions: { DBClusterIdentifier: db }, statistic, label: `${db} ${metricName}`,
      });
      d.withPanel(cloudWatchTimeseries({ ...panel('Database CPU', `CPU of the Aurora cluster ${db} (highest instance).`, 'percent', 6, []), min: 0, max: 100 },
        [rds('CPUUtilization', 'Maximum')]))
        .withPanel(cloudWatchTimeseries({ ...panel('Database connections', `Client connections to the Aurora cluster ${db}.`, 'short', 6, []), min: 0 },
          [rds('DatabaseConnections', 'Sum')]))
        .withPanel(cloudWatchTimeseries({
          ...panel('Database replica lag', `Highest replica lag of the readers of ${db}.`, 'ms', 6,
            [['Runbook: AuroraReplicaLagHigh', runbookUrl(base, 'alerts/database/AuroraReplicaLagHigh')]]),
          min: 0,
        }, [rds('AuroraReplicaLag', 'Maximum')]));
    }
    const cache = props.cacheReplicationGroupId;
    if (cache !== undefined) {
      d.withPanel(cloudWatchTimeseries({
        ...panel('Cache hit rate', `Hit rate of each node of the ElastiCache replication group ${cache}.`, 'percent', 6, []),
        min: 0, max: 100,
      }, [{ search: `SEARCH('{AWS/ElastiCache,CacheClusterId} MetricName="CacheHitRate" "${cache}"', 'Average')`, label: CACHE_NODE_LABEL }]));
    }
  }
  return finishDashboard(d.build());
}

/** Platform overview: every SLO's SLI and budget, burn rates, alerts firing. */
export function platformOverviewDashboard(props: PlatformOverviewDashboardProps): GrafanaDashboard {
  const where = 'platformOverviewDashboard';
  if (props.slos.length === 0) {
    throw new PlatformValidationError(where, 'slos', [], 'is empty', 'pass every SLO of the platform (e.g. CHECKOUT_SLOS)');
  }
  requireUniqueSlos(where, props.slos);
  const base = props.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL;
  const kinds = [...new Set(props.slos.map((s) => s.kind))];
  const sloRunbooks = kinds.map((k) => [`Runbook: ${SLO_ALERT_NAMES[k]}`, runbookUrl(base, `alerts/slo/${SLO_ALERT_NAMES[k]}`)] as const);
  const services = [...new Set(props.slos.map((s) => s.service))].sort();

  const d = new DashboardBuilder('Platform overview')
    .uid(PLATFORM_OVERVIEW_UID)
    .description('SLO status, error budgets and firing alerts of every service. Generated by platform-stacks: edit the code, not the dashboard.')
    .tags([DASHBOARD_TAG])
    .readonly()
    .timezone('utc')
    .time({ from: 'now-24h', to: 'now' })
    .refresh('1m')
    .withVariable(prometheusVariable());
  for (const s of services) {
    d.link(new DashboardLinkBuilder(`Service: ${s}`).type(DashboardLinkType.Link).url(`/d/${serviceDashboardUid(s)}`).keepTime(true));
  }

  const sli = promStat(panel('SLI over the period', 'Share of good requests over each SLO\'s period; red below its target.', 'percentunit', 12, sloRunbooks),
    props.slos.map((s) => ({ expr: `1 - slo:sli_error:ratio_rate${windowName(s.periodSeconds)}${sloSelector(s)}`, legend: s.name })));
  for (const s of props.slos) {
    sli.overrideByName(s.name, [{ id: 'thresholds', value: { mode: 'absolute', steps: above(s.target, 'red', 'green') } }]);
  }
  d.withRow(new RowBuilder('SLOs'))
    .withPanel(sli.decimals(3))
    .withPanel(promStat({
      ...panel('Error budget remaining', 'Share of each SLO\'s error budget left over its period; below 0 the objective is missed.', 'percentunit', 12, sloRunbooks),
      thresholds: [{ value: null, color: 'red' }, { value: 0, color: 'orange' }, { value: 0.25, color: 'yellow' }, { value: 0.5, color: 'green' }],
      decimals: 1,
    }, props.slos.map((s) => ({ expr: `slo:period_error_budget_remaining:ratio${sloSelector(s)}`, legend: s.name }))))
    .withPanel(promTimeseries({
      ...panel('Burn rate (1h)', 'Error budget burn rate over the last hour; 1 spends exactly the budget over the period.', 'short', 24, sloRunbooks),
      min: 0,
    }, props.slos.map((s) => ({ expr: burnRateExpr(s, windowName(3_600)), legend: s.name }))));

  const firing = (severity: string): PromTarget => ({ expr: `count(ALERTS{alertstate="firing",severity="${severity}"}) or vector(0)`, legend: severity });
  d.withRow(new RowBuilder('Alerts'))
    .withPanel(promStat({ ...panel('Critical alerts firing', 'Alerts that page.', 'short', 6, []), thresholds: above(1) }, [firing('critical')]))
    .withPanel(promStat({ ...panel('Warning alerts firing', 'Alerts that open a ticket.', 'short', 6, []), thresholds: above(1, 'green', 'orange') }, [firing('warning')]))
    .withPanel(promTable(panel('Firing alerts', 'Every firing alert but the Watchdog heartbeat; each alert\'s runbook_url annotation links its runbook.', 'short', 12, [
      ['Runbook: Watchdog', runbookUrl(base, 'alerts/platform/Watchdog')],
      ['Runbook: RegionDown', runbookUrl(base, 'alerts/platform/RegionDown')],
    ]), { expr: 'sum by (alertname, service, severity) (ALERTS{alertstate="firing",alertname!="Watchdog"})', legend: '{{alertname}}' }));
  return finishDashboard(d.build());
}

/** SLI and budget over the period, and one burn-rate panel per multiwindow alert (long and short window). */
function addSloRow(d: DashboardBuilder, slo: Slo, base: string): void {
  const alert = SLO_ALERT_NAMES[slo.kind];
  const runbooks = [[`Runbook: ${alert}`, runbookUrl(base, `alerts/slo/${alert}`)] as const];
  const period = windowName(slo.periodSeconds);
  const sel = sloSelector(slo);
  const what = slo.kind === 'availability' ? 'requests answered without a 5xx' : `requests served within ${slo.threshold}s`;
  d.withRow(new RowBuilder(`SLO ${slo.name}: ${promNumber(slo.target * 100)}% over ${period}`))
    .withPanel(promStat({
      ...panel(`SLI over ${period}`, `Share of ${what} over the last ${period}; the objective is ${promNumber(slo.target * 100)}%.`, 'percentunit', 8, runbooks),
      thresholds: above(slo.target, 'red', 'green'), decimals: 3,
    }, [{ expr: `1 - slo:sli_error:ratio_rate${period}${sel}`, legend: 'SLI' }]))
    .withPanel(promGauge({
      ...panel('Error budget remaining', `Share of the ${period} error budget (${promNumber(slo.errorBudget * 100)}% of requests) left; below 0 the objective is missed.`,
        'percentunit', 8, runbooks),
      thresholds: [{ value: null, color: 'red' }, { value: 0.25, color: 'yellow' }, { value: 0.5, color: 'green' }],
      min: 0, max: 1, decimals: 1,
    }, [{ expr: `slo:period_error_budget_remaining:ratio${sel}`, legend: 'budget remaining' }]))
    .withPanel(promStat({
      ...panel(`Burn rate over ${period}`, 'How fast the budget is being spent over the whole period; above 1 the objective will be missed.', 'short', 8, runbooks),
      thresholds: above(1), decimals: 2,
    }, [{ expr: `slo:period_burn_rate:ratio${sel}`, legend: 'burn rate' }]));
  for (const w of burnRateWindows(slo.periodDays, slo.errorBudget)) {
    const long = windowName(w.longWindowSeconds);
    const short = windowName(w.shortWindowSeconds);
    const action = w.severity === 'critical' ? 'pages' : 'opens a ticket';
    d.withPanel(promTimeseries({
      ...panel(`Burn rate ${long} / ${short}`,
        `${alert} (${w.severity}) ${action} when the burn rate over both ${long} and ${short} is above ${promNumber(w.factor)}: `
          + `${promNumber(w.budgetShare * 100)}% of the budget spent in ${long}.`, 'short', 6, runbooks),
      thresholds: above(w.factor), min: 0,
    }, [long, short].map((win) => ({ expr: burnRateExpr(slo, win), legend: win }))));
  }
}

/** Circuit breakers, cache tiers and bypass, shedding and bulkheads, database pools: each panel links its resilience alert. */
function addResilienceRow(d: DashboardBuilder, base: string): void {
  const m = RESILIENCE_METRICS;
  const r = RESILIENCE_SIGNALS;
  const runbook = (alert: ResilienceAlertName): Array<readonly [string, string]> => [[`Runbook: ${alert}`, runbookUrl(base, resilienceRunbookPath(alert))]];
  const rate = (metric: string, selector: string): string => `rate(${metric}{${JOB}${selector}}[$__rate_interval])`;
  d.withRow(new RowBuilder('Resilience'))
    .withPanel(promTimeseries({
      ...panel('Circuit breakers', `1 while a dependency's breaker is open, half-open or isolated on at least one instance; DatabaseCircuitOpen pages `
        + `when the database breaker is not closed for ${r.databaseCircuitOpen.for}.`, 'short', 6, runbook('DatabaseCircuitOpen')),
      thresholds: above(1), min: 0, max: 1,
    }, [
      { expr: `max by (dependency, state) (${m.breakerState}{${JOB},state!="closed"})`, legend: '{{dependency}} {{state}}' },
    ]))
    .withPanel(promTimeseries({
      ...panel('Cache hit ratio and L2 bypass', `Hit ratio of each cache tier (L2 lookups skipped during a bypass count as misses), and 1 while L2 is `
        + `bypassed on at least one instance (reads go L1 → database); CacheBypassActive fires after ${r.cacheBypass.for}.`,
      'percentunit', 6, runbook('CacheBypassActive')),
      min: 0, max: 1,
    }, [
      { expr: `sum by (tier) (${rate(m.cacheRequests, ',result="hit"')}) / sum by (tier) (${rate(m.cacheRequests, '')})`, legend: '{{tier}} hit ratio' },
      { expr: `max(${m.cacheBypassActive}{${JOB},tier="l2"})`, legend: 'L2 bypass active' },
    ]))
    .withPanel(promTimeseries({
      ...panel('Shed requests and bulkhead rejections', `Requests shed at admission (503 + Retry-After) and dependency calls rejected by a full bulkhead, `
        + `per second; RequestsShed fires when more than ${promNumber(r.shedWarning.threshold * 100)}% (ticket) or `
        + `${promNumber(r.shedCritical.threshold * 100)}% (page) of requests are shed.`, 'reqps', 6, runbook('RequestsShed')),
      min: 0,
    }, [
      { expr: `sum by (http_route) (${rate(m.shedRequests, '')})`, legend: 'shed {{http_route}}' },
      { expr: `sum by (dependency) (${rate(m.bulkheadRejections, '')})`, legend: 'bulkhead {{dependency}}' },
    ]))
    .withPanel(promTimeseries({
      ...panel('Database pool', `Connections in use, the limit and callers waiting, per pool over all instances; DbPoolSaturated fires when an `
        + `instance uses more than ${promNumber(r.dbPool.threshold * 100)}% of a pool for ${r.dbPool.for}.`, 'short', 6, runbook('DbPoolSaturated')),
      min: 0,
    }, [
      { expr: `sum by (pool_name) (${m.poolConnections}{${JOB},state="used"})`, legend: '{{pool_name}} used' },
      { expr: `sum by (pool_name) (${m.poolMax}{${JOB}})`, legend: '{{pool_name}} max' },
      { expr: `sum by (pool_name) (${m.poolPending}{${JOB}})`, legend: '{{pool_name}} pending' },
    ]));
}

/** Burn rate over `window` from the recording rules: the window's error ratio over the recorded error budget. */
function burnRateExpr(slo: Slo, window: string): string {
  const sel = sloSelector(slo);
  return `slo:sli_error:ratio_rate${window}${sel} / slo:error_budget:ratio${sel}`;
}

/** The labels every recording rule of `slo` carries (rules.ts). */
function sloSelector(slo: Slo): string {
  return `{service="${slo.service}",slo="${slo.name}"}`;
}

function panel(title: string, description: string, unit: string, span: number, runbooks: ReadonlyArray<readonly [string, string]>): PanelSpec {
  return { title, description, unit, span, height: 8, runbooks };
}

function validateServiceDashboard(where: string, props: ServiceDashboardProps): void {
  if (!/^[A-Za-z][A-Za-z0-9_.-]{0,62}$/.test(props.service)) {
    throw new PlatformValidationError(where, 'service', props.service, 'is not a valid service name',
      'use the service\'s Prometheus job name: a letter, then up to 62 letters, digits, \'_\', \'.\' or \'-\'');
  }
  const foreign = props.slos.find((s) => s.service !== props.service);
  if (foreign) {
    throw new PlatformValidationError(where, 'slos', foreign.name, `is an SLO of service '${foreign.service}', not of '${props.service}'`,
      `pass only the SLOs of ${props.service} (render ${foreign.service}'s dashboard separately)`);
  }
  requireUniqueSlos(where, props.slos);
  requireNumberInRange(where, 'cpuLimitCores', props.cpuLimitCores, 0.125, 192);
  requireNumberInRange(where, 'memoryLimitBytes', props.memoryLimitBytes, 64 * 1024 ** 2, 1024 ** 4);
  for (const [prop, value] of [['databaseClusterIdentifier', props.databaseClusterIdentifier], ['cacheReplicationGroupId', props.cacheReplicationGroupId]] as const) {
    if (value !== undefined && !/^[a-zA-Z][a-zA-Z0-9-]{0,62}$/.test(value)) {
      throw new PlatformValidationError(where, prop, value, 'is not an AWS resource identifier',
        `pass the literal identifier (a letter, then up to 62 letters, digits or '-'); a token cannot be rendered into dashboard JSON`);
    }
  }
}

function requireUniqueSlos(where: string, slos: readonly Slo[]): void {
  const seen = new Set<string>();
  for (const s of slos) {
    if (seen.has(s.name)) {
      throw new PlatformValidationError(where, 'slos', s.name, 'appears twice (an SLO name is <service>-<kind>)',
        'declare one availability and at most one latency SLO per service');
    }
    seen.add(s.name);
  }
}
