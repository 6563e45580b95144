import type { Slo } from '../observability/slo';
import type { KubernetesDatabase, KubernetesDistributedCache } from './data-path-props';

/**
 * Props of a service on Kubernetes, shared by the cdk8s `ServiceChart` and the Pulumi `PlatformService`:
 * both render the same objects from them. Engine-neutral: no cdk8s or Pulumi import.
 */
export interface KubernetesServiceProps {
  /** The service: object names, the `app.kubernetes.io/name` label and the Prometheus `job` (= OTel `service.name`). */
  readonly service: string;
  /** Container image; it serves `/health` (liveness), `/ready` (readiness) and `/metrics` on {@link port}. */
  readonly image: string;
  /** The service's SLOs (at least one; a latency SLO sets the p99 alert threshold). Every SLO must be of `service`. */
  readonly slos: readonly Slo[];
  /**
   * Namespace of every object.
   * @default 'default'
   */
  readonly namespace?: string;
  /**
   * Port the container listens on (HTTP and metrics), named `http`.
   * @default 8080 - the reference service's port
   */
  readonly port?: number;
  /**
   * Fewest replicas, the HorizontalPodAutoscaler's minimum (the Deployment leaves `replicas` to it). At least 3,
   * spread over zones.
   * @default 3
   */
  readonly minReplicas?: number;
  /**
   * Most replicas the HorizontalPodAutoscaler scales to.
   * @default 20
   */
  readonly maxReplicas?: number;
  /**
   * Average CPU utilization (% of the request) the HorizontalPodAutoscaler keeps.
   * @default 70
   */
  readonly targetCpuUtilization?: number;
  /**
   * CPU limit of the container in cores; the request is half of it, and `CpuSaturationHigh` fires above 80% of it.
   * @default 1 - as the ECS task of the AWS path
   */
  readonly cpuLimitCores?: number;
  /**
   * Memory limit of the container in MiB, also its request (no overcommit); `MemorySaturationHigh` fires above 85%.
   * @default 2048 - as the ECS task of the AWS path
   */
  readonly memoryLimitMiB?: number;
  /**
   * Seconds a stopping pod gets before it is killed; the preStop hook first waits 5 seconds for endpoints to drop it.
   * @default 30
   */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Namespace of the ingress controller allowed to reach the pods (besides pods of the same namespace).
   * @default 'ingress-nginx'
   */
  readonly ingressNamespace?: string;
  /**
   * Namespace of the monitoring stack whose Prometheus may scrape the pods.
   * @default 'monitoring'
   */
  readonly monitoringNamespace?: string;
  /**
   * Name of the Prometheus (MonitoringStackChart `name`) that loads the ServiceMonitor and PrometheusRule: their
   * `prometheus` label.
   * @default 'platform'
   */
  readonly prometheusName?: string;
  /**
   * Base URL of the alerts' runbook links (`<base>/runbooks/<path>.md`).
   * @default DEFAULT_RUNBOOK_BASE_URL - the repository
   */
  readonly runbookBaseUrl?: string;  /**
   * The database the service reads and writes: the container gets the `DB_*` variables (the password from a Secret)
   * and a NetworkPolicy lets the pods reach its port.
   * @default - no data path: the container gets only `PORT`, `SERVICE_NAME` and `OTEL_SERVICE_NAME` (the reference
   * service then serves its probes and the sample route only)
   */
  readonly database?: KubernetesDatabase;
  /**
   * Time to live of entries in the in-process (L1) cache of each pod, 1 second to 1 day (`CACHE_L1_TTL_SECONDS`).
   * Only with {@link database}.
   * @default 300 - the L1 tier of the README's "Tiered caching" table, as the AWS path
   */
  readonly cacheL1TtlSeconds?: number;
  /**
   * Entries the in-process (L1) cache of each pod holds before evicting the least recently used, 1 to 10,000,000
   * (`CACHE_L1_MAX_ITEMS`). Only with {@link database}.
   * @default 10000
   */
  readonly cacheL1MaxItems?: number;
  /**
   * Distributed (L2) cache the service reads through (`CACHE_L2_*`); a NetworkPolicy lets the pods reach its port.
   * Only with {@link database}.
   * @default - no L2 tier: only the in-process cache
   */
  readonly distributedCache?: KubernetesDistributedCache;
  /**
   * Time to live of entries the service writes to the distributed (L2) cache, 1 second to 7 days
   * (`CACHE_L2_TTL_SECONDS`). Only with {@link distributedCache}.
   * @default 1800 - the L2 tier of the README's "Tiered caching" table, as the AWS path
   */
  readonly cacheL2TtlSeconds?: number;
  /**
   * OTLP/HTTP endpoint of an OpenTelemetry collector the service sends traces to (`OTEL_EXPORTER_OTLP_ENDPOINT`),
   * e.g. `http://otel-collector.monitoring.svc:4318`; a NetworkPolicy lets the pods reach its port.
   * @default - no tracing export
   */
  readonly otlpEndpoint?: string;
  /**
   * Feature flags from a ConfigMap: `<service>-flags` holds `flags.json` (the evaluated-flags document, every
   * operational flag off), mounted read-only at `/etc/platform/flags`; the container gets
   * `FLAGS_URL=file:///etc/platform/flags/flags.json` and reads it through the same OpenFeature provider as the AppConfig
   * agent's URL on AWS. Switch a flag by editing the ConfigMap (the kubelet refreshes the file within about a minute).
   * @default false - no flags: every flag of the reference service stays off
   */
  readonly featureFlags?: boolean;
}
