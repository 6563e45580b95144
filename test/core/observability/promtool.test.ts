/**
 * The generated rules in Prometheus's own engine: `promtool check rules`, and `promtool test rules` unit tests
 * generated here for every alert (fires just above its threshold, silent just below, resolves after recovery).
 */
import { stringify } from 'yaml';
import { GOLDEN_SIGNALS } from '../../../constructs/core/observability/golden-signals';
import { RESILIENCE_SIGNALS } from '../../../constructs/core/observability/resilience';
import { round12 } from '../../../constructs/core/observability/private/promql';
import type { AlertingRule, RuleGroup } from '../../../constructs/core/observability/rule-file';
import { alertingRules, renderRuleFile } from '../../../constructs/core/observability/rule-file';
import { HTTP_SERVER_DURATION_METRIC } from '../../../constructs/core/observability/slo';
import { CHECKOUT_AVAILABILITY, CHECKOUT_LATENCY, referenceRuleGroups } from '../../../stacks/objectives';
import { TEST_CONTAINER_LIMITS as LIMITS } from '../../helpers/container-limits';
import type { AlertTest, InputSeries, PromtoolTest, PromtoolTestFile } from './promtool-scenarios';
import { counter, expected, promtoolValues, sloBurnRateTests } from './promtool-scenarios';
import { runTool, writeTempFiles } from './tools';

const groups = referenceRuleGroups({ containerLimits: LIMITS });
const rules = alertingRules(groups);
const rule = (alert: string): AlertingRule => {
  const r = rules.find((x) => x.alert === alert);
  if (!r) throw new Error(`no alert ${alert}`);
  return r;
};

/**
 * Runs `promtool test rules` on the test files (one promtool run) against `ruleGroups`; returns promtool's
 * output, failing on a non-zero exit.
 */
function promtoolTest(ruleGroups: readonly RuleGroup[], files: readonly PromtoolTestFile[]): string {
  const names = files.map((_, i) => `tests-${i}.yml`);
  const dir = writeTempFiles({
    'rules.yml': renderRuleFile(ruleGroups),
    ...Object.fromEntries(files.map((f, i) => [names[i],
      stringify({ rule_files: ['rules.yml'], evaluation_interval: `${f.evaluationMinutes}m`, tests: f.tests }, { lineWidth: 0 })])),
  });
  const run = runTool('promtool', ['test', 'rules', ...names], dir);
  if (run.status !== 0) throw new Error(`promtool test rules failed (files in ${dir}):\n${run.output}`);
  return run.output;
}

const PER_MINUTE = 600_000;
const job = 'job="checkout"';
const count = `${HTTP_SERVER_DURATION_METRIC}_count`;
const none = (t: number, alertname: string): AlertTest => ({ eval_time: `${t}m`, alertname, exp_alerts: [] });

describe('promtool check rules', () => {
  test.each([
    ['real time', referenceRuleGroups({ containerLimits: LIMITS })],
    ['compressed 60x', referenceRuleGroups({ containerLimits: LIMITS, compressTime: 60 })],
  ])('the reference rule file (%s) is valid', (_, g) => {
    // GIVEN the generated rule file WHEN promtool checks it THEN it passes with every rule counted
    const dir = writeTempFiles({ 'rules.yml': renderRuleFile(g) });
    const run = runTool('promtool', ['check', 'rules', 'rules.yml'], dir);
    expect(run.output).toContain(`SUCCESS: ${g.flatMap((x) => x.rules).length} rules found`);
    expect(run.status).toBe(0);
  });

  test('promtool rejects a broken rule (the check can fail)', () => {
    const broken: RuleGroup = { name: 'broken', rules: [{ record: 'x:y:z', expr: 'sum(rate(foo[5m]' }] };
    const dir = writeTempFiles({ 'rules.yml': renderRuleFile([broken]) });
    expect(runTool('promtool', ['check', 'rules', 'rules.yml'], dir).status).not.toBe(0);
  });
});

describe('promtool test rules: SLO burn-rate alerts', () => {
  test.each([CHECKOUT_AVAILABILITY, CHECKOUT_LATENCY])('%s: every row of the table fires above, stays silent below, resolves', (slo) => {
    // GIVEN scenarios around each row's threshold WHEN promtool evaluates them THEN the modelled alerts fire
    // (the budget group is left out: alerts only read the SLI ratios, and its 30-day sums would dominate the run)
    const sloGroups = groups.filter((g) => g.name === `slo-${slo.name}`);
    const files = sloBurnRateTests(slo, sloGroups);
    expect(files.flatMap((f) => f.tests)).toHaveLength(8);
    expect(promtoolTest(sloGroups, files)).toContain('SUCCESS');
  });

  test('a wrong expectation makes promtool fail (the harness can fail)', () => {
    const sloGroups = groups.filter((g) => g.name === `slo-${CHECKOUT_AVAILABILITY.name}`);
    const [{ tests: [above] }] = sloBurnRateTests(CHECKOUT_AVAILABILITY, sloGroups);
    const wrong: PromtoolTest = { ...above, alert_rule_test: [{ ...above.alert_rule_test[0], exp_alerts: [] }] };
    expect(() => promtoolTest(sloGroups, [{ evaluationMinutes: 1, tests: [wrong] }])).toThrow(/promtool test rules failed/);
  });
});

/** Golden signals: one scenario per alert, a bad phase of `ratio` during minutes (start, end]. */
function errorSeries(ratio: number, start: number, end: number, steps: number): InputSeries[] {
  const bad = (k: number): number => (k > start && k <= end ? round12(ratio * PER_MINUTE) : 0);
  return [
    { series: `${count}{${job},http_response_status_code="200"}`, values: promtoolValues(counter(steps, (k) => PER_MINUTE - bad(k))) },
    { series: `${count}{${job},http_response_status_code="500"}`, values: promtoolValues(counter(steps, bad)) },
  ];
}

/** Full histogram: good requests at 0.05 s, slow ones (share `slow` during (start, end]) just above the threshold. */
function latencySeries(slow: number, start: number, end: number, steps: number): InputSeries[] {
  const bounds = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
  const threshold = CHECKOUT_LATENCY.threshold as number;
  const slowAt = bounds.find((b) => b > threshold) as number;
  const slowPerMin = (k: number): number => (k > start && k <= end ? round12(slow * PER_MINUTE) : 0);
  const bucket = (le: number): InputSeries => ({
    series: `${HTTP_SERVER_DURATION_METRIC}_bucket{${job},le="${le}"}`,
    values: promtoolValues(counter(steps, (k) => (le >= 0.05 ? PER_MINUTE - slowPerMin(k) : 0) + (le >= slowAt ? slowPerMin(k) : 0))),
  });
  return [
    ...bounds.map(bucket),
    { series: `${HTTP_SERVER_DURATION_METRIC}_bucket{${job},le="+Inf"}`, values: promtoolValues(counter(steps, () => PER_MINUTE)) },
    { series: `${count}{${job}}`, values: promtoolValues(counter(steps, () => PER_MINUTE)) },
  ];
}

const WEEK = 7 * 24 * 60;
function trafficSeries(factor: number, start: number, end: number, steps: number): InputSeries[] {
  return [{
    series: `${count}{${job},http_response_status_code="200"}`,
    values: promtoolValues(counter(steps, (k) => (k > start && k <= end ? factor * 1000 : 1000))),
  }];
}

const instance = '10.0.0.1:8080';
function cpuSeries(utilization: number, start: number, end: number, steps: number): InputSeries[] {
  return [{
    series: `process_cpu_seconds_total{${job},instance="${instance}"}`,
    values: promtoolValues(counter(steps, (k) => 60 * LIMITS.cpuCores * (k > start && k <= end ? utilization : 0.2))),
  }];
}
function memorySeries(share: number, start: number, end: number, steps: number): InputSeries[] {
  const v = Array.from({ length: steps + 1 }, (_, k) => Math.round(LIMITS.memoryBytes * (k >= start && k < end ? share : 0.5)));
  return [{ series: `process_resident_memory_bytes{${job},instance="${instance}"}`, values: promtoolValues(v) }];
}

/** Resilience: a gauge series of per-minute values given as runs `[value, minutes]`. */
function gauge(series: string, runs: ReadonlyArray<readonly [number, number]>): InputSeries {
  return { series, values: promtoolValues(runs.flatMap(([v, n]) => Array.from({ length: n }, () => v))) };
}

/** A share `ratio` of the requests (all on one route) shed at admission during minutes (start, end]; shed ones are 503s. */
function shedSeries(ratio: number, start: number, end: number, steps: number): InputSeries[] {
  const shed = (k: number): number => (k > start && k <= end ? round12(ratio * PER_MINUTE) : 0);
  return [
    { series: `${count}{${job},http_response_status_code="200"}`, values: promtoolValues(counter(steps, (k) => PER_MINUTE - shed(k))) },
    { series: `${count}{${job},http_response_status_code="503"}`, values: promtoolValues(counter(steps, shed)) },
    { series: `http_server_shed_requests_total{${job},instance="${instance}",http_route="/items/:id"}`, values: promtoolValues(counter(steps, shed)) },
  ];
}

/** The writer pool at `used` of 20 connections during minutes [start, end), 5 otherwise; the reader pool at 5 of 15 throughout. */
function poolSeries(used: number, start: number, end: number, steps: number): InputSeries[] {
  const pool = (name: string, state: string): string => `db_client_connection_count{${job},instance="${instance}",pool_name="${name}",state="${state}"}`;
  const writerUsed: Array<[number, number]> = [[5, start], [used, end - start], [5, steps + 1 - end]];
  return [
    gauge(pool('writer', 'used'), writerUsed),
    gauge(pool('writer', 'idle'), writerUsed.map(([v, n]) => [20 - v, n])),
    gauge(`db_client_connection_max{${job},instance="${instance}",pool_name="writer"}`, [[20, steps + 1]]),
    gauge(pool('reader', 'used'), [[5, steps + 1]]),
    gauge(`db_client_connection_max{${job},instance="${instance}",pool_name="reader"}`, [[15, steps + 1]]),
  ];
}

/** The breaker gauges of `dependency` on one instance: one series per state, 1 for the state of each minute. */
function breakerSeries(dependency: string, states: ReadonlyArray<readonly [string, number]>): InputSeries[] {
  return ['closed', 'open', 'half_open', 'isolated'].map((state) => gauge(
    `circuit_breaker_state{${job},instance="${instance}",dependency="${dependency}",state="${state}"}`,
    states.map(([s, n]) => [s === state ? 1 : 0, n] as const)));
}

describe('promtool test rules: golden signals, resilience and platform alerts', () => {
  const g = GOLDEN_SIGNALS;
  const fire = (t: number, alertname: string, extra: Record<string, string> = {}): AlertTest =>
    ({ eval_time: `${t}m`, alertname, exp_alerts: [expected(rule(alertname), extra)] });
  const above = (x: number): number => round12(x * 1.05);
  const below = (x: number): number => round12(x * 0.95);
  const inst = { instance };
  const r = RESILIENCE_SIGNALS;
  const pool = { instance, pool_name: 'writer' };
  /** RequestsShed has a critical and a warning rule: the alerts of the given severities, in that order. */
  const shedFiring = (t: number, severities: ReadonlyArray<'critical' | 'warning'>): AlertTest => ({
    eval_time: `${t}m`, alertname: 'RequestsShed',
    exp_alerts: severities.map((sev) => expected(rules.find((x) => x.alert === 'RequestsShed' && x.labels.severity === sev) as AlertingRule)),
  });

  // Timelines (minutes): the 5m-rate signals cross their threshold 5m after the bad phase starts, fire after `for`,
  // keep firing for `keep_firing_for` after it ends, then resolve.
  // The week-long traffic scenario evaluates every 5m (eval times are multiples of 5), the others every minute.
  const evaluationMinutes = (name: string): number => (name.startsWith('HttpTrafficSpike') ? 5 : 1);
  const cases: Array<[string, PromtoolTest[]]> = [
    ['HttpErrorRateHigh: >1% for 2m, keep_firing_for 5m', [
      { name: 'error rate above', interval: '1m', input_series: errorSeries(above(g.errorRatio.threshold), 10, 30, 45),
        alert_rule_test: [none(16, 'HttpErrorRateHigh'), fire(18, 'HttpErrorRateHigh'), fire(33, 'HttpErrorRateHigh'), none(40, 'HttpErrorRateHigh')] },
      { name: 'error rate below', interval: '1m', input_series: errorSeries(below(g.errorRatio.threshold), 10, 30, 45),
        alert_rule_test: [none(18, 'HttpErrorRateHigh'), none(29, 'HttpErrorRateHigh')] },
    ]],
    ['HttpLatencyP99High: p99 > SLO threshold for 5m, keep_firing_for 5m', [
      { name: 'p99 above', interval: '1m', input_series: latencySeries(above(0.01), 10, 40, 55),
        alert_rule_test: [none(19, 'HttpLatencyP99High'), fire(21, 'HttpLatencyP99High'), fire(43, 'HttpLatencyP99High'), none(50, 'HttpLatencyP99High')] },
      { name: 'p99 below', interval: '1m', input_series: latencySeries(below(0.01), 10, 40, 55),
        alert_rule_test: [none(21, 'HttpLatencyP99High'), none(39, 'HttpLatencyP99High')] },
    ]],
    ['HttpTrafficSpike: >3x one week ago for 10m, keep_firing_for 10m', [
      { name: 'traffic above', interval: '1m', input_series: trafficSeries(above(g.traffic.factor), WEEK + 20, WEEK + 60, WEEK + 80),
        alert_rule_test: [none(WEEK + 30, 'HttpTrafficSpike'), fire(WEEK + 40, 'HttpTrafficSpike'), fire(WEEK + 65, 'HttpTrafficSpike'), none(WEEK + 80, 'HttpTrafficSpike')] },
      { name: 'traffic below', interval: '1m', input_series: trafficSeries(below(g.traffic.factor), WEEK + 20, WEEK + 60, WEEK + 80),
        alert_rule_test: [none(WEEK + 40, 'HttpTrafficSpike'), none(WEEK + 60, 'HttpTrafficSpike')] },
    ]],
    ['CpuSaturationHigh: >80% for 10m, keep_firing_for 5m', [
      { name: 'cpu above', interval: '1m', input_series: cpuSeries(above(g.cpu.threshold), 10, 40, 55),
        alert_rule_test: [none(24, 'CpuSaturationHigh'), fire(26, 'CpuSaturationHigh', inst), fire(43, 'CpuSaturationHigh', inst), none(50, 'CpuSaturationHigh')] },
      { name: 'cpu below', interval: '1m', input_series: cpuSeries(below(g.cpu.threshold), 10, 40, 55),
        alert_rule_test: [none(26, 'CpuSaturationHigh'), none(39, 'CpuSaturationHigh')] },
    ]],
    ['MemorySaturationHigh: >85% for 5m, keep_firing_for 5m', [
      { name: 'memory above', interval: '1m', input_series: memorySeries(above(g.memory.threshold), 10, 40, 55),
        alert_rule_test: [none(14, 'MemorySaturationHigh'), fire(16, 'MemorySaturationHigh', inst), fire(43, 'MemorySaturationHigh', inst), none(50, 'MemorySaturationHigh')] },
      { name: 'memory below', interval: '1m', input_series: memorySeries(below(g.memory.threshold), 10, 40, 55),
        alert_rule_test: [none(16, 'MemorySaturationHigh'), none(39, 'MemorySaturationHigh')] },
    ]],
    ['DatabaseCircuitOpen: database breaker not closed for 1m, keep_firing_for 5m', [
      { name: 'breaker open, then half-open', interval: '1m',
        input_series: breakerSeries('database', [['closed', 10], ['open', 5], ['half_open', 5], ['closed', 20]]),
        alert_rule_test: [none(10, 'DatabaseCircuitOpen'), fire(12, 'DatabaseCircuitOpen', { job: 'checkout' }),
          fire(19, 'DatabaseCircuitOpen', { job: 'checkout' }), fire(22, 'DatabaseCircuitOpen', { job: 'checkout' }), none(27, 'DatabaseCircuitOpen')] },
      { name: 'a one-minute blip, and the cache breaker open', interval: '1m',
        input_series: [...breakerSeries('database', [['closed', 10], ['open', 1], ['closed', 20]]),
          ...breakerSeries('cache', [['closed', 5], ['open', 20], ['closed', 6]])],
        alert_rule_test: [none(11, 'DatabaseCircuitOpen'), none(20, 'DatabaseCircuitOpen')] },
    ]],
    ['CacheBypassActive: L2 bypassed for 5m, keep_firing_for 5m', [
      { name: 'bypass for 19m', interval: '1m',
        input_series: [gauge(`cache_bypass_active{${job},instance="${instance}",tier="l2"}`, [[0, 10], [1, 19], [0, 20]])],
        alert_rule_test: [none(14, 'CacheBypassActive'), fire(16, 'CacheBypassActive', { job: 'checkout' }),
          fire(31, 'CacheBypassActive', { job: 'checkout' }), none(36, 'CacheBypassActive')] },
      { name: 'bypass for 4m', interval: '1m',
        input_series: [gauge(`cache_bypass_active{${job},instance="${instance}",tier="l2"}`, [[0, 10], [1, 4], [0, 20]])],
        alert_rule_test: [none(14, 'CacheBypassActive'), none(16, 'CacheBypassActive')] },
    ]],
    ['RequestsShed: >5% for 2m pages, >1% for 5m tickets, keep_firing_for 5m', [
      { name: 'shed above 5%', interval: '1m', input_series: shedSeries(above(r.shedCritical.threshold), 10, 40, 55),
        alert_rule_test: [none(14, 'RequestsShed'), shedFiring(18, ['critical', 'warning']), shedFiring(35, ['critical', 'warning']), none(52, 'RequestsShed')] },
      { name: 'shed between 1% and 5%', interval: '1m', input_series: shedSeries(below(r.shedCritical.threshold), 10, 40, 55),
        alert_rule_test: [none(14, 'RequestsShed'), shedFiring(18, ['warning']), shedFiring(35, ['warning']), none(52, 'RequestsShed')] },
      { name: 'shed below 1%', interval: '1m', input_series: shedSeries(below(r.shedWarning.threshold), 10, 40, 55),
        alert_rule_test: [none(18, 'RequestsShed'), none(35, 'RequestsShed')] },
    ]],
    ['DbPoolSaturated: used/max > 90% for 10m, keep_firing_for 5m', [
      { name: 'pool at 95%', interval: '1m', input_series: poolSeries(19, 10, 40, 55),
        alert_rule_test: [none(18, 'DbPoolSaturated'), fire(21, 'DbPoolSaturated', pool), fire(39, 'DbPoolSaturated', pool), none(47, 'DbPoolSaturated')] },
      { name: 'pool at 90% exactly', interval: '1m', input_series: poolSeries(18, 10, 40, 55),
        alert_rule_test: [none(21, 'DbPoolSaturated'), none(39, 'DbPoolSaturated')] },
    ]],
    ['Watchdog: always firing', [
      { name: 'watchdog', interval: '1m', input_series: [],
        alert_rule_test: [fire(0, 'Watchdog'), fire(60, 'Watchdog')] },
    ]],
    ['RegionDown: every target of a region down for 2m; no keep_firing_for', [
      { name: 'region down', interval: '1m', input_series: [
        { series: 'up{job="checkout",instance="a",region="eu-west-1"}', values: '1x9 0x19 1x10' },
        { series: 'up{job="checkout",instance="b",region="eu-west-1"}', values: '1x9 0x19 1x10' },
        { series: 'up{job="checkout",instance="c",region="us-east-1"}', values: '1x40' },
      ], alert_rule_test: [none(11, 'RegionDown'), fire(13, 'RegionDown', { region: 'eu-west-1' }), none(31, 'RegionDown')] },
      { name: 'one of two targets down is not a region down', interval: '1m', input_series: [
        { series: 'up{job="checkout",instance="a",region="eu-west-1"}', values: '1x9 0x19 1x10' },
        { series: 'up{job="checkout",instance="b",region="eu-west-1"}', values: '1x40' },
      ], alert_rule_test: [none(13, 'RegionDown'), none(25, 'RegionDown')] },
    ]],
  ];

  test('every golden-signal, resilience and platform alert has a scenario', () => {
    const covered = new Set(cases.flatMap(([, t]) => t.flatMap((x) => x.alert_rule_test.map((a) => a.alertname))));
    const all = rules.filter((r) => !r.alert.startsWith('Slo')).map((r) => r.alert);
    expect(all.filter((a) => !covered.has(a))).toEqual([]);
  });

  test('all scenarios pass in promtool (one run)', () => {
    const own = groups.filter((x) => !x.name.startsWith('slo-'));
    const files = [1, 5].map((m) => ({ evaluationMinutes: m, tests: cases.filter(([n]) => evaluationMinutes(n) === m).flatMap(([, t]) => t) }));
    expect(promtoolTest(own, files)).toContain('SUCCESS');
  });

  test.each(cases.map(([name]) => name))('%s: a shifted expectation fails', (name) => {
    // GIVEN the case's first firing check moved before the `for` elapsed, WHEN promtool runs, THEN it fails
    const tests = (cases.find(([n]) => n === name) as [string, PromtoolTest[]])[1];
    const t = tests[0];
    const firing = t.alert_rule_test.find((a) => a.exp_alerts.length > 0) as AlertTest;
    const wrong: PromtoolTest = { ...t, alert_rule_test: [{ ...firing, exp_alerts: [] }] };
    expect(() => promtoolTest(groups.filter((x) => !x.name.startsWith('slo-')), [{ evaluationMinutes: evaluationMinutes(name), tests: [wrong] }]))
      .toThrow(/promtool test rules failed/);
  });
});
