import { Chart } from 'cdk8s';
import type { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { addManifests } from './private/render';
import type { ContainerLimits } from '../core/observability/golden-signals';
import { serviceContainerLimits, serviceManifests } from '../core/kubernetes/service-manifests';
import type { KubernetesServiceProps } from '../core/kubernetes/service-props';

/** Props of {@link ServiceChart}. */
export type ServiceChartProps = KubernetesServiceProps;

/**
 * A production service on Kubernetes: a Deployment spread over zones and nodes with probes on `/health` and
 * `/ready`, requests and limits, a non-root read-only container and graceful termination; a PodDisruptionBudget; a
 * HorizontalPodAutoscaler (CPU 70%, 3 to 20 replicas, scale-down stabilization); a Service; a default-deny
 * NetworkPolicy with the allowances it needs (ingress controller and same namespace, Prometheus scrape, DNS); and its
 * monitoring: a ServiceMonitor and a PrometheusRule with the SLO burn-rate and golden-signal alerts of the core, the
 * same rules, labels, annotations and runbook links as the AWS path. With `database` (and `distributedCache`,
 * `otlpEndpoint`) the container also gets the data path's variables, the passwords as Secret references, and a
 * NetworkPolicy opens egress to their ports.
 *
 * @example
 * new ServiceChart(app, 'checkout', { service: 'checkout', image: 'ghcr.io/acme/checkout:1.4.2', slos: serviceObjectives('checkout').slos });
 */
export class ServiceChart extends Chart {
  /** The Deployment. */
  public readonly deployment: ApiObject;
  /** The HorizontalPodAutoscaler. */
  public readonly autoscaler: ApiObject;
  /** The Service. */
  public readonly service: ApiObject;
  /** The PrometheusRule (SLO and golden-signal alerts). */
  public readonly prometheusRule: ApiObject;
  /** Every object, by construct id (`Deployment`, `PodDisruptionBudget`, `DefaultDeny`, ...). */
  public readonly objects: Readonly<Record<string, ApiObject>>;
  /**
   * The container's limits as the Deployment sets them: what its saturation alerts divide by, and what the
   * monitoring stack's service dashboard should be given (`serviceDashboard({ cpuLimitCores, memoryLimitBytes })`).
   */
  public readonly containerLimits: ContainerLimits;

  constructor(scope: Construct, id: string, props: ServiceChartProps) {
    super(scope, id);
    this.objects = addManifests(this, serviceManifests(this.node.path, props));
    this.deployment = this.objects.Deployment;
    this.autoscaler = this.objects.HorizontalPodAutoscaler;
    this.service = this.objects.Service;
    this.prometheusRule = this.objects.PrometheusRule;
    this.containerLimits = serviceContainerLimits(this.node.path, props);
  }
}
