/**
 * DESIGN.md "The workload's settings": every environment variable or secret the stacks and charts hand the
 * reference service's container is read by the service, and every variable the service reads for the platform is
 * provided. The other variables it reads are operator knobs (fault injection, shutdown timing, test time scale, pool
 * and admission limits, extra CA files) whose defaults apply on the platform.
 */
import { RESILIENCE_METRICS } from '../../constructs/core/observability/resilience';
import { ENV_VARS, optionsFromEnv } from '../../reference-service/src';
import { METRICS } from '../../reference-service/src/metrics';
import type { EnvVar } from '../../reference-service/src';
import { sharedReferenceApp } from '../helpers/reference-app';
import { DATA_PATH, one, synthService } from '../k8s/helpers';
import type { Manifest } from '../k8s/helpers';

const READ = new Set<string>(Object.keys(ENV_VARS));
const PLATFORM = Object.entries(ENV_VARS).filter(([, source]) => source === 'platform').map(([name]) => name).sort();

/** What every engine passes for the data path: endpoints, TLS, the two cache tiers (reference-service/README.md). */
const DATA_PATH_VARS = [
  'DB_ENDPOINT', 'DB_READ_ONLY_ENDPOINT', 'DB_PORT', 'DB_NAME', 'DB_USER', 'DB_TLS',
  'CACHE_L1_TTL_SECONDS', 'CACHE_L1_MAX_ITEMS',
  'CACHE_L2_ENDPOINT', 'CACHE_L2_PORT', 'CACHE_L2_TLS', 'CACHE_L2_CLUSTER_MODE', 'CACHE_L2_TTL_SECONDS',
];

/** Database credentials: an IAM auth token (RDS Proxy; signed for AWS_REGION) or a password secret. */
function credentialsOf(names: readonly string[]): 'iam' | 'password' | 'none' {
  if (names.includes('DB_IAM_AUTH') && names.includes('AWS_REGION')) return 'iam';
  return names.includes('DB_PASSWORD') ? 'password' : 'none';
}

interface ContainerDefinition {
  readonly Name: string;
  readonly Environment?: ReadonlyArray<{ Name: string; Value?: string }>;
  readonly Secrets?: ReadonlyArray<{ Name: string }>;
}

/** Names of the variables and secrets the app container of each regional stack gets, by stack. */
function awsSettings(drTier: string): Record<string, string[]> {
  const { templates } = sharedReferenceApp({ drTier });
  const byStack: Record<string, string[]> = {};
  for (const [stack, template] of Object.entries(templates)) {
    for (const resource of Object.values(template.Resources)) {
      if (resource.Type !== 'AWS::ECS::TaskDefinition') continue;
      const app = (resource.Properties?.ContainerDefinitions as ContainerDefinition[]).find((c) => c.Name === 'App');
      if (!app) continue;
      byStack[stack] = [...(app.Environment ?? []), ...(app.Secrets ?? [])].map((v) => v.Name).sort();
    }
  }
  return byStack;
}

interface EnvVarSpec { readonly name: string; readonly value?: string; readonly valueFrom?: { secretKeyRef: { name: string; key: string } } }

/** The env of the Deployment's container. */
function k8sEnv(manifests: Manifest[]): EnvVarSpec[] {
  return (one(manifests, 'Deployment').spec.template.spec.containers as Array<{ env?: EnvVarSpec[] }>)[0].env ?? [];
}

/** The environment the pod starts with: values as given, each Secret key as a stand-in `<secret>/<key>`. */
function podEnv(env: EnvVarSpec[]): Record<string, string> {
  return Object.fromEntries(env.map((v) => [v.name, v.value ?? `${v.valueFrom?.secretKeyRef.name}/${v.valueFrom?.secretKeyRef.key}`]));
}

describe('the reference service reads what the platform passes, and nothing it does not', () => {
  test('reading goes through the declared list: a recording environment sees only declared names', () => {
    const seen = new Set<string>();
    const env = new Proxy({}, { get: (_t, key) => { if (typeof key === 'string') seen.add(key); return undefined; } });
    optionsFromEnv(env);
    expect([...seen].filter((name) => !READ.has(name))).toEqual([]);
    expect([...seen].sort()).toEqual([...READ].sort());
  });

  test.each(['pilot-light', 'warm-standby', 'active-active'])('AWS (%s): each regional task passes the data path settings, all read by the service', (drTier) => {
    const settings = awsSettings(drTier);
    const { ref } = sharedReferenceApp({ drTier });
    expect(Object.keys(settings).sort()).toEqual(['checkout-primary', 'checkout-secondary']);
    for (const [stack, names] of Object.entries(settings)) {
      // The L2 settings where the region runs a cache (a pilot-light standby has none until failover).
      const hasCache = stack === 'checkout-primary' ? ref.platform.primary.cache !== undefined : ref.platform.secondary?.cache !== undefined;
      const expected = ['PORT', 'SERVICE_NAME', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'FLAGS_URL', ...DATA_PATH_VARS, 'CACHE_L2_USERNAME', 'CACHE_L2_PASSWORD']
        .filter((n) => hasCache || !n.startsWith('CACHE_L2_'));
      expect({ stack, unread: names.filter((n) => !READ.has(n)) }).toEqual({ stack, unread: [] });
      expect({ stack, missing: expected.filter((n) => !names.includes(n)) }).toEqual({ stack, missing: [] });
      expect({ stack, credentials: credentialsOf(names) }).toEqual({ stack, credentials: 'iam' });
    }
  });

  test('the passed port is the container port the load balancer targets (-c containerPort)', () => {
    const { templates } = sharedReferenceApp({ containerPort: '9090' });
    const task = Object.values(templates['checkout-primary'].Resources).find((r) => r.Type === 'AWS::ECS::TaskDefinition');
    const app = (task?.Properties?.ContainerDefinitions as Array<ContainerDefinition & { PortMappings: Array<{ ContainerPort: number }> }>)
      .find((c) => c.Name === 'App');
    expect(app?.Environment?.find((v) => v.Name === 'PORT')?.Value).toBe('9090');
    expect(app?.PortMappings[0].ContainerPort).toBe(9090);
  });

  test('Kubernetes (ServiceChart and PlatformService, one builder): a full data path and flags pass every platform setting but AWS_REGION', () => {
    const names = k8sEnv(synthService({ ...DATA_PATH, featureFlags: true })).map((v) => v.name);
    expect(names.filter((n) => !READ.has(n))).toEqual([]);
    // No IAM auth in-cluster: the password from a Secret, so no region to sign tokens for.
    expect([...names].sort()).toEqual(PLATFORM.filter((n) => n !== 'AWS_REGION'));
    expect(names).toEqual(expect.arrayContaining(['PORT', 'SERVICE_NAME', 'OTEL_EXPORTER_OTLP_ENDPOINT', ...DATA_PATH_VARS, 'CACHE_L2_USERNAME', 'CACHE_L2_PASSWORD']));
    expect(credentialsOf(names)).toBe('password');
  });

  test('Kubernetes: without a data path the Deployment passes only settings the service reads, and the service runs without one', () => {
    const env = k8sEnv(synthService());
    expect(env.map((v) => v.name).sort()).toEqual(['OTEL_SERVICE_NAME', 'PORT', 'SERVICE_NAME']);
    const options = optionsFromEnv(podEnv(env));
    expect(options).toMatchObject({ port: 8080, serviceName: 'checkout' });
    expect([options.database, options.cache]).toEqual([undefined, undefined]);
  });

  test('Kubernetes: the service starts with what the chart passes and reads each value as given', () => {
    const options = optionsFromEnv(podEnv(k8sEnv(synthService(DATA_PATH))));
    expect(options).toMatchObject({
      port: 8080,
      serviceName: 'checkout',
      otlpEndpoint: 'http://otel-collector.monitoring.svc:4318',
      database: {
        endpoint: 'postgres.checkout.svc', readOnlyEndpoint: 'postgres-ro.checkout.svc', port: 5432, database: 'postgres', user: 'checkout',
        password: 'checkout-db/password', iamAuth: false, tls: true,
      },
      cache: {
        l1TtlSeconds: 300, l1MaxItems: 10_000,
        l2: { endpoint: 'valkey.checkout.svc', port: 6379, tls: true, clusterMode: false, ttlSeconds: 1800, username: 'checkout', password: 'checkout-cache/password' },
      },
    });
    const plain = optionsFromEnv(podEnv(k8sEnv(synthService({
      database: { ...DATA_PATH.database, tlsMode: 'disable', port: 6432 }, distributedCache: { endpoint: 'valkey', tls: false, clusterMode: true },
    }))));
    expect(plain.database).toMatchObject({ tls: false, port: 6432 });
    expect(plain.cache?.l2).toMatchObject({ tls: false, clusterMode: true, username: undefined, password: undefined });
  });

  test('the flags: on AWS the AppConfig agent of the task, on Kubernetes the mounted ConfigMap file; the service reads either', () => {
    const { templates } = sharedReferenceApp({ drTier: 'warm-standby' });
    for (const [stack, region] of [['checkout-primary', 'eu-west-1'], ['checkout-secondary', 'eu-central-1']]) {
      const task = Object.values(templates[stack].Resources).find((r) => r.Type === 'AWS::ECS::TaskDefinition');
      const containers = task?.Properties?.ContainerDefinitions as ContainerDefinition[];
      const url = containers.find((c) => c.Name === 'App')?.Environment?.find((v) => v.Name === 'FLAGS_URL')?.Value;
      expect(url).toBe(`http://localhost:2772/applications/checkout/environments/${region}/configurations/feature-flags`);
      const agent = containers.find((c) => c.Name === 'AppConfigAgent');
      expect(agent?.Environment?.find((v) => v.Name === 'PREFETCH_LIST')?.Value).toBe(`/applications/checkout/environments/${region}/configurations/feature-flags`);
      expect(optionsFromEnv({ FLAGS_URL: url }).flagsUrl).toBe(url);
    }
    const k8s = podEnv(k8sEnv(synthService({ ...DATA_PATH, featureFlags: true })));
    expect(optionsFromEnv(k8s).flagsUrl).toBe('file:///etc/platform/flags/flags.json');
  });

  test('every platform variable the service reads is passed by an engine (AWS or Kubernetes)', () => {
    const aws = awsSettings('warm-standby')['checkout-primary'];
    const k8s = k8sEnv(synthService(DATA_PATH)).map((v) => v.name);
    expect([...new Set([...aws, ...k8s])].sort()).toEqual(PLATFORM);
  });

  test('operator knobs are unset on the platform and have defaults', () => {
    const operator = Object.entries(ENV_VARS).filter(([, source]) => source === 'operator').map(([name]) => name as EnvVar);
    expect(operator.length).toBeGreaterThan(0);
    expect(() => optionsFromEnv({})).not.toThrow();
  });
});

describe('the alerts read the metrics the service exports', () => {
  test('every metric name the core resilience alerts and panels use is a metric of the reference service', () => {
    const exported = new Set<string>(Object.values(METRICS));
    expect(Object.values(RESILIENCE_METRICS).filter((name) => !exported.has(name))).toEqual([]);
  });
});
