import { Testing } from 'cdk8s';
import type { Chart } from 'cdk8s';
import { Alertmanager } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Alertmanager';
import { Prometheus } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Prometheus';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { AlertmanagerConfig, Receiver } from '../../constructs/core/observability/alertmanager';
import { MonitoringStackChart, ServiceChart } from '../../constructs/k8s';
import type { KubernetesMonitoringProps, KubernetesServiceProps } from '../../constructs/k8s';
import { serviceObjectives } from '../../stacks/objectives';

/** A rendered Kubernetes object. */
export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } }
  & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The reference service's props. */
export function serviceProps(overrides: Partial<KubernetesServiceProps> = {}): KubernetesServiceProps {
  return { service: 'checkout', image: 'ghcr.io/acme/checkout:1.0.0', slos: serviceObjectives('checkout').slos, ...overrides };
}

/**
 * A full data path: writer and read-only endpoints, the database password from a Secret, an L2 cache with an ACL
 * user and its password Secret, an OTLP collector: every variable the chart can pass.
 */
export const DATA_PATH = {
  database: {
    endpoint: 'postgres.checkout.svc', readOnlyEndpoint: 'postgres-ro.checkout.svc', user: 'checkout',
    passwordSecret: { name: 'checkout-db', key: 'password' },
  },
  distributedCache: { endpoint: 'valkey.checkout.svc', username: 'checkout', passwordSecret: { name: 'checkout-cache', key: 'password' } },
  otlpEndpoint: 'http://otel-collector.monitoring.svc:4318',
} as const satisfies Partial<KubernetesServiceProps>;

/** The reference monitoring props. */
export function monitoringProps(overrides: Partial<KubernetesMonitoringProps> = {}): KubernetesMonitoringProps {
  return {
    alertmanagerConfig: new AlertmanagerConfig({
      paging: Receiver.webhook('page', { url: 'http://receiver:8080/page' }),
      ticket: Receiver.webhook('ticket', { url: 'http://receiver:8080/ticket' }),
      heartbeat: Receiver.webhook('heartbeat', { url: 'http://receiver:8080/heartbeat' }),
    }),
    slos: serviceObjectives('checkout').slos,
    ...overrides,
  };
}

export function synthService(overrides: Partial<KubernetesServiceProps> = {}): Manifest[] {
  const chart = new ServiceChart(Testing.app(), 'checkout', serviceProps(overrides));
  return Testing.synth(chart) as Manifest[];
}

export function synthMonitoring(overrides: Partial<KubernetesMonitoringProps> = {}): Manifest[] {
  const chart = new MonitoringStackChart(Testing.app(), 'monitoring', monitoringProps(overrides));
  return Testing.synth(chart) as Manifest[];
}

export function synthChart(chart: Chart): Manifest[] {
  return Testing.synth(chart) as Manifest[];
}

/** The one object of `kind` (named `name` when given); fails when there is not exactly one. */
export function one(manifests: Manifest[], kind: string, name?: string): Manifest {
  const found = manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`);
  return found[0];
}

/** The kubernetes-models (Kubernetes OpenAPI) and @kubernetes-models/prometheus-operator (CRD) schema of each kind. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'monitoring.coreos.com/v1/Alertmanager': Alertmanager,
  'monitoring.coreos.com/v1/Prometheus': Prometheus,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
};

/** Validates `m` against its schema; throws with the schema errors. A kind without a schema fails. */
export function validateManifest(m: Manifest): void {
  const Model = MODELS[`${m.apiVersion}/${m.kind}`];
  if (!Model) throw new Error(`no schema for ${m.apiVersion}/${m.kind}`);
  new Model(m).validate();
}
