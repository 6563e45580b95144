import type { AlertmanagerConfig } from '../observability/alertmanager';
import type { GrafanaDashboard } from '../observability/dashboards';
import type { Slo } from '../observability/slo';

/**
 * Props of the monitoring stack on Kubernetes, shared by the cdk8s `MonitoringStackChart` and the Pulumi
 * `MonitoringStack`. Needs the prometheus-operator (its CRDs and controller) in the cluster, as kube-prometheus does.
 */
export interface KubernetesMonitoringProps {
  /** Alertmanager routing, inhibition and receivers; its `target` must be `AlertmanagerTarget.SELF_HOSTED`. */
  readonly alertmanagerConfig: AlertmanagerConfig;
  /**
   * URL of an external dead man's switch (healthchecks.io, Dead Man's Snitch, an Opsgenie or Better Stack heartbeat):
   * Alertmanager POSTs the always-firing `Watchdog` there every 5 minutes (webhook receiver `heartbeat`), and the switch
   * pages when the posts stop. Runs outside the cluster, so it notices a cluster that stopped alerting.
   * @default - the `heartbeat` receiver of `alertmanagerConfig`, if any; otherwise the Watchdog goes nowhere
   */
  readonly heartbeatUrl?: string;
  /** Every SLO of the platform: the platform overview dashboard shows them. */
  readonly slos: readonly Slo[];
  /**
   * More dashboards to provision (e.g. `serviceDashboard(...)` of each service).
   * @default - the platform overview only
   */
  readonly dashboards?: readonly GrafanaDashboard[];
  /**
   * Name of the Prometheus and Alertmanager; services select this Prometheus with the label `prometheus=<name>`.
   * @default 'platform'
   */
  readonly name?: string;
  /**
   * Namespace of every namespaced object.
   * @default 'monitoring'
   */
  readonly namespace?: string;
  /**
   * Prometheus replicas (each scrapes everything: HA by duplication). At least 2.
   * @default 2 - as kube-prometheus
   */
  readonly prometheusReplicas?: number;
  /**
   * How long Prometheus keeps samples (a Prometheus duration such as `30d`).
   * @default '30d' - a full SLO period (30 days) of raw samples
   */
  readonly retention?: string;
  /**
   * Size of each Prometheus replica's persistent volume (a Kubernetes quantity such as `50Gi`).
   * @default '50Gi'
   */
  readonly storageSize?: string;
  /**
   * Storage class of the Prometheus and Alertmanager volumes.
   * @default - the cluster's default storage class
   */
  readonly storageClassName?: string;
  /**
   * Alertmanager replicas, clustered (notifications deduplicated). At least 3.
   * @default 3 - as kube-prometheus
   */
  readonly alertmanagerReplicas?: number;
  /**
   * Secrets (in `namespace`) mounted into Alertmanager at `/etc/alertmanager/secrets/<name>/`, for the receivers'
   * `routingKeyFile` / `apiUrlFile`.
   * @default - none
   */
  readonly alertmanagerSecrets?: readonly string[];
  /**
   * Grafana image.
   * @default 'docker.io/grafana/grafana:12.0.2'
   */
  readonly grafanaImage?: string;
  /**
   * Secret (in `namespace`, keys `admin-user` and `admin-password`) holding Grafana's admin credentials; create it
   * before the Deployment (never committed).
   * @default 'grafana-admin'
   */
  readonly grafanaAdminSecret?: string;
  /**
   * Base URL of the runbook links of the platform alerts and dashboards (`<base>/runbooks/<path>.md`).
   * @default DEFAULT_RUNBOOK_BASE_URL - the repository
   */
  readonly runbookBaseUrl?: string;
  /**
   * Remote-write targets of Prometheus, e.g. an Amazon Managed Service for Prometheus workspace
   * (`{ url: workspace.remoteWriteUrl, sigv4: { region } }`, the pod's identity granted `aps:RemoteWrite`).
   * @default - none: samples stay in the cluster
   */
  readonly remoteWrite?: readonly PrometheusRemoteWrite[];
  /**
   * Name of the cluster: the external label `cluster=<clusterName>` on every sample and alert Prometheus sends, and the
   * replica label renamed to `__replica__`. Amazon Managed Service for Prometheus deduplicates the samples of an HA
   * pair by these two labels; without them a workspace stores each series once per replica.
   * @default - no cluster label; the replica label is the operator's `prometheus_replica`
   */
  readonly clusterName?: string;
}

/** A remote-write target of the Prometheus of {@link KubernetesMonitoringProps}. */
export interface PrometheusRemoteWrite {
  /** The remote-write endpoint (an AMP workspace's `.../api/v1/remote_write`). */
  readonly url: string;
  /**
   * Sign requests with AWS Signature Version 4 (required by AMP); credentials come from the Prometheus pods'
   * identity (EKS Pod Identity or IRSA), or from `roleArn` assumed with them.
   * @default - unsigned
   */
  readonly sigv4?: { readonly region: string; readonly roleArn?: string };
}
