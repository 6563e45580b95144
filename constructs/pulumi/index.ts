/**
 * platform-stacks with Pulumi: the package entry `platform-stacks/pulumi`. A separate entry from the main barrel
 * so AWS CDK users never load Pulumi; it needs the peer dependencies `@pulumi/pulumi` and `@pulumi/kubernetes`.
 */
export type { KubernetesServiceProps } from '../k8s/service-props';
export type { KubernetesMonitoringProps } from '../k8s/monitoring-props';
export * from './platform-service';
export * from './monitoring-stack';
