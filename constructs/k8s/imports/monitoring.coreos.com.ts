import { ApiObject } from 'cdk8s';
import type { ApiObjectMetadata, GroupVersionKind } from 'cdk8s';
import type { Construct } from 'constructs';
import type { AlertmanagerSpec, PrometheusRuleSpec, PrometheusSpec, ServiceMonitorSpec } from '../../core/kubernetes/prometheus-operator';

/**
 * prometheus-operator custom resources (group `monitoring.coreos.com/v1`) as cdk8s objects: Prometheus, Alertmanager,
 * ServiceMonitor, PrometheusRule, in the shape `cdk8s import` generates. Written by hand (`cdk8s import` needs GitHub,
 * which the build may not reach, and the full generated files are ~60k lines for four kinds); their spec types are the
 * engine-neutral ones of core/kubernetes/prometheus-operator.ts, re-exported here as `cdk8s import` would.
 */
export type {
  AlertmanagerEndpoints, AlertmanagerSpec, EmbeddedObjectMetadata, LabelSelector, PodAntiAffinityAffinity, PodSecurityContext, PrometheusRuleRule,
  PrometheusRuleSpec, PrometheusSpec, RemoteWriteSpec, ResourceRequirements, ServiceMonitorEndpoint, ServiceMonitorSpec, StorageSpec,
} from '../../core/kubernetes/prometheus-operator';

/** Props of a custom resource: its metadata and spec. */
export interface CustomResourceProps<S> {
  readonly metadata?: ApiObjectMetadata;
  readonly spec: S;
}

function gvk(kind: string): GroupVersionKind {
  return { apiVersion: 'monitoring.coreos.com/v1', kind };
}

/** A `Prometheus`: the operator runs it as a StatefulSet `prometheus-<name>`. */
export class Prometheus extends ApiObject {
  public static readonly GVK: GroupVersionKind = gvk('Prometheus');
  constructor(scope: Construct, id: string, props: CustomResourceProps<PrometheusSpec>) {
    super(scope, id, { ...Prometheus.GVK, ...props });
  }
}

/** An `Alertmanager`: the operator runs it as a StatefulSet `alertmanager-<name>`, clustered. */
export class Alertmanager extends ApiObject {
  public static readonly GVK: GroupVersionKind = gvk('Alertmanager');
  constructor(scope: Construct, id: string, props: CustomResourceProps<AlertmanagerSpec>) {
    super(scope, id, { ...Alertmanager.GVK, ...props });
  }
}

/** A `ServiceMonitor`: scrape targets from the endpoints of the selected Services. */
export class ServiceMonitor extends ApiObject {
  public static readonly GVK: GroupVersionKind = gvk('ServiceMonitor');
  constructor(scope: Construct, id: string, props: CustomResourceProps<ServiceMonitorSpec>) {
    super(scope, id, { ...ServiceMonitor.GVK, ...props });
  }
}

/** A `PrometheusRule`: rule groups loaded by every Prometheus whose ruleSelector matches. */
export class PrometheusRule extends ApiObject {
  public static readonly GVK: GroupVersionKind = gvk('PrometheusRule');
  constructor(scope: Construct, id: string, props: CustomResourceProps<PrometheusRuleSpec>) {
    super(scope, id, { ...PrometheusRule.GVK, ...props });
  }
}
