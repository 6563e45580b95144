import * as pulumi from '@pulumi/pulumi';
import type * as k8s from '@pulumi/kubernetes';
import type { KubernetesServiceProps } from '../core/kubernetes/service-props';
import type { ContainerLimits } from '../core/observability/golden-signals';
import { serviceContainerLimits, serviceManifests } from '../core/kubernetes/service-manifests';
import { createResources } from './private/resources';

/** Args of {@link PlatformService}: the props of the cdk8s `ServiceChart`, plus the cluster to deploy to. */
export interface PlatformServiceArgs extends KubernetesServiceProps {
  /**
   * Kubernetes provider (cluster and credentials).
   * @default - the stack's default provider (the current kubeconfig context)
   */
  readonly provider?: k8s.Provider;
}

/**
 * A production service on any Kubernetes cluster with Pulumi: the same objects as the cdk8s `ServiceChart`
 * (Deployment, PodDisruptionBudget, HorizontalPodAutoscaler, Service, NetworkPolicies, ServiceMonitor,
 * PrometheusRule), rendered by the same builders, as children of this component.
 */
export class PlatformService extends pulumi.ComponentResource {
  /** Pulumi type token. */
  public static readonly TYPE = 'platform-stacks:k8s:PlatformService';
  /** Every child resource, by id (`Deployment`, `Service`, `PrometheusRule`, ...: the ServiceChart's construct ids). */
  public readonly resources: Readonly<Record<string, pulumi.CustomResource>>;
  /** Name of the Service (= the service). */
  public readonly serviceName: pulumi.Output<string>;
  /** The container's limits as the Deployment sets them (see `ServiceChart.containerLimits`). */
  public readonly containerLimits: ContainerLimits;

  constructor(name: string, args: PlatformServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super(PlatformService.TYPE, name, {}, opts);
    const { provider, ...props } = args;
    this.resources = createResources(this, name, serviceManifests(`PlatformService(${name})`, props), provider);
    this.serviceName = pulumi.output(args.service);
    this.containerLimits = serviceContainerLimits(`PlatformService(${name})`, props);
    this.registerOutputs({ serviceName: this.serviceName });
  }
}
