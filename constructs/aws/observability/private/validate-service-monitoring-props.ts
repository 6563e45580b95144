import { PlatformValidationError } from '../../../core/errors';
import { burnRateWindows, windowName } from '../../../core/observability/burn-rate';
import { GOLDEN_SIGNALS } from '../../../core/observability/golden-signals';
import type { Slo } from '../../../core/observability/slo';
import { requireIntegerInRange, requireNumberInRange } from '../../../core/validate';
import { mirrorSignal } from '../../private/runbook-alarm';
import type { DatabaseMonitoringOptions, ServiceMonitoringProps } from '../service-monitoring-props';

/** CloudWatch evaluates at most one day of sub-hour periods, and at most 7 days in all. */
export const DAY_SECONDS = 86_400;
const MAX_EVALUATION_SECONDS = 7 * DAY_SECONDS;
const SERVICE_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,62}$/;

/** A {@link ServiceMonitoringProps}, checked and with every default applied. */
export interface ServiceMonitoringSettings {
  readonly serviceName: string;
  readonly cpuPercent: number;
  /** One-minute periods of the CPU alarm: `GOLDEN_SIGNALS.cpu.for`. */
  readonly cpuMinutes: number;
  readonly memoryPercent: number;
  /** One-minute periods of the memory alarm: `GOLDEN_SIGNALS.memory.for`. */
  readonly memoryMinutes: number;
  readonly belowDesiredMinutes: number;
  readonly slos: readonly Slo[];
}

/**
 * Checks `props` of the `ServiceMonitoring` at `where` (its construct path) and returns them with defaults applied;
 * bad input throws a {@link PlatformValidationError} naming the prop, the value and the fix.
 */
export function validateServiceMonitoringProps(where: string, props: ServiceMonitoringProps): ServiceMonitoringSettings {
  const serviceName = props.serviceName ?? props.service.node.id;
  const cpuSignal = mirrorSignal(GOLDEN_SIGNALS.cpu);
  const memorySignal = mirrorSignal(GOLDEN_SIGNALS.memory);
  const cpuPercent = props.cpuUtilizationPercent ?? cpuSignal.percent;
  const memoryPercent = props.memoryUtilizationPercent ?? memorySignal.percent;
  const belowDesiredMinutes = props.runningBelowDesiredMinutes ?? 10;
  const slos = props.slos ?? [];

  if (!SERVICE_NAME.test(serviceName)) {
    throw new PlatformValidationError(where, 'serviceName', serviceName, 'is not a valid service name',
      "use a letter, then up to 62 letters, digits, '_', '.' or '-' (e.g. the Prometheus job name 'checkout')");
  }
  requireNumberInRange(where, 'cpuUtilizationPercent', cpuPercent, 1, 100);
  requireNumberInRange(where, 'memoryUtilizationPercent', memoryPercent, 1, 100);
  requireIntegerInRange(where, 'runningBelowDesiredMinutes', belowDesiredMinutes, 1, 60);
  const sloNames = slos.map((s) => s.name);
  const duplicate = sloNames.find((n, i) => sloNames.indexOf(n) !== i);
  if (duplicate !== undefined) {
    throw new PlatformValidationError(where, 'slos', duplicate, 'is listed twice',
      'pass each SLO once (one set of burn-rate alarms per objective)');
  }
  for (const slo of slos) {
    for (const w of burnRateWindows(slo.periodDays, slo.errorBudget)) {
      for (const seconds of [w.longWindowSeconds, w.shortWindowSeconds]) requireCloudWatchWindow(where, slo, seconds);
    }
  }
  return {
    serviceName, cpuPercent, cpuMinutes: cpuSignal.minutes, memoryPercent, memoryMinutes: memorySignal.minutes, belowDesiredMinutes, slos,
  };
}

/** {@link DatabaseMonitoringOptions}, checked and with every default applied. */
export interface DatabaseMonitoringSettings {
  readonly cpuPercent: number;
  readonly maxConnections: number;
  readonly freeableMiB: number;
}

/** Checks the options of `ServiceMonitoring.monitorDatabase` and returns them with defaults applied. */
export function validateDatabaseMonitoringOptions(where: string, options: DatabaseMonitoringOptions): DatabaseMonitoringSettings {
  const cpuPercent = options.cpuUtilizationPercent ?? 80;
  const maxConnections = options.maxConnections ?? 1000;
  const freeableMiB = options.freeableMemoryMiB ?? 512;
  requireNumberInRange(where, 'cpuUtilizationPercent', cpuPercent, 1, 100);
  requireIntegerInRange(where, 'maxConnections', maxConnections, 1, 262_143);
  requireIntegerInRange(where, 'freeableMemoryMiB', freeableMiB, 1, 1_048_576);
  return { cpuPercent, maxConnections, freeableMiB };
}

/**
 * Throws unless CloudWatch can evaluate a window of `seconds`: one period of up to a day, or whole days of up to a
 * week (each day's ratio must breach).
 */
function requireCloudWatchWindow(where: string, slo: Slo, seconds: number): void {
  if (seconds % 60 !== 0 || seconds > MAX_EVALUATION_SECONDS || (seconds > DAY_SECONDS && seconds % DAY_SECONDS !== 0)) {
    throw new PlatformValidationError(where, 'slos', slo.name, `needs a ${windowName(seconds)} burn-rate window CloudWatch cannot evaluate`,
      'use windows of whole minutes up to 1 day, or whole days up to 7 days (or alert on this SLO in Prometheus)');
  }
}
