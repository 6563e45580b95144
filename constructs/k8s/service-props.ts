import type { Slo } from '../core/observability/slo';

/**
 * Props of a service on Kubernetes, shared by the cdk8s {@link ServiceChart} and the Pulumi `PlatformService`:
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
  readonly runbookBaseUrl?: string;
}
