import * as pulumi from '@pulumi/pulumi';
import { Testing } from 'cdk8s';
import { MonitoringStackChart, ServiceChart } from '../../constructs/k8s';
import { MonitoringStack, PlatformService } from '../../constructs/pulumi';
import { DATA_PATH, monitoringProps, serviceProps } from '../k8s/helpers';
import type { Manifest } from '../k8s/helpers';

/** What the mocked engine was asked to create: type token, name, inputs. */
interface Created { readonly type: string; readonly name: string; readonly inputs: Record<string, unknown> }
const created: Created[] = [];

beforeAll(() => {
  pulumi.runtime.setMocks({
    newResource: (args) => {
      created.push({ type: args.type, name: args.name, inputs: args.inputs });
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => args.inputs,
  }, 'platform-stacks', 'test', false);
});

/** Resolves an Output (the mocks resolve every output). */
function value<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply(resolve));
}

/** Marker of a secret value in the mocks' inputs (Pulumi's secret signature); the Secret's stringData is one. */
const SECRET_SIG = '4dabf18193072939515e22adb298388d';

/** Secrets unwrapped and keys sorted recursively, so objects compare regardless of key order. */
function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === 'object' && SECRET_SIG in v) return normalize((v as unknown as { value: unknown }).value);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, normalize(x)]));
  return v;
}

/** The inputs of the children of `prefix` as Kubernetes objects (apiVersion, kind, metadata, the rest). */
async function childrenOf(prefix: string, resources: Readonly<Record<string, pulumi.CustomResource>>): Promise<Manifest[]> {
  await Promise.all(Object.values(resources).map((r) => value(r.urn)));
  return Object.keys(resources).map((id) => {
    const c = created.find((x) => x.name === `${prefix}-${id}`);
    if (!c) throw new Error(`no resource ${prefix}-${id}`);
    return normalize(c.inputs) as Manifest;
  });
}

describe('PlatformService', () => {
  test('creates the ServiceChart\'s objects as children, identical to the cdk8s rendering', async () => {
    const svc = new PlatformService('checkout', serviceProps());
    const children = await childrenOf('checkout', svc.resources);
    expect(Object.keys(svc.resources).map((id) => created.find((c) => c.name === `checkout-${id}`)?.type)).toEqual([
      'kubernetes:apps/v1:Deployment', 'kubernetes:policy/v1:PodDisruptionBudget', 'kubernetes:autoscaling/v2:HorizontalPodAutoscaler',
      'kubernetes:core/v1:Service', 'kubernetes:networking.k8s.io/v1:NetworkPolicy', 'kubernetes:networking.k8s.io/v1:NetworkPolicy',
      'kubernetes:networking.k8s.io/v1:NetworkPolicy', 'kubernetes:networking.k8s.io/v1:NetworkPolicy',
      'kubernetes:monitoring.coreos.com/v1:ServiceMonitor', 'kubernetes:monitoring.coreos.com/v1:PrometheusRule',
    ]);
    const hpa = children.find((c) => c.kind === 'HorizontalPodAutoscaler');
    expect(hpa?.spec).toMatchObject({ minReplicas: 3, maxReplicas: 20 });
    const cdk8s = Testing.synth(new ServiceChart(Testing.app(), 'checkout', serviceProps())).map(normalize);
    expect(children).toEqual(cdk8s);
    expect(await value(svc.serviceName)).toBe('checkout');
  });

  test('children have the component as parent', async () => {
    const svc = new PlatformService('parented', serviceProps());
    const parentUrn = await value(svc.urn);
    const childUrn = await value(svc.resources.Deployment.urn);
    expect(childUrn).toContain(`${PlatformService.TYPE}$kubernetes:apps/v1:Deployment::parented-Deployment`);
    expect(parentUrn).toContain(`${PlatformService.TYPE}::parented`);
  });

  test('renders the data path like the chart: the same env (passwords from their Secrets) and the egress NetworkPolicy', async () => {
    const svc = new PlatformService('withdata', serviceProps(DATA_PATH));
    const children = await childrenOf('withdata', svc.resources);
    expect(Object.keys(svc.resources)).toContain('AllowDependencies');
    const env = children.find((c) => c.kind === 'Deployment')?.spec.template.spec.containers[0].env as Array<{ name: string; valueFrom?: unknown }>;
    expect(env.find((v) => v.name === 'DB_PASSWORD')?.valueFrom).toEqual({ secretKeyRef: { key: 'password', name: 'checkout-db' } });
    const cdk8s = Testing.synth(new ServiceChart(Testing.app(), 'checkout', serviceProps(DATA_PATH))).map(normalize);
    expect(children).toEqual(cdk8s);
  });

  test('validates like the chart', () => {
    expect(() => new PlatformService('bad', serviceProps({ minReplicas: 2 })))
      .toThrow('PlatformService(bad): minReplicas (2) is below 3, the fewest that survive a zone outage with a pod down: set minReplicas to 3 or more');
    expect(() => new PlatformService('bad', serviceProps({ database: { ...DATA_PATH.database, endpoint: 'postgres://db' } })))
      .toThrow('PlatformService(bad): database.endpoint (\'postgres://db\') has a scheme: pass the host name only, e.g. \'postgres.checkout.svc\' (the port is database.port)');
  });
});

describe('MonitoringStack', () => {
  test('creates the MonitoringStackChart\'s objects as children, identical to the cdk8s rendering', async () => {
    const stack = new MonitoringStack('monitoring', monitoringProps());
    const children = await childrenOf('monitoring', stack.resources);
    expect(children.map((c) => `${c.kind}/${c.metadata.name}`)).toContain('Prometheus/platform');
    expect(children.find((c) => c.kind === 'Alertmanager')?.spec.replicas).toBe(3);
    const secret = children.find((c) => c.kind === 'Secret');
    expect(secret?.stringData['alertmanager.yaml']).toBe(monitoringProps().alertmanagerConfig.render());
    const cdk8s = Testing.synth(new MonitoringStackChart(Testing.app(), 'monitoring', monitoringProps())).map(normalize);
    expect(children).toEqual(cdk8s);
    expect(await value(stack.grafanaUrl)).toBe('http://grafana.monitoring.svc:3000');
  });
});
