import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { PART_OF } from '../objects';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IService } from 'kubernetes-models/v1/Service';
import type { ContainerLimits } from '../../observability/golden-signals';
import type { ResolvedServiceProps } from './service-props';
import { containerEnv, FLAGS_FILE_NAME, FLAGS_MOUNT_PATH } from './service-env';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { evaluatedFlags } from '../../release/flags';

/** Port name of the container and the Service (the ServiceMonitor scrapes it). */
export const HTTP_PORT_NAME = 'http';
/** Seconds the preStop hook waits, so endpoints and load balancers stop sending before the process gets SIGTERM. */
export const PRE_STOP_SLEEP_SECONDS = 5;
/** UID/GID the service runs as: non-root, the reference image's `USER 1000:1000` (the node images' `node` user). */
export const SERVICE_UID = 1000;

/**
 * The container's limits as the Deployment renders them (CPU in whole millicores, memory in MiB): what its
 * saturation alerts and dashboards divide by.
 */
export function containerLimits(p: ResolvedServiceProps): ContainerLimits {
  return { cpuCores: Math.round(p.cpuLimitCores * 1000) / 1000, memoryBytes: p.memoryLimitMiB * 1024 ** 2 };
}

/** The selector labels of the service's pods. */
export function selectorLabels(p: ResolvedServiceProps): Record<string, string> {
  return { 'app.kubernetes.io/name': p.service };
}

/** Labels of every object of the service. */
export function serviceLabels(p: ResolvedServiceProps): Record<string, string> {
  return { ...selectorLabels(p), ...PART_OF };
}

function meta(p: ResolvedServiceProps): { name: string; namespace: string; labels: Record<string, string> } {
  return { name: p.service, namespace: p.namespace, labels: serviceLabels(p) };
}

/**
 * The Deployment: no `replicas` (the HorizontalPodAutoscaler owns it, as the Kubernetes docs advise, so an apply
 * never scales the service down), surge-only rolling updates, spread over zones (hard) and nodes (soft), probes,
 * requests and limits, a non-root read-only container and graceful termination. The environment is
 * {@link containerEnv}'s.
 */
export function deployment(p: ResolvedServiceProps): IDeployment {
  const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({
    httpGet: { path, port: HTTP_PORT_NAME }, periodSeconds, timeoutSeconds: 2, failureThreshold,
  });
  const spread = (topologyKey: string, whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway') => ({
    maxSkew: 1, topologyKey, whenUnsatisfiable, labelSelector: { matchLabels: selectorLabels(p) }, matchLabelKeys: ['pod-template-hash'],
  });
  const limits = containerLimits(p);
  const cpuLimitMilli = Math.round(limits.cpuCores * 1000);
  const memoryMiB = limits.memoryBytes / 1024 ** 2;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(p),
    spec: {
      revisionHistoryLimit: 10,
      selector: { matchLabels: selectorLabels(p) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: {
        metadata: { labels: serviceLabels(p) },
        spec: {
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: p.terminationGracePeriodSeconds,
          securityContext: {
            runAsNonRoot: true, runAsUser: SERVICE_UID, runAsGroup: SERVICE_UID, fsGroup: SERVICE_UID,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          topologySpreadConstraints: [spread('topology.kubernetes.io/zone', 'DoNotSchedule'), spread('kubernetes.io/hostname', 'ScheduleAnyway')],
          containers: [{
            name: p.service,
            image: p.image,
            ports: [{ name: HTTP_PORT_NAME, containerPort: p.port, protocol: 'TCP' }],
            env: containerEnv(p),
            startupProbe: probe('/health', 2, 30),
            livenessProbe: probe('/health', 10, 3),
            readinessProbe: probe('/ready', 5, 3),
            resources: {
              requests: { cpu: `${Math.round(cpuLimitMilli / 2)}m`, memory: `${memoryMiB}Mi` },
              limits: { cpu: `${cpuLimitMilli}m`, memory: `${memoryMiB}Mi` },
            },
            securityContext: {
              allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true,
              capabilities: { drop: ['ALL'] },
            },
            lifecycle: { preStop: { sleep: { seconds: PRE_STOP_SLEEP_SECONDS } } },
            volumeMounts: [
              { name: 'tmp', mountPath: '/tmp' },
              ...(p.featureFlags ? [{ name: 'flags', mountPath: FLAGS_MOUNT_PATH, readOnly: true }] : []),
            ],
          }],
          volumes: [
            { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
            ...(p.featureFlags ? [{ name: 'flags', configMap: { name: flagsConfigMapName(p) } }] : []),
          ],
        },
      },
    },
  };
}

/** At most one pod down at a time for voluntary disruptions (node drains, upgrades). */
export function podDisruptionBudget(p: ResolvedServiceProps): IPodDisruptionBudget {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta(p),
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(p) }, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
  };
}

/** CPU target tracking: fast scale-up, scale-down after a 5-minute stabilization window and by at most 25% a minute. */
export function horizontalPodAutoscaler(p: ResolvedServiceProps): IHorizontalPodAutoscaler {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta(p),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: p.service },
      minReplicas: p.minReplicas,
      maxReplicas: p.maxReplicas,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: p.targetCpuUtilization } } }],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: 'Percent', value: 100, periodSeconds: 30 }] },
        scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 25, periodSeconds: 60 }] },
      },
    },
  };
}

/** ClusterIP Service on port 80 to the container's `http` port; the ServiceMonitor scrapes through it. */
export function service(p: ResolvedServiceProps): IService {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(p),
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(p),
      ports: [{ name: HTTP_PORT_NAME, port: 80, targetPort: HTTP_PORT_NAME, protocol: 'TCP' }],
    },
  };
}

/** Name of the flags ConfigMap of the service. */
export function flagsConfigMapName(p: ResolvedServiceProps): string {
  return `${p.service}-flags`;
}

/**
 * The feature flags of the service: `flags.json`, the evaluated-flags document (every operational flag off), mounted
 * as a directory (not `subPath`) so the kubelet refreshes the file when the ConfigMap changes.
 */
export function flagsConfigMap(p: ResolvedServiceProps): IConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: flagsConfigMapName(p), namespace: p.namespace, labels: serviceLabels(p) },
    data: { [FLAGS_FILE_NAME]: `${JSON.stringify(evaluatedFlags(), null, 2)}\n` },
  };
}
