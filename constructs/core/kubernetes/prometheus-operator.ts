/**
 * The spec types of the prometheus-operator custom resources (group `monitoring.coreos.com/v1`): Prometheus,
 * Alertmanager, ServiceMonitor, PrometheusRule. Written by hand from the operator's CRD schema
 * (`example/prometheus-operator-crd/*.yaml`, v0.65+), limited to the fields the platform sets; every field name and type
 * is the CRD's, and the tests validate the rendered objects against the schema of `@kubernetes-models/prometheus-operator`.
 * Engine-neutral: the builders of core/kubernetes type their objects with them, the cdk8s classes
 * (constructs/k8s/imports) take them as props.
 */

/** A Kubernetes label selector. */
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: ReadonlyArray<{ readonly key: string; readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; readonly values?: readonly string[] }>;
}

/** Pod anti-affinity (the subset of `core/v1 Affinity` the platform sets). */
export interface PodAntiAffinityAffinity {
  readonly podAntiAffinity: {
    readonly preferredDuringSchedulingIgnoredDuringExecution?: ReadonlyArray<{
      readonly weight: number;
      readonly podAffinityTerm: { readonly labelSelector: LabelSelector; readonly topologyKey: string; readonly namespaces?: readonly string[] };
    }>;
    readonly requiredDuringSchedulingIgnoredDuringExecution?: ReadonlyArray<{ readonly labelSelector: LabelSelector; readonly topologyKey: string }>;
  };
}

/** Pod security context (subset of `core/v1 PodSecurityContext`). */
export interface PodSecurityContext {
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly fsGroup?: number;
  readonly seccompProfile?: { readonly type: 'RuntimeDefault' | 'Localhost' | 'Unconfined' };
}

/** Compute resources (`core/v1 ResourceRequirements`). */
export interface ResourceRequirements {
  readonly requests?: Readonly<Record<string, string>>;
  readonly limits?: Readonly<Record<string, string>>;
}

/** `EmbeddedObjectMetadata` of the operator: labels and annotations added to the generated pods. */
export interface EmbeddedObjectMetadata {
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** `StorageSpec` with a `volumeClaimTemplate` (an `EmbeddedPersistentVolumeClaim`). */
export interface StorageSpec {
  readonly volumeClaimTemplate: {
    readonly metadata?: EmbeddedObjectMetadata & { readonly name?: string };
    readonly spec: {
      readonly accessModes: readonly string[];
      readonly storageClassName?: string;
      readonly resources: { readonly requests: { readonly storage: string } };
    };
  };
}

/** `AlertmanagerEndpoints` of `PrometheusSpec.alerting`. */
export interface AlertmanagerEndpoints {
  readonly namespace: string;
  readonly name: string;
  readonly port: string;
  readonly apiVersion?: 'v1' | 'v2';
}

/** Spec of a `Prometheus` (monitoring.coreos.com/v1). */
export interface PrometheusSpec {
  readonly replicas?: number;
  readonly retention?: string;
  readonly retentionSize?: string;
  readonly storage?: StorageSpec;
  readonly ruleSelector?: LabelSelector;
  readonly ruleNamespaceSelector?: LabelSelector;
  readonly serviceMonitorSelector?: LabelSelector;
  readonly serviceMonitorNamespaceSelector?: LabelSelector;
  readonly serviceAccountName?: string;
  readonly securityContext?: PodSecurityContext;
  readonly affinity?: PodAntiAffinityAffinity;
  readonly podMetadata?: EmbeddedObjectMetadata;
  readonly resources?: ResourceRequirements;
  readonly externalLabels?: Readonly<Record<string, string>>;
  readonly alerting?: { readonly alertmanagers: readonly AlertmanagerEndpoints[] };
  readonly remoteWrite?: readonly RemoteWriteSpec[];
  readonly replicaExternalLabelName?: string;
}

/** A `RemoteWriteSpec` of `PrometheusSpec.remoteWrite` (the fields this project sets). */
export interface RemoteWriteSpec {
  readonly url: string;
  readonly name?: string;
  /** AWS Signature Version 4 signing (Amazon Managed Service for Prometheus); credentials from the pod's identity. */
  readonly sigv4?: { readonly region?: string; readonly roleArn?: string };
}

/** Spec of an `Alertmanager` (monitoring.coreos.com/v1). Its configuration is the Secret `alertmanager-<name>`. */
export interface AlertmanagerSpec {
  readonly replicas?: number;
  readonly retention?: string;
  readonly storage?: StorageSpec;
  readonly secrets?: readonly string[];
  readonly securityContext?: PodSecurityContext;
  readonly affinity?: PodAntiAffinityAffinity;
  readonly podMetadata?: EmbeddedObjectMetadata;
  readonly resources?: ResourceRequirements;
}

/** An `Endpoint` of a ServiceMonitor. */
export interface ServiceMonitorEndpoint {
  readonly port: string;
  readonly path?: string;
  readonly scheme?: 'http' | 'https';
  readonly interval?: string;
  readonly scrapeTimeout?: string;
}

/** Spec of a `ServiceMonitor` (monitoring.coreos.com/v1). */
export interface ServiceMonitorSpec {
  readonly selector: LabelSelector;
  readonly endpoints: readonly ServiceMonitorEndpoint[];
  readonly namespaceSelector?: { readonly matchNames?: readonly string[]; readonly any?: boolean };
  readonly jobLabel?: string;
}

/** A `Rule` of a PrometheusRule: a recording rule (`record`) or an alerting rule (`alert`). */
export interface PrometheusRuleRule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly keep_firing_for?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Spec of a `PrometheusRule` (monitoring.coreos.com/v1). */
export interface PrometheusRuleSpec {
  readonly groups: ReadonlyArray<{ readonly name: string; readonly interval?: string; readonly rules: readonly PrometheusRuleRule[] }>;
}
