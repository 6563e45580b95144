import { goldenSignalRuleGroup } from '../../observability/golden-signals';
import { resilienceRuleGroup } from '../../observability/resilience';
import { ruleFileDocument } from '../../observability/rule-file';
import type { RuleGroup } from '../../observability/rule-file';
import { sloRuleGroups } from '../../observability/rules';
import type { PrometheusRuleSpec, ServiceMonitorSpec } from '../prometheus-operator';
import type { KubeObject } from '../objects';
import { containerLimits, HTTP_PORT_NAME, selectorLabels, serviceLabels } from './service-workload';
import type { ResolvedServiceProps } from './service-props';

/** Label by which a Prometheus (its ruleSelector and serviceMonitorSelector) picks the objects it loads. */
export const PROMETHEUS_SELECTOR_LABEL = 'prometheus';

/** The service's rule groups: every SLO's burn-rate and budget groups, the golden signals, the resilience alerts (as the AWS path). */
export function serviceRuleGroups(p: ResolvedServiceProps): RuleGroup[] {
  const limits = containerLimits(p);
  return [
    ...p.slos.flatMap((slo) => sloRuleGroups(slo, { runbookBaseUrl: p.runbookBaseUrl })),
    goldenSignalRuleGroup({
      service: p.service,
      latencyThreshold: p.latencyThreshold,
      cpuLimitCores: limits.cpuCores,
      memoryLimitBytes: limits.memoryBytes,
      runbookBaseUrl: p.runbookBaseUrl,
    }),
    resilienceRuleGroup({ service: p.service, runbookBaseUrl: p.runbookBaseUrl }),
  ];
}

/** A PrometheusRule from core rule groups: the rule-file document, field for field (`keep_firing_for` included). */
export function prometheusRule(metadata: KubeObject['metadata'], groups: readonly RuleGroup[]): KubeObject & { spec: PrometheusRuleSpec } {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata,
    spec: ruleFileDocument(groups) as unknown as PrometheusRuleSpec,
  };
}

/** How often Prometheus scrapes the service: 15 seconds, as the AWS path's collector does (`addOtelCollector` default). */
export const SCRAPE_INTERVAL = '15s';

/** The ServiceMonitor: `/metrics` on the `http` port every 15s; the job is the Service's name, i.e. the service. */
export function serviceMonitor(p: ResolvedServiceProps): KubeObject & { spec: ServiceMonitorSpec } {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: { name: p.service, namespace: p.namespace, labels: { ...serviceLabels(p), [PROMETHEUS_SELECTOR_LABEL]: p.prometheusName } },
    spec: {
      selector: { matchLabels: selectorLabels(p) },
      namespaceSelector: { matchNames: [p.namespace] },
      endpoints: [{ port: HTTP_PORT_NAME, path: '/metrics', scheme: 'http', interval: SCRAPE_INTERVAL, scrapeTimeout: '10s' }],
    },
  };
}

/** The service's PrometheusRule: its SLO, golden-signal and resilience rules. */
export function servicePrometheusRule(p: ResolvedServiceProps): KubeObject & { spec: PrometheusRuleSpec } {
  return prometheusRule(
    { name: p.service, namespace: p.namespace, labels: { ...serviceLabels(p), [PROMETHEUS_SELECTOR_LABEL]: p.prometheusName, role: 'alert-rules' } },
    serviceRuleGroups(p),
  );
}
