import { platformRuleGroup } from '../../observability/golden-signals';
import type { IClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import type { IClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { PodAntiAffinityAffinity, PrometheusSpec } from '../prometheus-operator';
import type { KubeObject } from '../objects';
import { PART_OF } from '../objects';
import type { ResolvedMonitoringProps } from './monitoring-props';
import { prometheusRule, PROMETHEUS_SELECTOR_LABEL } from './service-monitoring';

/** Labels of the pods of an operator-managed component (kube-prometheus sets the same through `podMetadata`). */
export function componentLabels(component: 'prometheus' | 'alertmanager', p: ResolvedMonitoringProps): Record<string, string> {
  return { 'app.kubernetes.io/component': component, 'app.kubernetes.io/instance': p.name, 'app.kubernetes.io/name': component, ...PART_OF };
}

/** Preferred anti-affinity across zones, then nodes, as kube-prometheus' `antiAffinity` with topologyKey zone. */
export function zoneAntiAffinity(labels: Record<string, string>, namespace: string): PodAntiAffinityAffinity {
  const term = (weight: number, topologyKey: string) => ({
    weight, podAffinityTerm: { labelSelector: { matchLabels: labels }, topologyKey, namespaces: [namespace] },
  });
  return {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [term(100, 'topology.kubernetes.io/zone'), term(50, 'kubernetes.io/hostname')],
    },
  };
}

/** Name of the Prometheus ServiceAccount, ClusterRole and ClusterRoleBinding. */
function rbacName(p: ResolvedMonitoringProps): string {
  return `prometheus-${p.namespace}-${p.name}`;
}

/** What Prometheus needs to discover and scrape targets in every namespace (kube-prometheus' prometheus-clusterRole). */
export function prometheusRbac(p: ResolvedMonitoringProps): [IServiceAccount, IClusterRole, IClusterRoleBinding] {
  const labels = componentLabels('prometheus', p);
  const name = rbacName(p);
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: p.namespace, labels }, automountServiceAccountToken: true },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, labels },
      rules: [
        { apiGroups: [''], resources: ['services', 'endpoints', 'pods'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] },
        { nonResourceURLs: ['/metrics'], verbs: ['get'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: p.namespace }],
    },
  ];
}

/**
 * The Prometheus: HA pair (each replica scrapes everything), retention, a persistent volume per replica, the rules
 * and ServiceMonitors labelled `prometheus=<name>` in every namespace, alerts to the Alertmanager cluster.
 */
export function prometheus(p: ResolvedMonitoringProps): KubeObject & { spec: PrometheusSpec } {
  const labels = componentLabels('prometheus', p);
  const selector = { matchLabels: { [PROMETHEUS_SELECTOR_LABEL]: p.name } };
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'Prometheus',
    metadata: { name: p.name, namespace: p.namespace, labels },
    spec: {
      replicas: p.prometheusReplicas,
      retention: p.retention,
      storage: {
        volumeClaimTemplate: {
          spec: {
            accessModes: ['ReadWriteOnce'],
            ...(p.storageClassName ? { storageClassName: p.storageClassName } : {}),
            resources: { requests: { storage: p.storageSize } },
          },
        },
      },
      ruleSelector: selector,
      ruleNamespaceSelector: {},
      serviceMonitorSelector: selector,
      serviceMonitorNamespaceSelector: {},
      serviceAccountName: rbacName(p),
      securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 2000, fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' } },
      affinity: zoneAntiAffinity(labels, p.namespace),
      podMetadata: { labels },
      resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { memory: '4Gi' } },
      alerting: { alertmanagers: [{ namespace: p.namespace, name: 'alertmanager-operated', port: 'web', apiVersion: 'v2' }] },
      ...(p.clusterName !== undefined ? { externalLabels: { cluster: p.clusterName }, replicaExternalLabelName: '__replica__' } : {}),
      ...(p.remoteWrite.length > 0 ? {
        remoteWrite: p.remoteWrite.map((w) => ({
          url: w.url,
          ...(w.sigv4 ? { sigv4: { region: w.sigv4.region, ...(w.sigv4.roleArn ? { roleArn: w.sigv4.roleArn } : {}) } } : {}),
        })),
      } : {}),
    },
  };
}

/** One Prometheus replica may be evicted at a time: at least one keeps evaluating rules. */
export function prometheusPdb(p: ResolvedMonitoringProps): IPodDisruptionBudget {
  const labels = componentLabels('prometheus', p);
  return {
    apiVersion: 'policy/v1', kind: 'PodDisruptionBudget',
    metadata: { name: `prometheus-${p.name}`, namespace: p.namespace, labels },
    spec: { minAvailable: 1, selector: { matchLabels: labels } },
  };
}

/** The platform alerts (`Watchdog`, `RegionDown`), once per Prometheus. */
export function platformPrometheusRule(p: ResolvedMonitoringProps): KubeObject {
  return prometheusRule(
    { name: `${p.name}-platform`, namespace: p.namespace, labels: { ...componentLabels('prometheus', p), [PROMETHEUS_SELECTOR_LABEL]: p.name, role: 'alert-rules' } },
    [platformRuleGroup({ runbookBaseUrl: p.runbookBaseUrl })],
  );
}
