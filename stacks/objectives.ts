// Imported from the core modules (not the barrel) so tools and tests that only need the rules skip aws-cdk-lib.
import { goldenSignalRuleGroup, platformRuleGroup } from '../constructs/core/observability/golden-signals';
import type { ContainerLimits } from '../constructs/core/observability/golden-signals';
import { resilienceRuleGroup } from '../constructs/core/observability/resilience';
import type { RuleGroup } from '../constructs/core/observability/rule-file';
import { sloRuleGroups } from '../constructs/core/observability/rules';
import { Slo } from '../constructs/core/observability/slo';

/**
 * The objectives of the reference service, declared once and rendered by every engine (AMP rule groups,
 * Kubernetes PrometheusRules, CloudWatch burn-rate alarms).
 */

/** The reference service: its Prometheus `job` (= OTel `service.name`). */
export const REFERENCE_SERVICE = 'checkout';

/** The objectives of a service of the reference platform (its name is the config's `service`). */
export interface ServiceObjectives {
  /** 99.9% of requests answered without a 5xx, over 30 days. */
  readonly availability: Slo;
  /**
   * 99% of requests served within 250 ms, over 30 days (250 ms: the bucket bound of the OTel histogram nearest
   * the seeds' "99% < 200 ms", which is not a bound).
   */
  readonly latency: Slo;
  /** Both, availability first. */
  readonly slos: readonly Slo[];
}

/** The reference objectives for `service`. */
export function serviceObjectives(service: string): ServiceObjectives {
  const availability = Slo.availability({ service, target: 0.999, periodDays: 30 });
  const latency = Slo.latency({ service, threshold: 0.25, target: 0.99, periodDays: 30 });
  return { availability, latency, slos: [availability, latency] };
}

const CHECKOUT = serviceObjectives(REFERENCE_SERVICE);
/** The reference service's availability SLO. */
export const CHECKOUT_AVAILABILITY = CHECKOUT.availability;
/** The reference service's latency SLO. */
export const CHECKOUT_LATENCY = CHECKOUT.latency;
/** Every SLO of the reference service. */
export const CHECKOUT_SLOS: readonly Slo[] = CHECKOUT.slos;

/** Options of {@link referenceRuleGroups}. */
export interface ReferenceRulesOptions {
  /**
   * Limits of the service's container as built, what the saturation alerts divide by: `ResilientService.containerLimits`
   * (after sidecars) or `ServiceChart.containerLimits`. Never a restated constant.
   */
  readonly containerLimits: ContainerLimits;
  /** @default DEFAULT_RUNBOOK_BASE_URL */
  readonly runbookBaseUrl?: string;
  /** @default 1 - real time (see SloRulesOptions.compressTime) */
  readonly compressTime?: number;
  /** @default REFERENCE_SERVICE */
  readonly service?: string;
}

/**
 * Every Prometheus rule group of the reference platform as one rule file: checkout's SLOs, golden signals and resilience
 * alerts, and the
 * platform alerts (what `ManagedPrometheus.addServiceAlerts` + `addPlatformAlerts` and the Kubernetes charts render).
 */
export function referenceRuleGroups(options: ReferenceRulesOptions): RuleGroup[] {
  const objectives = options.service === undefined ? CHECKOUT : serviceObjectives(options.service);
  return [
    ...objectives.slos.flatMap((slo) => sloRuleGroups(slo, options)),
    goldenSignalRuleGroup({
      service: options.service ?? REFERENCE_SERVICE,
      latencyThreshold: objectives.latency.threshold as number,
      cpuLimitCores: options.containerLimits.cpuCores,
      memoryLimitBytes: options.containerLimits.memoryBytes,
      runbookBaseUrl: options.runbookBaseUrl,
    }),
    resilienceRuleGroup({ service: options.service ?? REFERENCE_SERVICE, runbookBaseUrl: options.runbookBaseUrl }),
    platformRuleGroup({ runbookBaseUrl: options.runbookBaseUrl }),
  ];
}
