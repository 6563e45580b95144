import type { KubernetesServiceProps } from './service-props';
import { networkPolicies } from './private/network-policies';
import type { KubeObject, Manifest } from './objects';
import { servicePrometheusRule, serviceMonitor } from './private/service-monitoring';
import { resolveServiceProps } from './private/service-props';
import { containerLimits, deployment, flagsConfigMap, horizontalPodAutoscaler, podDisruptionBudget, service } from './private/service-workload';
import type { ContainerLimits } from '../observability/golden-signals';

/**
 * Every object of a service, in apply order, with its construct id. `where` names the construct in errors.
 * Both engines call this: the cdk8s ServiceChart and the Pulumi PlatformService.
 */
export function serviceManifests(where: string, props: KubernetesServiceProps): Manifest[] {
  const p = resolveServiceProps(where, props);
  const m = (id: string, object: unknown): Manifest => ({ id, object: object as KubeObject });
  return [
    ...(p.featureFlags ? [m('FeatureFlags', flagsConfigMap(p))] : []),
    m('Deployment', deployment(p)),
    m('PodDisruptionBudget', podDisruptionBudget(p)),
    m('HorizontalPodAutoscaler', horizontalPodAutoscaler(p)),
    m('Service', service(p)),
    ...networkPolicies(p).map((n) => m(n.id, n.object)),
    m('ServiceMonitor', serviceMonitor(p)),
    m('PrometheusRule', servicePrometheusRule(p)),
  ];
}

/** The limits of the service's container as {@link serviceManifests} renders them (ServiceChart, PlatformService). */
export function serviceContainerLimits(where: string, props: KubernetesServiceProps): ContainerLimits {
  return containerLimits(resolveServiceProps(where, props));
}
