/**
 * platform-stacks with Pulumi: the package entry `platform-stacks/pulumi`. A separate entry from the main barrel
 * so AWS CDK users never load Pulumi; it needs the peer dependencies `@pulumi/pulumi` and `@pulumi/kubernetes`.
 * Exported by name: the components and their props (engine-neutral, shared with the cdk8s entry).
 */
export { PlatformService } from './platform-service';
export type { PlatformServiceArgs } from './platform-service';
export { MonitoringStack } from './monitoring-stack';
export type { MonitoringStackArgs } from './monitoring-stack';

// The engine-neutral props, shared with the other Kubernetes engine's entry.
export type { KubernetesServiceProps } from '../core/kubernetes/service-props';
export type { KubernetesDatabase, KubernetesDistributedCache, KubernetesSecretKeyRef } from '../core/kubernetes/data-path-props';
export type { KubernetesMonitoringProps, PrometheusRemoteWrite } from '../core/kubernetes/monitoring-props';
