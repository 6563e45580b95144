import { parse } from 'yaml';
import { goldenSignalRuleGroup } from '../../../constructs/core/observability/golden-signals';
import { RESILIENCE_ALERT_NAMES, resilienceRuleGroup } from '../../../constructs/core/observability/resilience';
import type { AlertingRule } from '../../../constructs/core/observability/rule-file';
import { alertingRules, recordingRules, renderRuleFile } from '../../../constructs/core/observability/rule-file';
import { sloRuleGroups } from '../../../constructs/core/observability/rules';
import { Slo } from '../../../constructs/core/observability/slo';
import { referenceRuleGroups } from '../../../stacks/objectives';
import { TEST_CONTAINER_LIMITS } from '../../helpers/container-limits';

const slo = Slo.availability({ service: 'checkout' });
const SEL = '{service="checkout",slo="checkout-availability"}';

describe('sloRuleGroups: recording rules', () => {
  const groups = sloRuleGroups(slo);

  test('one error-ratio rule per window, 5m to 3d, Sloth naming', () => {
    expect(groups.map((g) => g.name)).toEqual(['slo-checkout-availability', 'slo-checkout-availability-budget']);
    expect(recordingRules([groups[0]]).map((r) => r.record)).toEqual(
      ['5m', '30m', '1h', '2h', '6h', '1d', '3d'].map((w) => `slo:sli_error:ratio_rate${w}`));
    expect(recordingRules([groups[0]]).every((r) => r.labels?.service === 'checkout' && r.labels?.slo === 'checkout-availability')).toBe(true);
  });

  test('budget rules: traffic-weighted period ratio and budget remaining', () => {
    const byName = Object.fromEntries(recordingRules([groups[1]]).map((r) => [r.record, r.expr]));
    expect(byName).toEqual({
      'slo:sli_errors:rate5m': '(sum(rate(http_server_request_duration_seconds_count{job="checkout",http_response_status_code=~"5.."}[5m])) or vector(0))',
      'slo:sli_requests:rate5m': 'sum(rate(http_server_request_duration_seconds_count{job="checkout"}[5m]))',
      'slo:sli_error:ratio_rate30d': `sum_over_time(slo:sli_errors:rate5m${SEL}[30d]) / sum_over_time(slo:sli_requests:rate5m${SEL}[30d])`,
      'slo:objective:ratio': 'vector(0.999)',
      'slo:error_budget:ratio': 'vector(0.001)',
      'slo:time_period:days': 'vector(30)',
      'slo:current_burn_rate:ratio': `slo:sli_error:ratio_rate5m${SEL} / 0.001`,
      'slo:period_burn_rate:ratio': `slo:sli_error:ratio_rate30d${SEL} / 0.001`,
      'slo:period_error_budget_remaining:ratio': `1 - slo:period_burn_rate:ratio${SEL}`,
    });
  });
});

describe('sloRuleGroups: burn-rate alerts', () => {
  const alerts = alertingRules(sloRuleGroups(slo));

  test('page 14.4x 1h&5m and 6x 6h&30m, ticket 3x 1d&2h and 1x 3d&6h', () => {
    expect(alerts.map((a) => [a.alert, a.labels.severity, a.expr])).toEqual([
      ['SloAvailabilityBudgetBurn', 'critical', `slo:sli_error:ratio_rate1h${SEL} > (14.4 * 0.001) and slo:sli_error:ratio_rate5m${SEL} > (14.4 * 0.001)`],
      ['SloAvailabilityBudgetBurn', 'critical', `slo:sli_error:ratio_rate6h${SEL} > (6 * 0.001) and slo:sli_error:ratio_rate30m${SEL} > (6 * 0.001)`],
      ['SloAvailabilityBudgetBurn', 'warning', `slo:sli_error:ratio_rate1d${SEL} > (3 * 0.001) and slo:sli_error:ratio_rate2h${SEL} > (3 * 0.001)`],
      ['SloAvailabilityBudgetBurn', 'warning', `slo:sli_error:ratio_rate3d${SEL} > (1 * 0.001) and slo:sli_error:ratio_rate6h${SEL} > (1 * 0.001)`],
    ]);
  });

  test('labels severity, service, slo and the windows; runbook under alerts/slo', () => {
    expect(alerts[0].labels).toEqual({ severity: 'critical', service: 'checkout', slo: 'checkout-availability', long_window: '1h', short_window: '5m' });
    expect(alerts[0].annotations.runbook_url).toBe('https://github.com/platform-stacks/platform-stacks/blob/main/runbooks/alerts/slo/SloAvailabilityBudgetBurn.md');
    expect(alerts[0].annotations.description).toContain('2% of the 30d budget is spent in 1h, and all of it in 2d2h');
  });

  test('a 28-day SLO pages at 13.44x', () => {
    const a = alertingRules(sloRuleGroups(Slo.latency({ service: 'checkout', threshold: 0.25, target: 0.99, periodDays: 28 })));
    expect(a[0].alert).toBe('SloLatencyBudgetBurn');
    expect(a[0].expr).toBe('slo:sli_error:ratio_rate1h{service="checkout",slo="checkout-latency"} > (13.44 * 0.01) and '
      + 'slo:sli_error:ratio_rate5m{service="checkout",slo="checkout-latency"} > (13.44 * 0.01)');
  });

  test('compressTime 60 shrinks period and windows, keeps the factors', () => {
    const groups = sloRuleGroups(slo, { compressTime: 60, runbookBaseUrl: 'https://wiki.example.com' });
    expect(recordingRules([groups[0]]).map((r) => r.record)).toEqual(
      ['5s', '30s', '1m', '2m', '6m', '24m', '1h12m'].map((w) => `slo:sli_error:ratio_rate${w}`));
    expect(alertingRules(groups)[0].expr).toBe(`slo:sli_error:ratio_rate1m${SEL} > (14.4 * 0.001) and slo:sli_error:ratio_rate5s${SEL} > (14.4 * 0.001)`);
    expect(recordingRules([groups[1]]).map((r) => r.record)).toContain('slo:sli_error:ratio_rate12h');
    expect(alertingRules(groups)[0].annotations.runbook_url).toBe('https://wiki.example.com/runbooks/alerts/slo/SloAvailabilityBudgetBurn.md');
  });

  test.each([0, 7, 1.5, 600])('compressTime %p is rejected', (c) => {
    expect(() => sloRuleGroups(slo, { compressTime: c })).toThrow(
      `sloRuleGroups: compressTime (${c}) must be a whole number that divides the 5m window into whole milliseconds of at least 1s: use 1 (real time) or a divisor of 300 such as 60`);
  });
});

describe('golden signals', () => {
  const group = goldenSignalRuleGroup({ service: 'checkout', latencyThreshold: 0.25, cpuLimitCores: 1, memoryLimitBytes: 2147483648 });
  const byName = Object.fromEntries(alertingRules([group]).map((r) => [r.alert, r])) as Record<string, AlertingRule>;

  test('thresholds, for and keep_firing_for per the seed table', () => {
    expect(Object.values(byName).map((r) => [r.alert, r.labels.severity, r.for, r.keepFiringFor, r.expr])).toEqual([
      ['HttpErrorRateHigh', 'critical', '2m', '5m', 'sum(rate(http_server_request_duration_seconds_count{job="checkout",http_response_status_code=~"5.."}[5m])) / sum(rate(http_server_request_duration_seconds_count{job="checkout"}[5m])) > 0.01'],
      ['HttpLatencyP99High', 'warning', '5m', '5m', 'histogram_quantile(0.99, sum by (le) (rate(http_server_request_duration_seconds_bucket{job="checkout"}[5m]))) > 0.25'],
      ['HttpTrafficSpike', 'warning', '10m', '10m', 'sum(rate(http_server_request_duration_seconds_count{job="checkout"}[5m])) > 3 * sum(rate(http_server_request_duration_seconds_count{job="checkout"}[5m] offset 1w))'],
      ['CpuSaturationHigh', 'warning', '10m', '5m', 'sum by (instance) (rate(process_cpu_seconds_total{job="checkout"}[5m])) / 1 > 0.8'],
      ['MemorySaturationHigh', 'warning', '5m', '5m', 'max by (instance) (process_resident_memory_bytes{job="checkout"}) / 2147483648 > 0.85'],
    ]);
  });

  test.each<[string, Record<string, unknown>, string]>([
    ['latencyThreshold in ms', { latencyThreshold: 250 }, 'goldenSignalRuleGroup: latencyThreshold (250) must be between 0.001 and 60: set latencyThreshold to a value between 0.001 and 60'],
    ['cpuLimitCores as CPU units', { cpuLimitCores: 1024 }, 'goldenSignalRuleGroup: cpuLimitCores (1024) must be between 0.125 and 192: set cpuLimitCores to a value between 0.125 and 192'],
    ['memoryLimitBytes in MiB', { memoryLimitBytes: 2048 }, 'goldenSignalRuleGroup: memoryLimitBytes (2048) must be between 67108864 and 1099511627776: set memoryLimitBytes to a value between 67108864 and 1099511627776'],
  ])('%s is rejected', (_, override, message) => {
    expect(() => goldenSignalRuleGroup({ service: 'checkout', latencyThreshold: 0.25, cpuLimitCores: 1, memoryLimitBytes: 2147483648, ...override })).toThrow(message);
  });
});

describe('resilience alerts', () => {
  const group = resilienceRuleGroup({ service: 'checkout' });
  const rules = alertingRules([group]);

  test('group resilience-<service>: expr, for, keep_firing_for and severity per RESILIENCE_SIGNALS', () => {
    const shed = 'sum(rate(http_server_shed_requests_total{job="checkout"}[5m])) / sum(rate(http_server_request_duration_seconds_count{job="checkout"}[5m]))';
    expect(group.name).toBe('resilience-checkout');
    expect(rules.map((r) => [r.alert, r.labels.severity, r.for, r.keepFiringFor, r.expr])).toEqual([
      ['DatabaseCircuitOpen', 'critical', '1m', '5m', 'max by (job) (circuit_breaker_state{job="checkout",dependency="database",state!="closed"}) == 1'],
      ['CacheBypassActive', 'warning', '5m', '5m', 'max by (job) (cache_bypass_active{job="checkout",tier="l2"}) == 1'],
      ['RequestsShed', 'critical', '2m', '5m', `${shed} > 0.05`],
      ['RequestsShed', 'warning', '5m', '5m', `${shed} > 0.01`],
      ['DbPoolSaturated', 'warning', '10m', '5m',
        'sum by (instance, pool_name) (db_client_connection_count{job="checkout",state="used"}) / sum by (instance, pool_name) (db_client_connection_max{job="checkout"}) > 0.9'],
    ]);
    expect([...new Set(rules.map((r) => r.alert))]).toEqual([...RESILIENCE_ALERT_NAMES]);
  });

  test('labels severity + service; annotations summary, description with the query, runbook_url under alerts/resilience/', () => {
    for (const r of rules) {
      expect(Object.keys(r.labels).sort()).toEqual(['service', 'severity']);
      expect(r.labels.service).toBe('checkout');
      expect(r.annotations.summary).toMatch(/^checkout: /);
      expect(r.annotations.description).toMatch(/Query: \S+/);
      expect(r.annotations.runbook_url).toBe(`https://github.com/platform-stacks/platform-stacks/blob/main/runbooks/alerts/resilience/${r.alert}.md`);
    }
    const pool = rules.find((r) => r.alert === 'DbPoolSaturated') as AlertingRule;
    expect(pool.annotations.summary).toBe('checkout: instance {{ $labels.instance }} uses more than 90% of its {{ $labels.pool_name }} database pool');
  });

  test('the runbook base URL is configurable', () => {
    const [first] = alertingRules([resilienceRuleGroup({ service: 'checkout', runbookBaseUrl: 'https://wiki.example.com/' })]);
    expect(first.annotations.runbook_url).toBe('https://wiki.example.com/runbooks/alerts/resilience/DatabaseCircuitOpen.md');
  });

  test('a bad service name is rejected', () => {
    expect(() => resilienceRuleGroup({ service: 'check out' })).toThrow(
      "resilienceRuleGroup: service ('check out') is not a valid service name: use the service's Prometheus job name: a letter, then up to 62 letters, digits, '_', '.' or '-'");
  });
});

describe('the reference rule file', () => {
  const groups = referenceRuleGroups({ containerLimits: TEST_CONTAINER_LIMITS });

  test('rule counts: 32 recording, 20 alerting', () => {
    expect([recordingRules(groups).length, alertingRules(groups).length]).toEqual([32, 20]);
  });

  test('every alerting rule has severity and summary/description/runbook_url (DESIGN.md "Alerts")', () => {
    for (const a of alertingRules(groups)) {
      expect(['critical', 'warning', 'info']).toContain(a.labels.severity);
      expect(a.annotations.summary.length).toBeGreaterThan(10);
      expect(a.annotations.description.length).toBeGreaterThan(20);
      expect(a.annotations.runbook_url).toMatch(/\/runbooks\/alerts\/(slo|golden|resilience|platform)\/[A-Za-z0-9]+\.md$/);
      if (a.alert !== 'Watchdog' && a.alert !== 'RegionDown') expect(a.labels.service).toBe('checkout');
    }
  });

  test('rendering is deterministic and round-trips through YAML', () => {
    const yaml = renderRuleFile(groups);
    expect(renderRuleFile(referenceRuleGroups({ containerLimits: TEST_CONTAINER_LIMITS }))).toBe(yaml);
    const parsed = parse(yaml) as { groups: Array<{ rules: Array<Record<string, unknown>> }> };
    expect(parsed.groups.flatMap((g) => g.rules).length).toBe(52);
    expect(parsed.groups[4].rules[0]).toMatchObject({ alert: 'HttpErrorRateHigh', for: '2m', keep_firing_for: '5m' });
  });
});
