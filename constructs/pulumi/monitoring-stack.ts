import * as pulumi from '@pulumi/pulumi';
import type * as k8s from '@pulumi/kubernetes';
import type { KubernetesMonitoringProps } from '../core/kubernetes/monitoring-props';
import { monitoringManifests } from '../core/kubernetes/monitoring-manifests';
import { createResources } from './private/resources';

/** Args of {@link MonitoringStack}: the props of the cdk8s `MonitoringStackChart`, plus the cluster to deploy to. */
export interface MonitoringStackArgs extends KubernetesMonitoringProps {
  /**
   * Kubernetes provider (cluster and credentials).
   * @default - the stack's default provider (the current kubeconfig context)
   */
  readonly provider?: k8s.Provider;
}

/**
 * The monitoring stack on any Kubernetes cluster with Pulumi: the same objects as the cdk8s `MonitoringStackChart`
 * (Prometheus and Alertmanager through the prometheus-operator CRDs, their PDBs, the generated Alertmanager
 * configuration, the platform alerts, Grafana with the data source and dashboards), as children of this component.
 * Needs the prometheus-operator in the cluster.
 */
export class MonitoringStack extends pulumi.ComponentResource {
  /** Pulumi type token. */
  public static readonly TYPE = 'platform-stacks:k8s:MonitoringStack';
  /** Every child resource, by id (`Prometheus`, `Alertmanager`, `Grafana`, ...: the chart's construct ids). */
  public readonly resources: Readonly<Record<string, pulumi.CustomResource>>;
  /** In-cluster URL of Prometheus (the operator's `prometheus-operated` Service). */
  public readonly prometheusUrl: pulumi.Output<string>;
  /** In-cluster URL of Grafana. */
  public readonly grafanaUrl: pulumi.Output<string>;

  constructor(name: string, args: MonitoringStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super(MonitoringStack.TYPE, name, {}, opts);
    const { provider, ...props } = args;
    this.resources = createResources(this, name, monitoringManifests(`MonitoringStack(${name})`, props), provider);
    const ns = props.namespace ?? 'monitoring';
    this.prometheusUrl = pulumi.output(`http://prometheus-operated.${ns}.svc:9090`);
    this.grafanaUrl = pulumi.output(`http://grafana.${ns}.svc:3000`);
    this.registerOutputs({ prometheusUrl: this.prometheusUrl, grafanaUrl: this.grafanaUrl });
  }
}
