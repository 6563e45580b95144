/**
 * platform-stacks on Kubernetes (cdk8s): the package entry `platform-stacks/k8s`. A separate entry from the main
 * barrel so AWS users never load cdk8s; it needs the peer dependency `cdk8s`. Exported by name: the charts, their
 * props (engine-neutral, shared with the Pulumi entry) and the prometheus-operator custom resources.
 */
export { ServiceChart } from './service-chart';
export type { ServiceChartProps } from './service-chart';
export { MonitoringStackChart } from './monitoring-stack-chart';
export type { MonitoringStackChartProps } from './monitoring-stack-chart';
export { Alertmanager, Prometheus, PrometheusRule, ServiceMonitor } from './imports/monitoring.coreos.com';
export type { AlertmanagerEndpoints, AlertmanagerSpec, CustomResourceProps, EmbeddedObjectMetadata, LabelSelector, PodAntiAffinityAffinity, PodSecurityContext, PrometheusRuleRule, PrometheusRuleSpec, PrometheusSpec, RemoteWriteSpec, ResourceRequirements, ServiceMonitorEndpoint, ServiceMonitorSpec, StorageSpec } from './imports/monitoring.coreos.com';

// The engine-neutral props, shared with the other Kubernetes engine's entry.
export type { KubernetesServiceProps } from '../core/kubernetes/service-props';
export type { KubernetesDatabase, KubernetesDistributedCache, KubernetesSecretKeyRef } from '../core/kubernetes/data-path-props';
export type { KubernetesMonitoringProps, PrometheusRemoteWrite } from '../core/kubernetes/monitoring-props';
