import { PlatformValidationError } from '../errors';
import { promDuration, round12 } from './private/promql';

/**
 * Multiwindow, multi-burn-rate alerting (Google SRE Workbook, "Alerting on SLOs", table 5-8).
 *
 * A burn rate of 1 spends exactly the whole error budget over the SLO period. An alert that fires when
 * `budgetShare` of the budget is spent within `longWindow` needs the burn rate
 * `budgetShare × period / longWindow`: 2% of a 30-day budget in 1 hour is 0.02 × 720 h / 1 h = 14.4.
 * The factors are derived from the SLO's period, never hard-coded for 30 days (a 28-day period pages at 13.44).
 * Each alert also requires the burn rate over a short window (1/12 of the long one) so it resets soon after
 * the burning stops.
 */

/** Severity of a burn-rate alert: `critical` pages, `warning` opens a ticket. */
export type BurnRateSeverity = 'critical' | 'warning';

/** One row of the table: how much budget spent within which window triggers what. */
export interface BurnRateWindow {
  readonly severity: BurnRateSeverity;
  /** Share of the period's error budget spent within `longWindowSeconds`, e.g. 0.02. */
  readonly budgetShare: number;
  readonly longWindowSeconds: number;
  readonly shortWindowSeconds: number;
}

/** A window with its burn-rate factor and the error-ratio threshold for one SLO. */
export interface BurnRateAlertWindow extends BurnRateWindow {
  /** Burn rate that triggers the alert: `budgetShare × period / longWindow`. */
  readonly factor: number;
  /** Error ratio that triggers the alert: `factor × errorBudget`. */
  readonly threshold: number;
}

const MINUTE = 60;
const HOUR = 3_600;
const DAY = 86_400;

/**
 * SRE Workbook table 5-8: page on 2% of the budget in 1h (and 5m) or 5% in 6h (and 30m); ticket on 10% in
 * 1d (and 2h) or 10% in 3d (and 6h).
 */
export const SRE_WORKBOOK_WINDOWS: readonly BurnRateWindow[] = [
  { severity: 'critical', budgetShare: 0.02, longWindowSeconds: HOUR, shortWindowSeconds: 5 * MINUTE },
  { severity: 'critical', budgetShare: 0.05, longWindowSeconds: 6 * HOUR, shortWindowSeconds: 30 * MINUTE },
  { severity: 'warning', budgetShare: 0.10, longWindowSeconds: DAY, shortWindowSeconds: 2 * HOUR },
  { severity: 'warning', budgetShare: 0.10, longWindowSeconds: 3 * DAY, shortWindowSeconds: 6 * HOUR },
];

/** Every window the rules record, shortest first: the long and short windows of {@link SRE_WORKBOOK_WINDOWS}. */
export const RECORDED_WINDOWS_SECONDS: readonly number[] = [...new Set(
  SRE_WORKBOOK_WINDOWS.flatMap((w) => [w.longWindowSeconds, w.shortWindowSeconds]),
)].sort((a, b) => a - b);

/** The burn rate at which `budgetShare` of a `periodSeconds` budget is spent within `longWindowSeconds`. */
export function burnRateFactor(periodSeconds: number, budgetShare: number, longWindowSeconds: number): number {
  return round12(budgetShare * periodSeconds / longWindowSeconds);
}

/** The table's windows with factors and thresholds for an SLO of `periodDays` and `errorBudget` (1 - target). */
export function burnRateWindows(periodDays: number, errorBudget: number): BurnRateAlertWindow[] {
  return SRE_WORKBOOK_WINDOWS.map((w) => {
    const factor = burnRateFactor(periodDays * DAY, w.budgetShare, w.longWindowSeconds);
    return { ...w, factor, threshold: round12(factor * errorBudget) };
  });
}

/** Human window name (`1h`, `3d`, `30m`) of a whole number of seconds. */
export function windowName(seconds: number): string {
  return promDuration(seconds * 1000);
}

/**
 * Throws unless every burn-rate alert of an SLO can fire: the period covers the longest window, and each
 * threshold (`factor × errorBudget`) is an error ratio below 1.
 */
export function validateBurnRates(where: string, target: number, periodDays: number): void {
  const longest = Math.max(...SRE_WORKBOOK_WINDOWS.map((w) => w.longWindowSeconds));
  if (periodDays * DAY < longest) {
    throw new PlatformValidationError(where, 'periodDays', periodDays, `is shorter than the longest burn-rate window (${windowName(longest)})`,
      `set periodDays to at least ${longest / DAY}`);
  }
  for (const w of burnRateWindows(periodDays, round12(1 - target))) {
    if (w.threshold >= 1) {
      const minTarget = round12(1 - 1 / w.factor);
      throw new PlatformValidationError(where, 'target', target,
        `makes the ${windowName(w.longWindowSeconds)} burn-rate alert unreachable (${w.factor} × error budget ${round12(1 - target)} = ${w.threshold}, an error ratio of 1 or more)`,
        `set target above ${minTarget} or shorten periodDays`);
    }
  }
}
