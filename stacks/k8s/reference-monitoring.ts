import { AlertmanagerConfig, Receiver } from '../../constructs/core/observability/alertmanager';
import { serviceDashboard } from '../../constructs/core/observability/dashboards';
import type { ContainerLimits } from '../../constructs/core/observability/golden-signals';
import type { KubernetesMonitoringProps } from '../../constructs/k8s';
import { serviceObjectives } from '../objectives';

/** Where the reference monitoring stack sends pages and tickets unless told otherwise. */
export const DEFAULT_ALERT_WEBHOOK_URL = 'http://alert-receiver.monitoring.svc:8080/alerts';

/**
 * The monitoring stack of the reference platform on Kubernetes (cdk8s, Pulumi and EKS entries alike): the
 * service's objectives, Alertmanager routing to one webhook, the service dashboard measured against
 * `containerLimits`, the service chart's (`ServiceChart.containerLimits`, `PlatformService.containerLimits`).
 */
export function referenceMonitoringProps(service: string, runbookBaseUrl: string, containerLimits: ContainerLimits,
  webhook = DEFAULT_ALERT_WEBHOOK_URL): KubernetesMonitoringProps {
  const objectives = serviceObjectives(service);
  return {
    alertmanagerConfig: new AlertmanagerConfig({
      paging: Receiver.webhook('page', { url: webhook }),
      ticket: Receiver.webhook('ticket', { url: webhook }),
    }),
    slos: objectives.slos,
    dashboards: [serviceDashboard({
      service, slos: objectives.slos, cpuLimitCores: containerLimits.cpuCores, memoryLimitBytes: containerLimits.memoryBytes, runbookBaseUrl,
    })],
    runbookBaseUrl,
  };
}
