import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { HTTP_PORT_NAME, selectorLabels, serviceLabels } from './service-workload';
import type { ResolvedServiceProps } from './service-props';
import { dependencyPorts } from './service-env';

/**
 * Network policies of the service's pods: a default deny (ingress and egress) and the allowances it needs, with a
 * data path or a collector also egress to their ports (`allow-dependencies`).
 * Policies are additive, so each allowance is its own object: easy to read, and a user's extra policy adds to them
 * without patching.
 */
export function networkPolicies(p: ResolvedServiceProps): Array<{ id: string; object: INetworkPolicy }> {
  const pods = { matchLabels: selectorLabels(p) };
  const policy = (suffix: string, spec: INetworkPolicy['spec']): INetworkPolicy => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `${p.service}-${suffix}`, namespace: p.namespace, labels: serviceLabels(p) },
    spec,
  });
  const ns = (name: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': name } });
  const http = [{ protocol: 'TCP' as const, port: HTTP_PORT_NAME }];
  return [
    { id: 'DefaultDeny', object: policy('default-deny', { podSelector: pods, policyTypes: ['Ingress', 'Egress'] }) },
    {
      id: 'AllowIngress',
      object: policy('allow-ingress', {
        podSelector: pods, policyTypes: ['Ingress'],
        ingress: [{ from: [{ namespaceSelector: ns(p.ingressNamespace) }, { podSelector: {} }], ports: http }],
      }),
    },
    {
      id: 'AllowPrometheus',
      object: policy('allow-prometheus', {
        podSelector: pods, policyTypes: ['Ingress'],
        ingress: [{
          from: [{ namespaceSelector: ns(p.monitoringNamespace), podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
          ports: http,
        }],
      }),
    },
    {
      id: 'AllowDns',
      object: policy('allow-dns', {
        podSelector: pods, policyTypes: ['Egress'],
        egress: [{
          to: [{ namespaceSelector: ns('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [{ protocol: 'UDP' as const, port: 53 }, { protocol: 'TCP' as const, port: 53 }],
        }],
      }),
    },
    ...allowDependencies(p, policy),
  ];
}

/**
 * Egress to the database, the L2 cache and the OTLP collector, by TCP port to any address: a NetworkPolicy selects
 * pods and CIDRs, not the DNS names the service is given, and the dependencies may run in the cluster or outside it.
 */
function allowDependencies(
  p: ResolvedServiceProps, policy: (suffix: string, spec: INetworkPolicy['spec']) => INetworkPolicy,
): Array<{ id: string; object: INetworkPolicy }> {
  const ports = dependencyPorts(p);
  if (ports.length === 0) return [];
  return [{
    id: 'AllowDependencies',
    object: policy('allow-dependencies', {
      podSelector: { matchLabels: selectorLabels(p) }, policyTypes: ['Egress'],
      egress: [{ ports: ports.map((port) => ({ protocol: 'TCP' as const, port })) }],
    }),
  }];
}
