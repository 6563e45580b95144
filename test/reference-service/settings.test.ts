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
import { one, synthService } from '../k8s/helpers';

const READ = new Set<string>(Object.keys(ENV_VARS));
const PLATFORM = Object.entries(ENV_VARS).filter(([, source]) => source === 'platform').map(([name]) => name).sort();

/** What every engine passes for the data path: endpoints, TLS, the two cache tiers (reference-service/README.md). */
const DATA_PATH = [
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
      const expected = ['PORT', 'SERVICE_NAME', 'OTEL_EXPORTER_OTLP_ENDPOINT', ...DATA_PATH, 'CACHE_L2_USERNAME', 'CACHE_L2_PASSWORD']
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

  test('Kubernetes: the Deployment passes only settings the service reads (no data path yet: the service runs without one)', () => {
    const deployment = one(synthService(), 'Deployment');
    const container = (deployment.spec.template.spec.containers as Array<{ env?: Array<{ name: string }> }>)[0];
    const names = (container.env ?? []).map((v) => v.name).sort();
    expect(names).toEqual(['OTEL_SERVICE_NAME', 'PORT']);
  });

  test('every platform variable the service reads is passed by an engine (AWS or Kubernetes)', () => {
    const aws = awsSettings('warm-standby')['checkout-primary'];
    const k8s = ((one(synthService(), 'Deployment').spec.template.spec.containers as Array<{ env?: Array<{ name: string }> }>)[0].env ?? []).map((v) => v.name);
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
