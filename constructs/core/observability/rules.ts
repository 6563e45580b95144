import { PlatformValidationError } from '../errors';
import { DEFAULT_RUNBOOK_BASE_URL, runbookUrl } from '../runbooks';
import { burnRateWindows, RECORDED_WINDOWS_SECONDS } from './burn-rate';
import { promDuration, promNumber } from './private/promql';
import type { AlertingRule, RecordingRule, RuleGroup } from './rule-file';
import type { Slo, SliKind } from './slo';

/**
 * Prometheus rules for an {@link Slo}, following Sloth's and Pyrra's habits:
 * - `slo:sli_error:ratio_rate<window>` for every window the burn-rate alerts use (5m ... 3d);
 * - `slo:sli_errors:rate5m` / `slo:sli_requests:rate5m`, from which the period's traffic-weighted error ratio
 *   `slo:sli_error:ratio_rate<period>` is summed;
 * - dashboard series `slo:objective:ratio`, `slo:error_budget:ratio`, `slo:time_period:days`,
 *   `slo:current_burn_rate:ratio`, `slo:period_burn_rate:ratio`, `slo:period_error_budget_remaining:ratio`;
 * - four multiwindow burn-rate alerts (see burn-rate.ts), two paging and two ticketing, all with the same
 *   alert name per SLI kind so Alertmanager's "critical mutes warning" inhibition applies.
 * Every series carries the labels `service` and `slo`.
 */

/** Alert name of the burn-rate alerts, per SLI kind; the runbook is `runbooks/alerts/slo/<name>.md`. */
export const SLO_ALERT_NAMES: Readonly<Record<SliKind, string>> = {
  availability: 'SloAvailabilityBudgetBurn',
  latency: 'SloLatencyBudgetBurn',
};

/** Options of {@link sloRuleGroups}. */
export interface SloRulesOptions {
  /**
   * Base URL of the runbook links (`<base>/runbooks/alerts/slo/<AlertName>.md`).
   * @default DEFAULT_RUNBOOK_BASE_URL - the repository
   */
  readonly runbookBaseUrl?: string;
  /**
   * Divide the period and every window by this whole number, for tests and drills that cannot wait hours:
   * 60 turns the 1h/5m page into 1m/5s and the 30-day period into 12h. Burn-rate factors are unchanged.
   * @default 1 - real time
   */
  readonly compressTime?: number;
}

/** The rule groups of one SLO: `slo-<name>` (SLI ratios and burn-rate alerts) and `slo-<name>-budget` (period and budget). */
export function sloRuleGroups(slo: Slo, options: SloRulesOptions = {}): RuleGroup[] {
  const compress = options.compressTime ?? 1;
  const baseUrl = options.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL;
  validateCompressTime(compress);
  const w = (seconds: number): string => promDuration(seconds * 1000 / compress);
  const labels = { service: slo.service, slo: slo.name };
  const sel = `{service="${slo.service}",slo="${slo.name}"}`;
  const budget = promNumber(slo.errorBudget);
  const shortest = w(RECORDED_WINDOWS_SECONDS[0]);
  const period = w(slo.periodSeconds);

  const ratios: RecordingRule[] = RECORDED_WINDOWS_SECONDS.map((s) => ({
    record: `slo:sli_error:ratio_rate${w(s)}`, expr: slo.errorRatio(w(s)), labels,
  }));
  const alertName = SLO_ALERT_NAMES[slo.kind];
  const what = slo.kind === 'availability'
    ? 'share of requests answered with a 5xx'
    : `share of requests slower than ${slo.threshold}s`;
  const alerts: AlertingRule[] = burnRateWindows(slo.periodDays, slo.errorBudget).map((bw) => {
    const long = w(bw.longWindowSeconds);
    const short = w(bw.shortWindowSeconds);
    const threshold = `(${promNumber(bw.factor)} * ${budget})`;
    const exhaust = promDuration(Math.round(slo.periodSeconds * 1000 / bw.factor / compress));
    const action = bw.severity === 'critical' ? 'page' : 'ticket';
    return {
      alert: alertName,
      expr: `slo:sli_error:ratio_rate${long}${sel} > ${threshold} and slo:sli_error:ratio_rate${short}${sel} > ${threshold}`,
      labels: { severity: bw.severity, service: slo.service, slo: slo.name, long_window: long, short_window: short },
      annotations: {
        summary: `${slo.name} SLO: error budget burning ${promNumber(bw.factor)}x too fast (${action}, ${long}/${short} windows)`,
        description: `The ${slo.kind} SLI of ${slo.service} (${what}) is above ${promNumber(bw.factor)} × its error budget `
          + `of ${promNumber(slo.errorBudget * 100)}% over both the last ${long} and ${short}. At this rate ${promNumber(bw.budgetShare * 100)}% `
          + `of the ${w(slo.periodSeconds)} budget is spent in ${long}, and all of it in ${exhaust}. `
          + `Query: slo:sli_error:ratio_rate${long}${sel}`,
        runbook_url: runbookUrl(baseUrl, `alerts/slo/${alertName}`),
      },
    };
  });

  const budgetRules: RecordingRule[] = [
    { record: 'slo:sli_errors:rate5m', expr: slo.errorsRate(shortest), labels },
    { record: 'slo:sli_requests:rate5m', expr: slo.totalRate(shortest), labels },
    {
      record: `slo:sli_error:ratio_rate${period}`,
      expr: `sum_over_time(slo:sli_errors:rate5m${sel}[${period}]) / sum_over_time(slo:sli_requests:rate5m${sel}[${period}])`,
      labels,
    },
    { record: 'slo:objective:ratio', expr: `vector(${promNumber(slo.target)})`, labels },
    { record: 'slo:error_budget:ratio', expr: `vector(${budget})`, labels },
    { record: 'slo:time_period:days', expr: `vector(${slo.periodDays})`, labels },
    { record: 'slo:current_burn_rate:ratio', expr: `slo:sli_error:ratio_rate${shortest}${sel} / ${budget}`, labels },
    { record: 'slo:period_burn_rate:ratio', expr: `slo:sli_error:ratio_rate${period}${sel} / ${budget}`, labels },
    { record: 'slo:period_error_budget_remaining:ratio', expr: `1 - slo:period_burn_rate:ratio${sel}`, labels },
  ];
  return [
    { name: `slo-${slo.name}`, rules: [...ratios, ...alerts] },
    { name: `slo-${slo.name}-budget`, rules: budgetRules },
  ];
}

function validateCompressTime(compress: number): void {
  const ms = RECORDED_WINDOWS_SECONDS[0] * 1000;
  if (!Number.isInteger(compress) || compress < 1 || !Number.isInteger(ms / compress) || ms / compress < 1000) {
    throw new PlatformValidationError('sloRuleGroups', 'compressTime', compress,
      `must be a whole number that divides the ${promDuration(ms)} window into whole milliseconds of at least 1s`,
      'use 1 (real time) or a divisor of 300 such as 60');
  }
}
