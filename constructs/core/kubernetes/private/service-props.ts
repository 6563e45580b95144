import { PlatformValidationError } from '../../errors';
import { DEFAULT_RUNBOOK_BASE_URL } from '../../runbooks';
import { requireIntegerInRange, requireMinNotAboveMax, requireNumberInRange } from '../../validate';
import type { Slo } from '../../observability/slo';
import type { KubernetesServiceProps } from '../service-props';
import { requireDnsLabel } from '../objects';
import { resolveDataPath, resolveOtlpEndpoint } from './validate-data-path';
import type { ResolvedDataPath } from './validate-data-path';

/** {@link KubernetesServiceProps} with every default applied. */
export interface ResolvedServiceProps {
  readonly service: string;
  readonly image: string;
  readonly slos: readonly Slo[];
  readonly latencyThreshold: number;
  readonly namespace: string;
  readonly port: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly targetCpuUtilization: number;
  readonly cpuLimitCores: number;
  readonly memoryLimitMiB: number;
  readonly terminationGracePeriodSeconds: number;
  readonly ingressNamespace: string;
  readonly monitoringNamespace: string;
  readonly prometheusName: string;
  readonly runbookBaseUrl: string;
  /** The database and both cache tiers; undefined without `database`. */
  readonly dataPath?: ResolvedDataPath;
  /** The collector's OTLP/HTTP endpoint and its TCP port; undefined without `otlpEndpoint`. */
  readonly otlp?: { readonly url: string; readonly port: number };
  /** Whether the flags ConfigMap is rendered and mounted. */
  readonly featureFlags: boolean;
}

/** Validates `props` (errors name `where`, the prop, the value and the fix) and applies the defaults. */
export function resolveServiceProps(where: string, props: KubernetesServiceProps): ResolvedServiceProps {
  requireDnsLabel(where, 'service', props.service, 63);
  if (props.image.trim() === '' || /\s/.test(props.image)) {
    throw new PlatformValidationError(where, 'image', props.image, 'is not a container image reference',
      'use an image such as \'ghcr.io/acme/checkout:1.4.2\'');
  }
  if (props.slos.length === 0) {
    throw new PlatformValidationError(where, 'slos', [], 'is empty', 'pass the service\'s SLOs (e.g. serviceObjectives(service).slos)');
  }
  for (const slo of props.slos) {
    if (slo.service !== props.service) {
      throw new PlatformValidationError(where, 'slos', slo.name, `is an SLO of service '${slo.service}', not of '${props.service}'`,
        `pass only SLOs declared with service: '${props.service}'`);
    }
  }
  const latency = props.slos.find((s) => s.kind === 'latency');
  if (!latency || latency.threshold === undefined) {
    throw new PlatformValidationError(where, 'slos', props.slos.map((s) => s.name), 'has no latency SLO',
      'add a Slo.latency({ service, threshold, target }): its threshold is the p99 alert threshold');
  }
  const r: ResolvedServiceProps = {
    service: props.service,
    image: props.image,
    slos: props.slos,
    latencyThreshold: latency.threshold,
    namespace: props.namespace ?? 'default',
    port: props.port ?? 8080,
    minReplicas: props.minReplicas ?? 3,
    maxReplicas: props.maxReplicas ?? 20,
    targetCpuUtilization: props.targetCpuUtilization ?? 70,
    cpuLimitCores: props.cpuLimitCores ?? 1,
    memoryLimitMiB: props.memoryLimitMiB ?? 2048,
    terminationGracePeriodSeconds: props.terminationGracePeriodSeconds ?? 30,
    ingressNamespace: props.ingressNamespace ?? 'ingress-nginx',
    monitoringNamespace: props.monitoringNamespace ?? 'monitoring',
    prometheusName: props.prometheusName ?? 'platform',
    runbookBaseUrl: props.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL,
    dataPath: resolveDataPath(where, props),
    otlp: resolveOtlpEndpoint(where, props.otlpEndpoint),
    featureFlags: props.featureFlags ?? false,
  };
  for (const prop of ['namespace', 'ingressNamespace', 'monitoringNamespace', 'prometheusName'] as const) requireDnsLabel(where, prop, r[prop]);
  requireIntegerInRange(where, 'port', r.port, 1024, 65535);
  if (r.minReplicas < 3) {
    throw new PlatformValidationError(where, 'minReplicas', r.minReplicas, 'is below 3, the fewest that survive a zone outage with a pod down',
      'set minReplicas to 3 or more');
  }
  requireIntegerInRange(where, 'minReplicas', r.minReplicas, 3, 1000);
  requireIntegerInRange(where, 'maxReplicas', r.maxReplicas, 1, 1000);
  requireMinNotAboveMax(where, 'minReplicas', r.minReplicas, 'maxReplicas', r.maxReplicas);
  requireIntegerInRange(where, 'targetCpuUtilization', r.targetCpuUtilization, 10, 95);
  requireNumberInRange(where, 'cpuLimitCores', r.cpuLimitCores, 0.125, 64);
  requireIntegerInRange(where, 'memoryLimitMiB', r.memoryLimitMiB, 64, 262144);
  if (r.terminationGracePeriodSeconds <= 5 || !Number.isInteger(r.terminationGracePeriodSeconds) || r.terminationGracePeriodSeconds > 3600) {
    throw new PlatformValidationError(where, 'terminationGracePeriodSeconds', r.terminationGracePeriodSeconds,
      'must be a whole number of seconds above the 5-second preStop wait and at most 3600', 'set it to 30 or more');
  }
  if (!/^https?:\/\/\S+$/.test(r.runbookBaseUrl)) {
    throw new PlatformValidationError(where, 'runbookBaseUrl', r.runbookBaseUrl, 'is not an http(s) URL',
      'use the URL runbooks/ is served under, e.g. DEFAULT_RUNBOOK_BASE_URL');
  }
  return r;
}
