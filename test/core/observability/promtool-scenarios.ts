/**
 * Generates `promtool test rules` unit tests from TypeScript: input series in `series`/`values` notation, and the
 * alerts expected at chosen evaluation times. SLO burn-rate expectations come from a model of the windows
 * (every window's error ratio computed exactly from the scenario), so every row of the table is checked just
 * above and just below its threshold and after recovery.
 */
import { burnRateWindows, windowName } from '../../../constructs/core/observability/burn-rate';
import { round12 } from '../../../constructs/core/observability/private/promql';
import type { AlertingRule, RuleGroup } from '../../../constructs/core/observability/rule-file';
import { alertingRules } from '../../../constructs/core/observability/rule-file';
import type { Slo } from '../../../constructs/core/observability/slo';
import { HTTP_SERVER_DURATION_METRIC } from '../../../constructs/core/observability/slo';

export interface InputSeries { series: string; values: string }
export interface ExpAlert { exp_labels: Record<string, string>; exp_annotations: Record<string, string> }
export interface AlertTest { eval_time: string; alertname: string; exp_alerts: ExpAlert[] }
export interface PromtoolTest { name: string; interval: string; input_series: InputSeries[]; alert_rule_test: AlertTest[] }
/** A promtool test file: its tests share one rule evaluation interval (in minutes). */
export interface PromtoolTestFile { evaluationMinutes: number; tests: PromtoolTest[] }

/**
 * Rule evaluation step (minutes) per burn-rate row: samples stay at 1m, but the long rows evaluate less often
 * (the 3d row would otherwise run 4,700 evaluations over 3-day windows). Eval times are multiples of the step.
 */
const EVALUATION_MINUTES = [1, 5, 10, 30];

/** Per-minute sample values in promtool's compact `a+bxn` notation (runs of equal steps merged). */
export function promtoolValues(values: readonly number[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < values.length) {
    let j = i;
    const d = j + 1 < values.length ? round12(values[j + 1] - values[j]) : 0;
    while (j + 1 < values.length && round12(values[j + 1] - values[j]) === d) j++;
    const a = round12(values[i]);
    out.push(j === i ? `${a}` : `${a}${d < 0 ? '-' : '+'}${Math.abs(d)}x${j - i}`);
    i = j + 1;
  }
  return out.join(' ');
}

/** A counter that starts at 0 and grows by `increment(step)` at each step 1..steps. */
export function counter(steps: number, increment: (step: number) => number): number[] {
  const v = [0];
  for (let k = 1; k <= steps; k++) v.push(round12(v[k - 1] + increment(k)));
  return v;
}

/** Expected alert: labels of the rule plus `extra`, annotations with `{{ $labels.x }}` filled in. */
export function expected(rule: AlertingRule, extra: Record<string, string> = {}): ExpAlert {
  const labels = { ...rule.labels, ...extra };
  const fill = (s: string): string => s.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, l: string) => (labels as Record<string, string>)[l] ?? '');
  return {
    exp_labels: labels,
    exp_annotations: {
      summary: fill(rule.annotations.summary), description: fill(rule.annotations.description), runbook_url: rule.annotations.runbook_url,
    },
  };
}

const REQUESTS_PER_MINUTE = 600_000;

/**
 * The SLO's input series for a scenario where the SLI error ratio is `ratio` during minutes (errorStart, errorEnd]
 * and 0 otherwise, over `steps` minutes.
 */
function sloSeries(slo: Slo, steps: number, ratio: number, errorStart: number, errorEnd: number): InputSeries[] {
  const bad = (k: number): number => (k > errorStart && k <= errorEnd ? round12(ratio * REQUESTS_PER_MINUTE) : 0);
  const job = `job="${slo.service}"`;
  if (slo.kind === 'availability') {
    return [
      { series: `${HTTP_SERVER_DURATION_METRIC}_count{${job},http_response_status_code="200"}`, values: promtoolValues(counter(steps, (k) => REQUESTS_PER_MINUTE - bad(k))) },
      { series: `${HTTP_SERVER_DURATION_METRIC}_count{${job},http_response_status_code="500"}`, values: promtoolValues(counter(steps, bad)) },
    ];
  }
  return [
    { series: `${HTTP_SERVER_DURATION_METRIC}_bucket{${job},le="${slo.threshold}"}`, values: promtoolValues(counter(steps, (k) => REQUESTS_PER_MINUTE - bad(k))) },
    { series: `${HTTP_SERVER_DURATION_METRIC}_count{${job}}`, values: promtoolValues(counter(steps, () => REQUESTS_PER_MINUTE)) },
  ];
}

/**
 * The burn-rate alerts firing at minute `t` when the error ratio is `ratio` during (errorStart, errorEnd] and 0
 * otherwise: a window's ratio is `ratio × overlap / min(window, t)`. Throws when any window sits within 2% of
 * its threshold (the scenario would test floating-point noise, not the rule).
 */
function firingRows(slo: Slo, t: number, ratio: number, errorStart: number, errorEnd: number): number[] {
  const windowRatio = (seconds: number): number => {
    const w = seconds / 60;
    const from = Math.max(0, t - w);
    const overlap = Math.max(0, Math.min(t, errorEnd) - Math.max(from, errorStart));
    return ratio * overlap / Math.min(w, t);
  };
  return burnRateWindows(slo.periodDays, slo.errorBudget).flatMap((bw, i) => {
    const long = windowRatio(bw.longWindowSeconds);
    const short = windowRatio(bw.shortWindowSeconds);
    for (const r of [long, short]) {
      if (r > 0 && Math.abs(r / bw.threshold - 1) < 0.02) throw new Error(`scenario too close to the threshold of row ${i} at ${t}m`);
    }
    return long > bw.threshold && short > bw.threshold ? [i] : [];
  });
}

/**
 * For every row of the burn-rate table: a test just above its threshold (fires once the long window is full,
 * resolves once the short window has recovered) and one just below (stays silent).
 */
export function sloBurnRateTests(slo: Slo, groups: readonly RuleGroup[]): PromtoolTestFile[] {
  const rules = alertingRules(groups).filter((r) => r.labels.slo === slo.name);
  const rows = burnRateWindows(slo.periodDays, slo.errorBudget);
  if (rules.length !== rows.length) throw new Error(`expected ${rows.length} burn-rate alerts for ${slo.name}, got ${rules.length}`);
  return rows.flatMap((row, i) => {
    const long = row.longWindowSeconds / 60;
    const short = row.shortWindowSeconds / 60;
    const step = EVALUATION_MINUTES[i];
    const errorEnd = long + step;
    const recovered = errorEnd + short + step;
    const steps = recovered + 1;
    const at = (ratio: number, t: number): AlertTest => ({
      eval_time: `${t}m`, alertname: rules[0].alert,
      exp_alerts: firingRows(slo, t, ratio, 0, errorEnd).map((j) => expected(rules[j])),
    });
    const above = round12(row.threshold * 1.05);
    const below = round12(row.threshold * 0.95);
    const name = `${slo.name} ${windowName(row.longWindowSeconds)}/${windowName(row.shortWindowSeconds)} ${row.factor}x`;
    const aboveTest: PromtoolTest = {
      name: `${name}: fires just above, resolves after recovery`, interval: '1m',
      input_series: sloSeries(slo, steps, above, 0, errorEnd),
      alert_rule_test: [at(above, long), at(above, recovered)],
    };
    const belowTest: PromtoolTest = {
      name: `${name}: silent just below`, interval: '1m',
      input_series: sloSeries(slo, steps, below, 0, errorEnd),
      alert_rule_test: [at(below, long), at(below, errorEnd)],
    };
    // The scenario must exercise the row: firing above, silent below, silent after recovery.
    if (!aboveTest.alert_rule_test[0].exp_alerts.some((a) => a.exp_labels.long_window === rules[i].labels.long_window)
      || belowTest.alert_rule_test.some((a) => a.exp_alerts.some((e) => e.exp_labels.long_window === rules[i].labels.long_window))
      || aboveTest.alert_rule_test[1].exp_alerts.some((a) => a.exp_labels.long_window === rules[i].labels.long_window)) {
      throw new Error(`scenario for ${name} does not exercise its row`);
    }
    return [{ evaluationMinutes: step, tests: [aboveTest, belowTest] }];
  });
}
