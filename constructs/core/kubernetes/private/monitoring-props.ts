import { PlatformValidationError } from '../../errors';
import { AlertmanagerTarget, Receiver } from '../../observability/alertmanager';
import type { AlertmanagerConfig } from '../../observability/alertmanager';
import { platformOverviewDashboard } from '../../observability/dashboards';
import type { GrafanaDashboard } from '../../observability/dashboards';
import { DEFAULT_RUNBOOK_BASE_URL } from '../../runbooks';
import { requireIntegerInRange } from '../../validate';
import type { KubernetesMonitoringProps, PrometheusRemoteWrite } from '../monitoring-props';
import { requireDnsLabel, requireQuantity } from '../objects';

/** How long Prometheus keeps samples unless told: 30 days, a full SLO period of raw samples. */
export const DEFAULT_RETENTION = '30d';

/** {@link KubernetesMonitoringProps} with every default applied. */
export interface ResolvedMonitoringProps {
  readonly alertmanagerConfig: AlertmanagerConfig;
  /** The platform overview, then the extra dashboards. */
  readonly dashboards: readonly GrafanaDashboard[];
  readonly name: string;
  readonly namespace: string;
  readonly prometheusReplicas: number;
  readonly retention: string;
  readonly storageSize: string;
  readonly storageClassName?: string;
  readonly alertmanagerReplicas: number;
  readonly alertmanagerSecrets: readonly string[];
  readonly grafanaImage: string;
  readonly grafanaAdminSecret: string;
  readonly runbookBaseUrl: string;
  readonly remoteWrite: readonly PrometheusRemoteWrite[];
  readonly clusterName?: string;
}

/** Validates `props` and applies the defaults. */
export function resolveMonitoringProps(where: string, props: KubernetesMonitoringProps): ResolvedMonitoringProps {
  if (props.alertmanagerConfig.target !== AlertmanagerTarget.SELF_HOSTED) {
    throw new PlatformValidationError(where, 'alertmanagerConfig', props.alertmanagerConfig.target.id, 'targets another Alertmanager than the one deployed here',
      'build it with target: AlertmanagerTarget.SELF_HOSTED');
  }
  let alertmanagerConfig = props.alertmanagerConfig;
  if (props.heartbeatUrl !== undefined) {
    if (alertmanagerConfig.heartbeat) {
      throw new PlatformValidationError(where, 'heartbeatUrl', props.heartbeatUrl, `is given while alertmanagerConfig already has the heartbeat receiver '${alertmanagerConfig.heartbeat.name}'`,
        'set the dead man\'s switch once: heartbeatUrl, or AlertmanagerConfigProps.heartbeat');
    }
    if (!/^https:\/\/[^\s]+$/.test(props.heartbeatUrl)) {
      throw new PlatformValidationError(where, 'heartbeatUrl', props.heartbeatUrl, 'is not an https URL',
        'use the ping URL of the dead man\'s switch, e.g. https://hc-ping.com/<uuid>');
    }
    alertmanagerConfig = alertmanagerConfig.withHeartbeat(Receiver.webhook('heartbeat', { url: props.heartbeatUrl }));
  }
  const runbookBaseUrl = props.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL;
  const overview = platformOverviewDashboard({ slos: props.slos, runbookBaseUrl });
  const dashboards = [overview, ...(props.dashboards ?? [])];
  const uids = dashboards.map((d) => d.uid);
  const dup = uids.find((u, i) => uids.indexOf(u) !== i);
  if (dup !== undefined) {
    throw new PlatformValidationError(where, 'dashboards', dup, 'is provisioned twice (the platform overview is always included)',
      'give every dashboard its own uid and do not pass platformOverviewDashboard(...) in dashboards');
  }
  const r: ResolvedMonitoringProps = {
    alertmanagerConfig,
    dashboards,
    name: props.name ?? 'platform',
    namespace: props.namespace ?? 'monitoring',
    prometheusReplicas: props.prometheusReplicas ?? 2,
    retention: props.retention ?? DEFAULT_RETENTION,
    storageSize: props.storageSize ?? '50Gi',
    storageClassName: props.storageClassName,
    alertmanagerReplicas: props.alertmanagerReplicas ?? 3,
    alertmanagerSecrets: props.alertmanagerSecrets ?? [],
    grafanaImage: props.grafanaImage ?? 'docker.io/grafana/grafana:12.0.2',
    grafanaAdminSecret: props.grafanaAdminSecret ?? 'grafana-admin',
    runbookBaseUrl,
    remoteWrite: props.remoteWrite ?? [],
    clusterName: props.clusterName,
  };
  requireDnsLabel(where, 'name', r.name, 40);
  requireDnsLabel(where, 'namespace', r.namespace);
  requireDnsLabel(where, 'grafanaAdminSecret', r.grafanaAdminSecret);
  r.alertmanagerSecrets.forEach((s) => requireDnsLabel(where, 'alertmanagerSecrets', s));
  if (r.storageClassName !== undefined) requireDnsLabel(where, 'storageClassName', r.storageClassName);
  if (r.prometheusReplicas < 2) {
    throw new PlatformValidationError(where, 'prometheusReplicas', r.prometheusReplicas, 'is below 2: one Prometheus is a single point of failure for alerting',
      'set prometheusReplicas to 2 or more');
  }
  requireIntegerInRange(where, 'prometheusReplicas', r.prometheusReplicas, 2, 10);
  if (r.alertmanagerReplicas < 3) {
    throw new PlatformValidationError(where, 'alertmanagerReplicas', r.alertmanagerReplicas, 'is below 3: the cluster cannot lose a zone and still deduplicate',
      'set alertmanagerReplicas to 3 or more');
  }
  requireIntegerInRange(where, 'alertmanagerReplicas', r.alertmanagerReplicas, 3, 9);
  if (!/^[1-9][0-9]*(ms|s|m|h|d|w|y)$/.test(r.retention)) {
    throw new PlatformValidationError(where, 'retention', r.retention, 'is not a Prometheus duration', 'use a duration such as \'15d\'');
  }
  requireQuantity(where, 'storageSize', r.storageSize);
  if (r.clusterName !== undefined && (r.clusterName === '' || /\s/.test(r.clusterName))) {
    throw new PlatformValidationError(where, 'clusterName', r.clusterName, 'is not a label value without whitespace', 'use the cluster\'s name, e.g. \'checkout-eks\'');
  }
  r.remoteWrite.forEach((w, i) => {
    if (w.url === '' || /\s/.test(w.url)) {
      throw new PlatformValidationError(where, `remoteWrite[${i}].url`, w.url, 'is not a URL', 'use the remote-write endpoint, e.g. an AMP workspace\'s <prometheusEndpoint>api/v1/remote_write');
    }
    if (w.sigv4 !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(w.sigv4.region) && !w.sigv4.region.includes('${Token[')) {
      throw new PlatformValidationError(where, `remoteWrite[${i}].sigv4.region`, w.sigv4.region, 'is not an AWS region', 'use the region of the workspace, e.g. \'eu-west-1\'');
    }
  });
  if (/\s/.test(r.grafanaImage) || r.grafanaImage === '') {
    throw new PlatformValidationError(where, 'grafanaImage', r.grafanaImage, 'is not a container image reference', 'use an image such as \'docker.io/grafana/grafana:12.0.2\'');
  }
  return r;
}
