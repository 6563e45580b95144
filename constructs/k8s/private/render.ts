import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { Alertmanager, Prometheus, PrometheusRule, ServiceMonitor } from '../imports/monitoring.coreos.com';
import type { CustomResourceProps } from '../imports/monitoring.coreos.com';
import type { Manifest } from '../../core/kubernetes/objects';

/**
 * Adds `manifests` to `scope` as cdk8s objects: the prometheus-operator kinds through their typed classes
 * (imports/), the built-in kinds as `ApiObject`s. Returns them by construct id.
 */
export function addManifests(scope: Construct, manifests: readonly Manifest[]): Record<string, ApiObject> {
  const out: Record<string, ApiObject> = {};
  for (const { id, object } of manifests) {
    const { apiVersion, kind, ...rest } = object;
    const cr = rest as unknown as CustomResourceProps<never>;
    switch (apiVersion === 'monitoring.coreos.com/v1' ? kind : '') {
      case 'Prometheus': out[id] = new Prometheus(scope, id, cr); break;
      case 'Alertmanager': out[id] = new Alertmanager(scope, id, cr); break;
      case 'ServiceMonitor': out[id] = new ServiceMonitor(scope, id, cr); break;
      case 'PrometheusRule': out[id] = new PrometheusRule(scope, id, cr); break;
      default: out[id] = new ApiObject(scope, id, object);
    }
  }
  return out;
}
