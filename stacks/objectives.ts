// Imported from the core modules (not the barrel) so tools and tests that only need the rules skip aws-cdk-lib.
import { goldenSignalRuleGroup, platformRuleGroup } from '../constructs/core/observability/golden-signals';
import type { RuleGroup } from '../constructs/core/observability/rule-file';
import { sloRuleGroups } from '../constructs/core/observability/rules';
import { Slo } from '../constructs/core/observability/slo';

/**
 * The objectives of the reference service, declared once and rendered by every engine (AMP rule groups,
 * Kubernetes PrometheusRules, CloudWatch burn-rate alarms).
 */

/** The reference service: its Prometheus `job` (= OTel `service.name`). */
export const REFERENCE_SERVICE = 'checkout';

/** 99.9% of checkout requests answered without a 5xx, over 30 days. */
export const CHECKOUT_AVAILABILITY = Slo.availability({ service: REFERENCE_SERVICE, target: 0.999, periodDays: 30 });

/**
 * 99% of checkout requests served within 250 ms, over 30 days (250 ms: the bucket bound of the OTel histogram
 * nearest the seeds' "99% < 200 ms", which is not a bound).
 */
export const CHECKOUT_LATENCY = Slo.latency({ service: REFERENCE_SERVICE, threshold: 0.25, target: 0.99, periodDays: 30 });

/** Every SLO of the reference service. */
export const CHECKOUT_SLOS: readonly Slo[] = [CHECKOUT_AVAILABILITY, CHECKOUT_LATENCY];

/** CPU and memory limits of one checkout task (the `ResilientService` defaults: 1024 CPU units, 2048 MiB). */
export const CHECKOUT_LIMITS = { cpuCores: 1, memoryBytes: 2048 * 1024 ** 2 } as const;

/** Options of {@link referenceRuleGroups}. */
export interface ReferenceRulesOptions {
  /** @default DEFAULT_RUNBOOK_BASE_URL */
  readonly runbookBaseUrl?: string;
  /** @default 1 - real time (see SloRulesOptions.compressTime) */
  readonly compressTime?: number;
}

/** Every Prometheus rule group of the reference platform: checkout's SLOs and golden signals, and the platform alerts. */
export function referenceRuleGroups(options: ReferenceRulesOptions = {}): RuleGroup[] {
  return [
    ...CHECKOUT_SLOS.flatMap((slo) => sloRuleGroups(slo, options)),
    goldenSignalRuleGroup({
      service: REFERENCE_SERVICE,
      latencyThreshold: CHECKOUT_LATENCY.threshold as number,
      cpuLimitCores: CHECKOUT_LIMITS.cpuCores,
      memoryLimitBytes: CHECKOUT_LIMITS.memoryBytes,
      runbookBaseUrl: options.runbookBaseUrl,
    }),
    platformRuleGroup({ runbookBaseUrl: options.runbookBaseUrl }),
  ];
}
