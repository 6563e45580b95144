import { AlertmanagerConfig, Receiver } from '../../constructs/core/observability/alertmanager';
import { serviceDashboard } from '../../constructs/core/observability/dashboards';
import type { ContainerLimits } from '../../constructs/core/observability/golden-signals';
import type { KubernetesMonitoringProps } from '../../constructs/k8s';
import { serviceObjectives } from '../objectives';

/** Where the reference monitoring stack sends pages and tickets unless told otherwise. */
export const DEFAULT_ALERT_WEBHOOK_URL = 'http://alert-receiver.monitoring.svc:8080/alerts';

/** Key of the PagerDuty routing key in its Secret (`PAGERDUTY_ROUTING_KEY_SECRET`). */
export const PAGERDUTY_ROUTING_KEY = 'routing-key';

/** Who gets paged on Kubernetes besides the webhook: PagerDuty and a dead man's switch. */
export interface ReferencePaging {
  /**
   * Secret (in the monitoring namespace, key `routing-key`) holding a PagerDuty Events API v2 routing key: pages go to
   * PagerDuty (whose escalation policy takes the escalation stages), tickets stay on the webhook.
   */
  readonly pagerDutySecret?: string;
  /** URL of an external dead man's switch that the Watchdog heartbeat is POSTed to. */
  readonly heartbeatUrl?: string;
}

/** {@link ReferencePaging} from the environment: `PAGERDUTY_ROUTING_KEY_SECRET`, `HEARTBEAT_URL`. */
export function pagingFromEnv(env: NodeJS.ProcessEnv): ReferencePaging {
  return {
    ...(env.PAGERDUTY_ROUTING_KEY_SECRET ? { pagerDutySecret: env.PAGERDUTY_ROUTING_KEY_SECRET } : {}),
    ...(env.HEARTBEAT_URL ? { heartbeatUrl: env.HEARTBEAT_URL } : {}),
  };
}

/**
 * The monitoring stack of the reference platform on Kubernetes (cdk8s, Pulumi and EKS entries alike): the
 * service's objectives, Alertmanager routing to one webhook (pages to PagerDuty with `paging.pagerDutySecret`, the
 * Watchdog to a dead man's switch with `paging.heartbeatUrl`), the service dashboard measured against
 * `containerLimits`, the service chart's (`ServiceChart.containerLimits`, `PlatformService.containerLimits`).
 */
export function referenceMonitoringProps(service: string, runbookBaseUrl: string, containerLimits: ContainerLimits,
  webhook = DEFAULT_ALERT_WEBHOOK_URL, paging: ReferencePaging = {}): KubernetesMonitoringProps {
  const objectives = serviceObjectives(service);
  const pagerDuty = paging.pagerDutySecret;
  return {
    alertmanagerConfig: new AlertmanagerConfig({
      paging: pagerDuty
        ? Receiver.pagerDuty('page', { routingKeyFile: `/etc/alertmanager/secrets/${pagerDuty}/${PAGERDUTY_ROUTING_KEY}` })
        : Receiver.webhook('page', { url: webhook }),
      ticket: Receiver.webhook('ticket', { url: webhook }),
    }),
    ...(pagerDuty ? { alertmanagerSecrets: [pagerDuty] } : {}),
    ...(paging.heartbeatUrl ? { heartbeatUrl: paging.heartbeatUrl } : {}),
    slos: objectives.slos,
    dashboards: [serviceDashboard({
      service, slos: objectives.slos, cpuLimitCores: containerLimits.cpuCores, memoryLimitBytes: containerLimits.memoryBytes, runbookBaseUrl,
    })],
    runbookBaseUrl,
  };
}
