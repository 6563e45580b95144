import { Chart } from 'cdk8s';
import type { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import type { KubernetesMonitoringProps } from '../core/kubernetes/monitoring-props';
import { monitoringManifests } from '../core/kubernetes/monitoring-manifests';
import { addManifests } from './private/render';

/** Props of {@link MonitoringStackChart}. */
export type MonitoringStackChartProps = KubernetesMonitoringProps;

/**
 * The monitoring stack as kube-prometheus runs it, through the prometheus-operator CRDs: a Prometheus (2 replicas,
 * retention, a persistent volume each, RBAC to discover targets, the platform alerts) and an Alertmanager cluster
 * (3 replicas) configured with the generated routing and inhibition, both spread across zones with PDBs; and Grafana
 * with the Prometheus data source and the core dashboards provisioned. Needs the prometheus-operator in the cluster.
 */
export class MonitoringStackChart extends Chart {
  /** The Prometheus custom resource. */
  public readonly prometheus: ApiObject;
  /** The Alertmanager custom resource. */
  public readonly alertmanager: ApiObject;
  /** The Grafana Deployment. */
  public readonly grafana: ApiObject;
  /** Every object, by construct id (`Prometheus`, `AlertmanagerConfig`, `GrafanaDashboards`, ...). */
  public readonly objects: Readonly<Record<string, ApiObject>>;

  constructor(scope: Construct, id: string, props: MonitoringStackChartProps) {
    super(scope, id);
    this.objects = addManifests(this, monitoringManifests(this.node.path, props));
    this.prometheus = this.objects.Prometheus;
    this.alertmanager = this.objects.Alertmanager;
    this.grafana = this.objects.Grafana;
  }
}
