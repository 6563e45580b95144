import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { AlertmanagerSpec } from '../prometheus-operator';
import type { KubeObject } from '../objects';
import type { ResolvedMonitoringProps } from './monitoring-props';
import { componentLabels, zoneAntiAffinity } from './prometheus';

/** Key of the configuration in the Secret the operator reads (`alertmanager-<name>`). */
export const ALERTMANAGER_CONFIG_KEY = 'alertmanager.yaml';

/** The Secret `alertmanager-<name>` holding the generated routing, inhibition and receivers (`AlertmanagerConfig.render()`). */
export function alertmanagerConfigSecret(p: ResolvedMonitoringProps): ISecret {
  return {
    apiVersion: 'v1', kind: 'Secret',
    metadata: { name: `alertmanager-${p.name}`, namespace: p.namespace, labels: componentLabels('alertmanager', p) },
    type: 'Opaque',
    stringData: { [ALERTMANAGER_CONFIG_KEY]: p.alertmanagerConfig.render() },
  };
}

/** The Alertmanager cluster: replicas gossip to deduplicate notifications; spread across zones. */
export function alertmanager(p: ResolvedMonitoringProps): KubeObject & { spec: AlertmanagerSpec } {
  const labels = componentLabels('alertmanager', p);
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'Alertmanager',
    metadata: { name: p.name, namespace: p.namespace, labels },
    spec: {
      replicas: p.alertmanagerReplicas,
      retention: '120h',
      storage: {
        volumeClaimTemplate: {
          spec: {
            accessModes: ['ReadWriteOnce'],
            ...(p.storageClassName ? { storageClassName: p.storageClassName } : {}),
            resources: { requests: { storage: '1Gi' } },
          },
        },
      },
      ...(p.alertmanagerSecrets.length > 0 ? { secrets: [...p.alertmanagerSecrets] } : {}),
      securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 2000, fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' } },
      affinity: zoneAntiAffinity(labels, p.namespace),
      podMetadata: { labels },
      resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '256Mi' } },
    },
  };
}

/** At most one Alertmanager replica down at a time, as kube-prometheus. */
export function alertmanagerPdb(p: ResolvedMonitoringProps): IPodDisruptionBudget {
  const labels = componentLabels('alertmanager', p);
  return {
    apiVersion: 'policy/v1', kind: 'PodDisruptionBudget',
    metadata: { name: `alertmanager-${p.name}`, namespace: p.namespace, labels },
    spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
  };
}
