import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { KubernetesSecretKeyRef } from '../data-path-props';
import type { ResolvedServiceProps } from './service-props';

/** Where the flags ConfigMap is mounted, and the file the service reads. */
export const FLAGS_MOUNT_PATH = '/etc/platform/flags';
export const FLAGS_FILE_NAME = 'flags.json';

const value = (name: string, v: string | number | boolean): IEnvVar => ({ name, value: String(v) });
const secret = (name: string, ref: KubernetesSecretKeyRef): IEnvVar => ({ name, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } } });

/**
 * The container's environment, under the names the reference service reads (reference-service/src/config.ts
 * `ENV_VARS`; DESIGN.md "The workload's settings"): `PORT`, `SERVICE_NAME` and `OTEL_SERVICE_NAME` (the OpenTelemetry
 * SDKs' standard variable, for images other than the reference service) always; `OTEL_EXPORTER_OTLP_ENDPOINT` with
 * a collector; `FLAGS_URL` (the mounted flags file) with feature flags; with a database the `DB_*` variables (password
 * sign-in: `DB_IAM_AUTH=false`, `DB_PASSWORD` from its
 * Secret), the L1 settings, and the `CACHE_L2_*` variables with a distributed cache (`CACHE_L2_PASSWORD` from its
 * Secret). The same list for both engines: the Deployment of the ServiceChart and of the PlatformService.
 */
export function containerEnv(p: ResolvedServiceProps): IEnvVar[] {
  const env: IEnvVar[] = [value('PORT', p.port), value('OTEL_SERVICE_NAME', p.service), value('SERVICE_NAME', p.service)];
  if (p.otlp) env.push(value('OTEL_EXPORTER_OTLP_ENDPOINT', p.otlp.url));
  if (p.featureFlags) env.push(value('FLAGS_URL', `file://${FLAGS_MOUNT_PATH}/${FLAGS_FILE_NAME}`));
  const d = p.dataPath;
  if (!d) return env;
  const db = d.database;
  env.push(
    value('DB_ENDPOINT', db.endpoint),
    value('DB_READ_ONLY_ENDPOINT', db.readOnlyEndpoint),
    value('DB_PORT', db.port),
    value('DB_NAME', db.name),
    value('DB_USER', db.user),
    value('DB_IAM_AUTH', false),
    value('DB_TLS', db.tlsMode),
    secret('DB_PASSWORD', db.passwordSecret),
    value('CACHE_L1_TTL_SECONDS', d.l1TtlSeconds),
    value('CACHE_L1_MAX_ITEMS', d.l1MaxItems),
  );
  const l2 = d.l2;
  if (!l2) return env;
  env.push(
    value('CACHE_L2_ENDPOINT', l2.endpoint),
    value('CACHE_L2_PORT', l2.port),
    value('CACHE_L2_TLS', l2.tls),
    value('CACHE_L2_CLUSTER_MODE', l2.clusterMode),
    value('CACHE_L2_TTL_SECONDS', l2.ttlSeconds),
  );
  if (l2.username !== undefined) env.push(value('CACHE_L2_USERNAME', l2.username));
  if (l2.passwordSecret) env.push(secret('CACHE_L2_PASSWORD', l2.passwordSecret));
  return env;
}

/**
 * TCP ports the pods reach besides DNS: the database, the L2 cache and the OTLP collector, deduplicated, in that
 * order. The NetworkPolicy `allow-dependencies` opens them (by port: a policy cannot select a DNS name).
 */
export function dependencyPorts(p: ResolvedServiceProps): number[] {
  const ports = [p.dataPath?.database.port, p.dataPath?.l2?.port, p.otlp?.port].filter((x): x is number => x !== undefined);
  return [...new Set(ports)];
}
