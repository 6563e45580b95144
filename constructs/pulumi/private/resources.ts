import type * as pulumi from '@pulumi/pulumi';
import * as k8s from '@pulumi/kubernetes';
import type { Manifest } from '../../core/kubernetes/objects';

/** Constructors of the built-in kinds the platform renders, by `apiVersion/kind`. */
const KINDS: Record<string, new (name: string, args: never, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource> = {
  'v1/ConfigMap': k8s.core.v1.ConfigMap,
  'v1/Secret': k8s.core.v1.Secret,
  'v1/Service': k8s.core.v1.Service,
  'v1/ServiceAccount': k8s.core.v1.ServiceAccount,
  'apps/v1/Deployment': k8s.apps.v1.Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': k8s.autoscaling.v2.HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': k8s.policy.v1.PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': k8s.networking.v1.NetworkPolicy,
  'rbac.authorization.k8s.io/v1/ClusterRole': k8s.rbac.v1.ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': k8s.rbac.v1.ClusterRoleBinding,
};

/**
 * Creates one Pulumi Kubernetes resource per manifest, as children of `parent` named `<prefix>-<id>`: the built-in
 * kinds through their typed classes, the prometheus-operator kinds as `CustomResource`s. The objects are the ones the
 * cdk8s charts render (same builders), so both engines apply identical specs.
 */
export function createResources(parent: pulumi.Resource, prefix: string, manifests: readonly Manifest[],
  provider?: k8s.Provider): Record<string, pulumi.CustomResource> {
  const opts: pulumi.CustomResourceOptions = { parent, ...(provider ? { provider } : {}) };
  const out: Record<string, pulumi.CustomResource> = {};
  for (const { id, object } of manifests) {
    const name = `${prefix}-${id}`;
    const Kind = KINDS[`${object.apiVersion}/${object.kind}`];
    if (Kind) {
      // The typed classes set apiVersion and kind themselves; passing them too is harmless and keeps one object.
      out[id] = new Kind(name, object as never, opts);
    } else if (object.apiVersion === 'monitoring.coreos.com/v1') {
      out[id] = new k8s.apiextensions.CustomResource(name, object as k8s.apiextensions.CustomResourceArgs, opts);
    } else {
      throw new Error(`no Pulumi resource for ${object.apiVersion}/${object.kind}: add it to KINDS`);
    }
  }
  return out;
}
