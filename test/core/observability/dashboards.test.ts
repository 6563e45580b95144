import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  dashboardJson, platformOverviewDashboard, PLATFORM_OVERVIEW_UID, serviceDashboard, serviceDashboardUid,
} from '../../../constructs/core/observability/dashboards';
import type { ServiceDashboardProps } from '../../../constructs/core/observability/dashboards';
import { goldenSignalRuleGroup } from '../../../constructs/core/observability/golden-signals';
import { resilienceRuleGroup } from '../../../constructs/core/observability/resilience';
import type { AlertingRule, RecordingRule, RuleGroup } from '../../../constructs/core/observability/rule-file';
import { sloRuleGroups } from '../../../constructs/core/observability/rules';
import { HTTP_SERVER_DURATION_METRIC, Slo } from '../../../constructs/core/observability/slo';
import { runbookPathFromUrl } from '../../../constructs/core/runbooks';
import { CHECKOUT_AVAILABILITY, CHECKOUT_LATENCY, CHECKOUT_SLOS, REFERENCE_SERVICE } from '../../../stacks/objectives';
import { TEST_CONTAINER_LIMITS as LIMITS } from '../../helpers/container-limits';
import { RUNBOOK_ROOT } from '../../helpers/runbooks';

// ---- helpers: read panels, targets and PromQL selectors out of a dashboard model

interface Target {
  readonly expr?: string; readonly legendFormat?: string; readonly refId?: string;
  readonly namespace?: string; readonly metricName?: string; readonly dimensions?: Record<string, string>; readonly expression?: string;
}
type AnyPanel = (Panel | RowPanel) & {
  targets?: Target[]; links?: Array<{ url?: string; title: string }>; datasource?: { type?: string; uid?: string };
};

const panels = (d: Dashboard): AnyPanel[] => (d.panels ?? []) as AnyPanel[];
const byTitle = (d: Dashboard, title: string): AnyPanel[] => panels(d).filter((p) => p.title === title);
const exprs = (p: AnyPanel): string[] => (p.targets ?? []).flatMap((t) => (t.expr ? [t.expr] : []));

/** Panels of the row titled `row` (up to the next row). */
function rowPanels(d: Dashboard, row: string): AnyPanel[] {
  const all = panels(d);
  const start = all.findIndex((p) => p.type === 'row' && p.title === row);
  if (start < 0) throw new Error(`no row '${row}'`);
  const end = all.findIndex((p, i) => i > start && p.type === 'row');
  return all.slice(start + 1, end < 0 ? undefined : end);
}

interface Selector { readonly metric: string; readonly labels: Record<string, string> }

/** Every `metric{...}` in a PromQL expression, with its equality matchers (`=~` and `!=` matchers are kept as-is). */
function selectors(expr: string): Selector[] {
  return [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}/g)].map((m) => ({
    metric: m[1],
    labels: Object.fromEntries([...m[2].matchAll(/([a-zA-Z_]+)(=~|!=|=)"([^"]*)"/g)].map((l) => [l[1], `${l[2] === '=' ? '' : l[2]}${l[3]}`])),
  }));
}

const isRecording = (r: RecordingRule | AlertingRule): r is RecordingRule => 'record' in r;
const recordings = (groups: RuleGroup[]): RecordingRule[] => groups.flatMap((g) => g.rules.filter(isRecording));
const alerts = (groups: RuleGroup[]): AlertingRule[] => groups.flatMap((g) => g.rules.filter((r): r is AlertingRule => !isRecording(r)));

const PROPS: ServiceDashboardProps = {
  service: REFERENCE_SERVICE,
  slos: CHECKOUT_SLOS,
  cpuLimitCores: LIMITS.cpuCores,
  memoryLimitBytes: LIMITS.memoryBytes,
  databaseClusterIdentifier: 'checkout-db',
  cacheReplicationGroupId: 'checkout-cache',
};

describe('service dashboard: PromQL against the rule generator', () => {
  const dashboard = serviceDashboard(PROPS);
  const sloGroups = CHECKOUT_SLOS.flatMap((s) => sloRuleGroups(s));
  const golden = goldenSignalRuleGroup({
    service: REFERENCE_SERVICE, latencyThreshold: CHECKOUT_LATENCY.threshold as number,
    cpuLimitCores: LIMITS.cpuCores, memoryLimitBytes: LIMITS.memoryBytes,
  });
  const resilience = resilienceRuleGroup({ service: REFERENCE_SERVICE });

  test('every recording rule a panel reads is produced by sloRuleGroups, with the labels the panel selects', () => {
    // GIVEN the series the rules record: name + service + slo
    const produced = new Set(recordings(sloGroups).map((r) => `${r.record} ${r.labels?.service} ${r.labels?.slo}`));
    // WHEN collecting every recording-rule selector of every panel
    const used = panels(dashboard).flatMap(exprs).flatMap(selectors).filter((s) => s.metric.includes(':'));
    // THEN each one exists
    expect(used.length).toBeGreaterThan(0);
    for (const s of used) expect(produced).toContain(`${s.metric} ${s.labels.service} ${s.labels.slo}`);
  });

  test('every raw metric a panel reads is one the rules read (or the contract\'s histogram _sum, or a resilience panel-only metric)', () => {
    const ruleMetrics = new Set([...recordings(sloGroups), ...alerts(sloGroups), ...golden.rules, ...resilience.rules]
      .flatMap((r) => selectors(r.expr)).map((s) => s.metric).filter((m) => !m.includes(':')));
    // read by the dashboard only: the context of the resilience alerts (reference-service/src/metrics.ts)
    const panelOnly = ['cache_requests_total', 'bulkhead_rejections_total', 'db_client_connection_pending_requests'];
    for (const m of [`${HTTP_SERVER_DURATION_METRIC}_sum`, ...panelOnly]) ruleMetrics.add(m);
    const raw = panels(dashboard).flatMap(exprs).flatMap(selectors).filter((s) => !s.metric.includes(':'));
    expect(new Set(raw.map((s) => s.metric))).toEqual(new Set([
      `${HTTP_SERVER_DURATION_METRIC}_count`, `${HTTP_SERVER_DURATION_METRIC}_bucket`, `${HTTP_SERVER_DURATION_METRIC}_sum`,
      'process_cpu_seconds_total', 'process_resident_memory_bytes',
      'circuit_breaker_state', 'cache_requests_total', 'cache_bypass_active', 'http_server_shed_requests_total', 'bulkhead_rejections_total',
      'db_client_connection_count', 'db_client_connection_max', 'db_client_connection_pending_requests',
    ]));
    for (const s of raw) {
      expect(ruleMetrics).toContain(s.metric);
      expect(s.labels.job).toBe('$service');
    }
  });

  test.each(CHECKOUT_SLOS.map((s) => [s.name, s] as const))('%s: one burn-rate panel per alert, every alert window once per alert, none twice', (_name, slo) => {
    // GIVEN the SLO's burn-rate alerts: windows and factor
    const sloAlerts = alerts(sloRuleGroups(slo)).map((a) => ({
      long: a.labels.long_window, short: a.labels.short_window,
      factor: Number(/> \(([\d.]+) \* [\d.]+\)/.exec(a.expr)?.[1]),
    }));
    expect(sloAlerts).toHaveLength(4);
    // WHEN reading the burn-rate panels of the SLO's row
    const row = rowPanels(dashboard, `SLO ${slo.name}: ${slo.target * 100}% over ${slo.periodDays}d`);
    const burn = row.filter((p) => p.title?.startsWith('Burn rate ') && p.type === 'timeseries');
    const windowsOf = (p: AnyPanel): string[] => exprs(p).map((e) => {
      const recorded = selectors(e).filter((s) => s.metric.startsWith('slo:sli_error:ratio_rate'));
      expect(recorded).toHaveLength(1);
      expect(recorded[0].labels).toEqual({ service: slo.service, slo: slo.name });
      return recorded[0].metric.replace('slo:sli_error:ratio_rate', '');
    });
    // THEN the panels are the alerts, each with its long and short window and its factor as threshold
    expect(burn.map((p) => windowsOf(p))).toEqual(sloAlerts.map((a) => [a.long, a.short]));
    burn.forEach((p, i) => {
      expect(p.title).toBe(`Burn rate ${sloAlerts[i].long} / ${sloAlerts[i].short}`);
      expect((p as Panel).fieldConfig?.defaults.thresholds?.steps.map((s) => s.value)).toEqual([null, sloAlerts[i].factor]);
    });
    // AND the windows shown, counted with repetition, are exactly the windows the alerts evaluate
    const shown = burn.flatMap(windowsOf).sort();
    const evaluated = sloAlerts.flatMap((a) => [a.long, a.short]).sort();
    expect(shown).toEqual(evaluated);
    // AND no two panels, and no two series of a panel, show the same query
    const keys = burn.map((p) => exprs(p).join('|'));
    expect(new Set(keys).size).toBe(keys.length);
    for (const p of burn) expect(new Set(exprs(p)).size).toBe(exprs(p).length);
  });

  test.each(CHECKOUT_SLOS.map((s) => [s.name, s] as const))('%s: SLI, budget remaining and period burn rate each read their rule once', (_name, slo) => {
    const row = rowPanels(dashboard, `SLO ${slo.name}: ${slo.target * 100}% over ${slo.periodDays}d`);
    const metrics = row.flatMap(exprs).flatMap(selectors).map((s) => s.metric);
    for (const m of ['slo:sli_error:ratio_rate30d', 'slo:period_error_budget_remaining:ratio', 'slo:period_burn_rate:ratio']) {
      expect(metrics.filter((x) => x === m)).toHaveLength(1);
    }
    const sli = row.find((p) => p.title === 'SLI over 30d') as Panel;
    expect(sli.fieldConfig?.defaults.thresholds?.steps).toEqual([{ value: null, color: 'red' }, { value: slo.target, color: 'green' }]);
  });

  test('resilience row: breaker state per dependency, cache hit ratio per tier and bypass, shedding and bulkheads, pool used/max/pending', () => {
    const row = rowPanels(dashboard, 'Resilience');
    expect(row.map((p) => [p.title, exprs(p), (p.targets ?? []).map((t) => t.legendFormat)])).toEqual([
      ['Circuit breakers', ['max by (dependency, state) (circuit_breaker_state{job="$service",state!="closed"})'], ['{{dependency}} {{state}}']],
      ['Cache hit ratio and L2 bypass', [
        'sum by (tier) (rate(cache_requests_total{job="$service",result="hit"}[$__rate_interval])) / sum by (tier) (rate(cache_requests_total{job="$service"}[$__rate_interval]))',
        'max(cache_bypass_active{job="$service",tier="l2"})',
      ], ['{{tier}} hit ratio', 'L2 bypass active']],
      ['Shed requests and bulkhead rejections', [
        'sum by (http_route) (rate(http_server_shed_requests_total{job="$service"}[$__rate_interval]))',
        'sum by (dependency) (rate(bulkhead_rejections_total{job="$service"}[$__rate_interval]))',
      ], ['shed {{http_route}}', 'bulkhead {{dependency}}']],
      ['Database pool', [
        'sum by (pool_name) (db_client_connection_count{job="$service",state="used"})',
        'sum by (pool_name) (db_client_connection_max{job="$service"})',
        'sum by (pool_name) (db_client_connection_pending_requests{job="$service"})',
      ], ['{{pool_name}} used', '{{pool_name}} max', '{{pool_name}} pending']],
    ]);
    // the alerts' label selectors are the panels': the database breaker, the L2 tier, used connections
    const alertSelectors = alerts([resilience]).flatMap((a) => selectors(a.expr));
    const panelSelectors = row.flatMap(exprs).flatMap(selectors);
    for (const a of alertSelectors.filter((x) => x.metric !== `${HTTP_SERVER_DURATION_METRIC}_count`)) {
      expect(panelSelectors.map((x) => x.metric)).toContain(a.metric);
    }
    expect((byTitle(dashboard, 'Circuit breakers')[0] as Panel).fieldConfig?.defaults.thresholds?.steps.map((x) => x.value)).toEqual([null, 1]);
  });

  test('the latency panel shows p50, p90 and p99 with the latency SLO threshold', () => {
    const [latency] = byTitle(dashboard, 'Latency p50 / p90 / p99') as Panel[];
    expect(latency.targets?.map((t) => (t as Target).legendFormat)).toEqual(['p50', 'p90', 'p99']);
    expect(exprs(latency as AnyPanel).map((e) => /histogram_quantile\(([\d.]+),/.exec(e)?.[1])).toEqual(['0.5', '0.9', '0.99']);
    expect(latency.fieldConfig?.defaults.thresholds?.steps.map((s) => s.value)).toEqual([null, CHECKOUT_LATENCY.threshold]);
  });
});

describe('service dashboard: structure', () => {
  const dashboard = serviceDashboard(PROPS);

  test('rows: RED, USE, one per SLO, dependencies', () => {
    expect(panels(dashboard).filter((p) => p.type === 'row').map((p) => p.title)).toEqual([
      'Requests (RED)', 'Instances (USE)', 'SLO checkout-availability: 99.9% over 30d', 'SLO checkout-latency: 99% over 30d', 'Resilience', 'Dependencies',
    ]);
    expect(rowPanels(dashboard, 'Requests (RED)').map((p) => p.title)).toEqual(['Request rate', 'Error ratio (5xx)', 'Latency p50 / p90 / p99']);
    expect(rowPanels(dashboard, 'Instances (USE)').map((p) => p.title)).toEqual(['CPU utilization', 'Memory utilization', 'Saturation: requests in flight']);
    expect(rowPanels(dashboard, 'Resilience').map((p) => p.title)).toEqual(['Circuit breakers', 'Cache hit ratio and L2 bypass', 'Shed requests and bulkhead rejections', 'Database pool']);
    expect(rowPanels(dashboard, 'Dependencies').map((p) => p.title)).toEqual(['Database CPU', 'Database connections', 'Database replica lag', 'Cache hit rate']);
  });

  test('variables: Prometheus and CloudWatch data sources, and the service defaulting to this one', () => {
    const vars = dashboard.templating.list ?? [];
    expect(vars.map((v) => [v.name, v.type])).toEqual([['datasource', 'datasource'], ['service', 'query'], ['cloudwatch', 'datasource']]);
    expect(vars[1].current).toEqual({ text: 'checkout', value: 'checkout' });
    for (const p of panels(dashboard).filter((x) => x.type !== 'row')) {
      expect(p.datasource?.uid).toMatch(/^\$(datasource|cloudwatch)$/);
      for (const t of p.targets ?? []) expect(t.refId).toMatch(/^[A-Z]$/);
    }
  });

  test('without dependencies there is no dependencies row and no CloudWatch variable', () => {
    const d = serviceDashboard({ ...PROPS, databaseClusterIdentifier: undefined, cacheReplicationGroupId: undefined });
    expect(panels(d).some((p) => p.title === 'Dependencies')).toBe(false);
    expect((d.templating.list ?? []).map((v) => v.name)).toEqual(['datasource', 'service']);
  });

  test('dependencies read Aurora and ElastiCache metrics of the given identifiers from CloudWatch', () => {
    const targets = rowPanels(dashboard, 'Dependencies').flatMap((p) => p.targets ?? []);
    expect(targets.filter((t) => t.namespace === 'AWS/RDS').map((t) => [t.metricName, t.dimensions])).toEqual([
      ['CPUUtilization', { DBClusterIdentifier: 'checkout-db' }],
      ['DatabaseConnections', { DBClusterIdentifier: 'checkout-db' }],
      ['AuroraReplicaLag', { DBClusterIdentifier: 'checkout-db' }],
    ]);
    expect(targets.find((t) => t.expression)?.expression).toContain('MetricName="CacheHitRate" "checkout-cache"');
  });

  test('panel ids are 1..n in layout order', () => {
    expect(panels(dashboard).map((p) => p.id)).toEqual(panels(dashboard).map((_, i) => i + 1));
  });
});

describe('runbook links', () => {
  const dashboards = [serviceDashboard(PROPS), platformOverviewDashboard({ slos: CHECKOUT_SLOS })];
  const links = dashboards.flatMap((d) => panels(d).flatMap((p) => (p.links ?? []).map((l) => ({ panel: p.title, url: l.url as string }))));

  test('every runbook link resolves to a file under runbooks/', () => {
    expect(links.length).toBeGreaterThan(10);
    for (const l of links) {
      const path = runbookPathFromUrl(l.url);
      expect({ panel: l.panel, path }).toEqual({ panel: l.panel, path: expect.any(String) });
      expect({ panel: l.panel, exists: existsSync(join(RUNBOOK_ROOT, `${path}.md`)) }).toEqual({ panel: l.panel, exists: true });
    }
  });

  test('panels explaining an alert link that alert\'s runbook_url', () => {
    const d = dashboards[0];
    const golden = goldenSignalRuleGroup({ service: 'checkout', latencyThreshold: 0.25, cpuLimitCores: 1, memoryLimitBytes: 2 ** 31 });
    const url = (alert: string): string => (golden.rules as AlertingRule[]).find((r) => r.alert === alert)?.annotations.runbook_url as string;
    const linksOf = (title: string): string[] => (byTitle(d, title)[0].links ?? []).map((l) => l.url as string);
    expect(linksOf('Error ratio (5xx)')).toEqual([url('HttpErrorRateHigh')]);
    expect(linksOf('Latency p50 / p90 / p99')).toEqual([url('HttpLatencyP99High')]);
    expect(linksOf('CPU utilization')).toEqual([url('CpuSaturationHigh')]);
    expect(linksOf('Memory utilization')).toEqual([url('MemorySaturationHigh')]);
    const resilienceUrl = (alert: string): string => alerts([resilienceRuleGroup({ service: 'checkout' })]).find((r) => r.alert === alert)?.annotations.runbook_url as string;
    expect(linksOf('Circuit breakers')).toEqual([resilienceUrl('DatabaseCircuitOpen')]);
    expect(linksOf('Cache hit ratio and L2 bypass')).toEqual([resilienceUrl('CacheBypassActive')]);
    expect(linksOf('Shed requests and bulkhead rejections')).toEqual([resilienceUrl('RequestsShed')]);
    expect(linksOf('Database pool')).toEqual([resilienceUrl('DbPoolSaturated')]);
    for (const slo of CHECKOUT_SLOS) {
      const sloUrl = alerts(sloRuleGroups(slo))[0].annotations.runbook_url;
      const row = rowPanels(d, `SLO ${slo.name}: ${slo.target * 100}% over ${slo.periodDays}d`);
      for (const p of row) expect(p.links?.map((l) => l.url)).toEqual([sloUrl]);
    }
  });

  test('the runbook base URL is configurable', () => {
    const d = serviceDashboard({ ...PROPS, runbookBaseUrl: 'https://runbooks.example.com/' });
    expect(byTitle(d, 'CPU utilization')[0].links?.[0].url).toBe('https://runbooks.example.com/runbooks/alerts/golden/CpuSaturationHigh.md');
  });
});

describe('platform overview', () => {
  const other = Slo.availability({ service: 'payments', target: 0.995, periodDays: 28 });
  const slos = [...CHECKOUT_SLOS, other];
  const d = platformOverviewDashboard({ slos });

  test.each(['SLI over the period', 'Error budget remaining', 'Burn rate (1h)'])('%s: one series per SLO, each SLO once', (title) => {
    const [p] = byTitle(d, title);
    expect((p.targets ?? []).map((t) => t.legendFormat)).toEqual(slos.map((s) => s.name));
    expect(exprs(p).map((e) => selectors(e)[0].labels.slo)).toEqual(slos.map((s) => s.name));
  });

  test('each SLI is read over its own period and coloured at its own target', () => {
    const [p] = byTitle(d, 'SLI over the period') as Array<Panel & AnyPanel>;
    expect(exprs(p).map((e) => selectors(e)[0].metric)).toEqual(['slo:sli_error:ratio_rate30d', 'slo:sli_error:ratio_rate30d', 'slo:sli_error:ratio_rate28d']);
    expect(p.fieldConfig?.overrides.map((o) => [o.matcher.options, o.properties[0].value.steps[1].value])).toEqual([
      ['checkout-availability', 0.999], ['checkout-latency', 0.99], ['payments-availability', 0.995],
    ]);
    const produced = new Set(recordings(slos.flatMap((s) => sloRuleGroups(s))).map((r) => `${r.record} ${r.labels?.slo}`));
    for (const s of panels(d).flatMap(exprs).flatMap(selectors).filter((x) => x.metric.includes(':'))) {
      expect(produced).toContain(`${s.metric} ${s.labels.slo}`);
    }
  });

  test('alerts firing: critical and warning counts, a table without the Watchdog', () => {
    expect(exprs(byTitle(d, 'Critical alerts firing')[0])).toEqual(['count(ALERTS{alertstate="firing",severity="critical"}) or vector(0)']);
    expect(exprs(byTitle(d, 'Warning alerts firing')[0])).toEqual(['count(ALERTS{alertstate="firing",severity="warning"}) or vector(0)']);
    expect(exprs(byTitle(d, 'Firing alerts')[0])[0]).toContain('alertname!="Watchdog"');
  });

  test('links to every service dashboard', () => {
    expect(d.links?.map((l) => l.url)).toEqual(['/d/svc-checkout', '/d/svc-payments']);
    expect(d.uid).toBe(PLATFORM_OVERVIEW_UID);
  });
});

describe('uids and deterministic JSON', () => {
  test('the uid derives from the service name and is stable', () => {
    expect(serviceDashboardUid('checkout')).toBe('svc-checkout');
    expect(serviceDashboard(PROPS).uid).toBe('svc-checkout');
    expect(serviceDashboardUid('payments.api')).toBe(serviceDashboardUid('payments.api'));
  });

  test('names that are not valid uids get a valid, distinct uid', () => {
    const dotted = serviceDashboardUid('a.b');
    const dashed = serviceDashboardUid('a-b');
    const long = serviceDashboardUid(`s${'x'.repeat(60)}`);
    expect(dashed).toBe('svc-a-b');
    expect(dotted).not.toBe(dashed);
    for (const uid of [dotted, long]) expect(uid).toMatch(/^[A-Za-z0-9_-]{1,40}$/);
  });

  test('the same input renders the same bytes, keys sorted', () => {
    const a = dashboardJson(serviceDashboard(PROPS));
    const b = dashboardJson(serviceDashboard({ ...PROPS, slos: [...CHECKOUT_SLOS] }));
    expect(a).toBe(b);
    expect(Object.keys(JSON.parse(a))).toEqual([...Object.keys(JSON.parse(a))].sort());
    expect(a.endsWith('}\n')).toBe(true);
  });

  test('snapshot: the 1h/5m burn-rate panel of the availability SLO', () => {
    const d = serviceDashboard(PROPS);
    const row = rowPanels(d, 'SLO checkout-availability: 99.9% over 30d');
    expect(JSON.parse(dashboardJson(row.find((p) => p.title === 'Burn rate 1h / 5m') as unknown as Dashboard))).toMatchSnapshot();
  });
});

describe('validation', () => {
  /** What an unresolved CDK string token looks like. */
  const TOKEN = ['$', '{Token[TOKEN.12]}'].join('');

  test.each<[string, Partial<ServiceDashboardProps>, string]>([
    ['bad service name', { service: '1checkout', slos: [] },
      "serviceDashboard: service ('1checkout') is not a valid service name: use the service's Prometheus job name: a letter, then up to 62 letters, digits, '_', '.' or '-'"],
    ['an SLO of another service', { slos: [Slo.availability({ service: 'payments' })] },
      "serviceDashboard: slos ('payments-availability') is an SLO of service 'payments', not of 'checkout': pass only the SLOs of checkout (render payments's dashboard separately)"],
    ['the same SLO twice', { slos: [CHECKOUT_AVAILABILITY, CHECKOUT_AVAILABILITY] },
      "serviceDashboard: slos ('checkout-availability') appears twice (an SLO name is <service>-<kind>): declare one availability and at most one latency SLO per service"],
    ['CPU limit out of range', { cpuLimitCores: 0 },
      'serviceDashboard: cpuLimitCores (0) must be between 0.125 and 192: set cpuLimitCores to a value between 0.125 and 192'],
    ['a token as cluster identifier', { databaseClusterIdentifier: TOKEN },
      `serviceDashboard: databaseClusterIdentifier ('${TOKEN}') is not an AWS resource identifier: pass the literal identifier (a letter, then up to 62 letters, digits or '-'); a token cannot be rendered into dashboard JSON`],
  ])('%s', (_case, override, message) => {
    expect(() => serviceDashboard({ ...PROPS, ...override })).toThrow(message);
  });

  test('an overview without SLOs', () => {
    expect(() => platformOverviewDashboard({ slos: [] })).toThrow('platformOverviewDashboard: slos ([]) is empty: pass every SLO of the platform (e.g. CHECKOUT_SLOS)');
  });
});
