/**
 * A team composes its own two-region platform from the library alone (the package's public API): its own service,
 * image, SLOs and stack IDs, at every DR tier. The stacks, their regions, their deploy order and the standby's size
 * are the library's, not copied from the reference app.
 */
import type { App, Stack } from 'aws-cdk-lib';
import { Annotations, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { DRILLS, DrTier, MultiRegionPlatform, Slo, StackOutput, secondaryRegionShape } from '../../../constructs';
import type { MultiRegionPlatformProps, PlatformStackRole } from '../../../constructs';
import { testApp } from '../../helpers/test-stack';

const STACK_IDS: Record<PlatformStackRole, string> = {
  'primary-base': 'OrdersNetworkEU1',
  'secondary-base': 'OrdersNetworkEU2',
  primary: 'OrdersEU1',
  secondary: 'OrdersEU2',
  global: 'OrdersEdge',
  baseline: 'AccountBaseline',
  'primary-baseline': 'AccountBaselineEU1',
  'secondary-baseline': 'AccountBaselineEU2',
};

/** The stacks every platform has (the account baseline is opt-in). */
const APP_STACK_IDS = Object.values(STACK_IDS).filter((id) => !id.startsWith('AccountBaseline'));

const props = (overrides: Partial<MultiRegionPlatformProps> = {}): MultiRegionPlatformProps => ({
  service: 'orders',
  account: '123456789012',
  primaryRegion: { region: 'eu-west-1' },
  secondaryRegion: { region: 'eu-north-1', availabilityZones: ['eu-north-1a', 'eu-north-1b'] },
  slos: [
    Slo.availability({ service: 'orders', target: 0.995, periodDays: 28 }),
    Slo.latency({ service: 'orders', threshold: 0.5, target: 0.95, periodDays: 28 }),
  ],
  image: ecs.ContainerImage.fromRegistry('ghcr.io/acme/orders:1.4.2'),
  containerPort: 9000,
  environment: { FEATURE_X: 'on' },
  stackIds: STACK_IDS,
  capacity: { min: 4, max: 12 },
  ...overrides,
});

const built = new Map<DrTier, { app: App; platform: MultiRegionPlatform }>();
/** The consumer's platform at `tier` (STACK_IDS), built once per file: the synthesis is the slow part. */
function platformAt(tier: DrTier): { app: App; platform: MultiRegionPlatform } {
  let entry = built.get(tier);
  if (!entry) {
    const app = testApp();
    entry = { app, platform: new MultiRegionPlatform(app, props({ drTier: tier })) };
    built.set(tier, entry);
  }
  return entry;
}

/** Direct dependencies of every stack of the synthesized assembly, by stack ID. */
function deployOrder(app: App): Record<string, string[]> {
  const assembly = app.synth();
  return Object.fromEntries(assembly.stacks.map((s) => [s.id, s.dependencies.map((d) => d.id).filter((id) => !id.endsWith('.assets')).sort()]));
}

const ecsService = (stack: Stack) => Object.values(Template.fromStack(stack).findResources('AWS::ECS::Service'))[0] as {
  Properties: { DesiredCount?: number; TaskDefinition: unknown };
};

describe.each([
  [DrTier.BACKUP_RESTORE, false],
  [DrTier.PILOT_LIGHT, true],
  [DrTier.WARM_STANDBY, true],
  [DrTier.ACTIVE_ACTIVE, true],
])('MultiRegionPlatform at %s', (tier, hasSecondary) => {
  const { app, platform } = platformAt(tier);
  const order = deployOrder(app);

  test('builds the stacks under the consumer\'s IDs, in their regions, tagged with the service and the tier', () => {
    const expected = hasSecondary ? APP_STACK_IDS : APP_STACK_IDS.filter((id) => id !== STACK_IDS.secondary);
    expect(Object.keys(order).sort()).toEqual([...expected].sort());
    expect(platform.stacks.map((s) => s.stackName)).toEqual(expected);
    const regions = Object.fromEntries(platform.stacks.map((s) => [s.stackName, s.region]));
    expect(regions).toEqual({
      OrdersNetworkEU1: 'eu-west-1', OrdersNetworkEU2: 'eu-north-1', OrdersEU1: 'eu-west-1', OrdersEdge: 'us-east-1',
      ...(hasSecondary ? { OrdersEU2: 'eu-north-1' } : {}),
    });
    for (const stack of platform.stacks) {
      expect(stack.tags.tagValues()).toEqual(expect.objectContaining({ 'platform:service': 'orders', 'platform:dr-tier': tier.id }));
      expect(stack.account).toBe('123456789012');
      expect(stack.terminationProtection).toBe(true);
    }
    expect(platform.secondaryBase.availabilityZones).toEqual(['eu-north-1a', 'eu-north-1b']);
  });

  test('deploys in the order the resources need', () => {
    // Both bases first (networks, and the vaults the backup plans copy into); the primary after both.
    expect(order.OrdersNetworkEU1).toEqual([]);
    expect(order.OrdersNetworkEU2).toEqual([]);
    expect(order.OrdersEU1).toEqual(['OrdersNetworkEU1', 'OrdersNetworkEU2']);
    if (hasSecondary) {
      // The global secondary cluster joins the global cluster the primary stack creates; its plan copies to the primary base's vault.
      expect(order.OrdersEU2).toEqual(['OrdersEU1', 'OrdersNetworkEU1', 'OrdersNetworkEU2']);
      // The edge reads both regions' origin outputs.
      expect(order.OrdersEdge).toEqual(expect.arrayContaining(['OrdersEU1', 'OrdersEU2']));
    } else {
      expect(order.OrdersEdge).toEqual(expect.arrayContaining(['OrdersEU1']));
      expect(order.OrdersEdge).not.toContain('OrdersEU2');
    }
  });

  test('the service runs the consumer\'s image with the platform\'s settings and the consumer\'s extras', () => {
    const template = Template.fromStack(platform.primary);
    const task = Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0] as {
      Properties: {
        ContainerDefinitions: Array<{
          Image: unknown; PortMappings?: Array<{ ContainerPort: number }>; Environment?: Array<{ Name: string; Value: unknown }>;
        }>;
      };
    };
    const app = task.Properties.ContainerDefinitions.find((c) => c.Image === 'ghcr.io/acme/orders:1.4.2');
    expect(app?.PortMappings?.[0].ContainerPort).toBe(9000);
    const env = Object.fromEntries((app?.Environment ?? []).map((e) => [e.Name, e.Value]));
    expect(env).toEqual(expect.objectContaining({ FEATURE_X: 'on', SERVICE_NAME: 'orders', PORT: '9000', AWS_REGION: 'eu-west-1', DB_IAM_AUTH: 'true' }));
    expect(ecsService(platform.primary).Properties.DesiredCount).toBe(4);
  });

  test('alerts on the consumer\'s SLOs (99.5% over 28 days, not the reference 99.9% over 30)', () => {
    const alarms = Template.fromStack(platform.primary).findResources('AWS::CloudWatch::Alarm');
    const descriptions = Object.values(alarms).map((a) => String((a as { Properties: { AlarmDescription?: unknown } }).Properties.AlarmDescription ?? ''));
    // The 1h/5m page row: burn rate 14.4 scaled to a 28-day period (13.44) times the 0.5% budget.
    expect(descriptions.filter((d) => d.startsWith('[critical] orders-availability error ratio above 13.44x its budget (0.0672) over 1h'))).toHaveLength(1);
    expect(descriptions.filter((d) => d.includes('14.4x'))).toEqual([]);
  });

  test('sizes the secondary region from the tier and the primary\'s capacity', () => {
    const shape = secondaryRegionShape(tier, { min: 4, max: 12 });
    expect(shape !== undefined).toBe(hasSecondary);
    if (!platform.secondary || !shape) return;
    expect(ecsService(platform.secondary).Properties.DesiredCount ?? 0).toBe(shape.minCapacity);
    Template.fromStack(platform.secondary).hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ScalableDimension: 'ecs:service:DesiredCount', MinCapacity: shape.minCapacity, MaxCapacity: 12,
    });
    const cluster = Object.values(Template.fromStack(platform.secondary).findResources('AWS::RDS::DBCluster'))[0] as { Properties: Record<string, unknown> };
    expect(cluster.Properties.EnableGlobalWriteForwarding === true).toBe(tier === DrTier.ACTIVE_ACTIVE);
    expect(Template.fromStack(platform.secondary).findResources('AWS::ElastiCache::ReplicationGroup') !== undefined).toBe(true);
    expect(Object.keys(Template.fromStack(platform.secondary).findResources('AWS::ElastiCache::ReplicationGroup')).length).toBe(shape.cache ? 1 : 0);
  });
});

describe('MultiRegionPlatform writes the drill-to-stack contract', () => {
  test.each([DrTier.BACKUP_RESTORE, DrTier.ACTIVE_ACTIVE])('%s: every stack output a drill of the tier reads is written by the stack of its role', (tier) => {
    const { platform } = platformAt(tier);
    const byRole: Record<string, Stack | undefined> = {
      'primary-base': platform.primaryBase, 'secondary-base': platform.secondaryBase, primary: platform.primary, secondary: platform.secondary, global: platform.global,
    };
    const outputs = (stack: Stack) => Object.keys(Template.fromStack(stack).toJSON().Outputs ?? {});
    const read = DRILLS.filter((drill) => drill.tiers.includes(tier)).flatMap((drill) => drill.parameters)
      .filter((p) => p.source.kind === 'stack-output')
      .map((p) => ({ role: p.source.role as string, output: p.source.output as string }));
    expect(read.length).toBeGreaterThan(5);
    // At backup & restore the secondary application stack does not exist until the failover drill deploys it; the
    // outputs it reads from it then are those of a secondary region stack (checked at active/active).
    const missing = read.filter(({ role, output }) => byRole[role] ? !outputs(byRole[role]!).includes(output) : tier !== DrTier.BACKUP_RESTORE || role !== 'secondary');
    expect(missing).toEqual([]);
    // Every name read is one of the contract's names (the catalog's test pins the reader side).
    const names = Object.values(StackOutput) as string[];
    expect(read.filter(({ output }) => !names.includes(output))).toEqual([]);
  });
});

describe('MultiRegionPlatform: the drills name the consumer\'s global stack', () => {
  const documentsOf = (stack: Stack) => JSON.stringify(Template.fromStack(stack).findResources('AWS::SSM::Document'));

  test('with its own stack IDs, the failover drill redeploys the consumer\'s global stack', () => {
    const documents = documentsOf(platformAt(DrTier.PILOT_LIGHT).platform.secondary!);
    expect(documents).toContain('npx cdk deploy OrdersEdge -c drTier=pilot-light -c activeRegion=secondary --require-approval never');
    expect(documents).not.toContain('orders-global');
  });

  test('a redeployCommand prop is what the drills tell the operator to run', () => {
    const platform = new MultiRegionPlatform(testApp(), props({
      drTier: DrTier.PILOT_LIGHT, redeployCommand: (region) => `make deploy-edge ACTIVE=${region}`,
    }));
    expect(documentsOf(platform.secondary!)).toContain('make deploy-edge ACTIVE=secondary');
  });
});

describe('MultiRegionPlatform: the tier from the objectives, defaults, errors', () => {
  test('recovery objectives pick the cheapest tier that meets them', () => {
    const platform = new MultiRegionPlatform(testApp(), props({ recoveryObjectives: { rto: '15m', rpo: '1m' }, stackIds: undefined }));
    expect(platform.spec.drTier).toBe(DrTier.WARM_STANDBY);
    // Default stack IDs: <service>-<role>, what the drills name.
    expect(platform.stacks.map((s) => s.stackName)).toEqual(['orders-primary-base', 'orders-secondary-base', 'orders-primary', 'orders-secondary', 'orders-global']);
  });

  test('a runbookBaseUrl prop is what the alarms link to', () => {
    const platform = new MultiRegionPlatform(testApp(), props({ drTier: DrTier.BACKUP_RESTORE, runbookBaseUrl: 'https://git.acme.test/ops/blob/main' }));
    const alarms = Object.values(Template.fromStack(platform.primary).findResources('AWS::CloudWatch::Alarm'));
    const links = alarms.map((a) => String((a as { Properties: { AlarmDescription?: unknown } }).Properties.AlarmDescription ?? '')).filter((d) => d.includes('/runbooks/'));
    expect(links.length).toBeGreaterThan(5);
    for (const link of links) expect(link).toContain('https://git.acme.test/ops/blob/main/runbooks/');
  });

  test('no warnings but the unsubscribed pages and the default certificate', () => {
    const { platform } = platformAt(DrTier.WARM_STANDBY);
    const ids = platform.stacks.flatMap((s) => Annotations.fromStack(s).findWarning('*', expect.anything()).map((w) => String(w.entry.data).slice(0, 40)));
    for (const warning of ids) expect(warning).toMatch(/^(The critical topic .* has no subscripti|No certificate: viewers reach the distri)/);
  });

  test.each([
    ['neither a tier nor objectives', { drTier: undefined, recoveryObjectives: undefined },
      "App/MultiRegionPlatform(orders): drTier (undefined) is required without recoveryObjectives: pass drTier (e.g. DrTier.WARM_STANDBY) or recoveryObjectives (e.g. { rto: '15m', rpo: '1m' }) to pick the cheapest tier that meets them"],
    ['a tier that misses the objectives', { drTier: DrTier.PILOT_LIGHT, recoveryObjectives: { rto: '15m', rpo: '1m' } },
      'App/MultiRegionPlatform(orders): drTier (\'pilot-light\') cannot meet RTO 15m (it delivers 30m): use drTier warm-standby (the cheapest tier that meets RTO 15m and RPO 1m) or relax the objectives'],
    ['one region twice', { drTier: DrTier.PILOT_LIGHT, secondaryRegion: { region: 'eu-west-1' } },
      "App/MultiRegionPlatform(orders): secondaryRegion.region ('eu-west-1') equals primaryRegion.region; a regional failure would take out both: pick another region for the secondary"],
    ['zones of another region', { drTier: DrTier.PILOT_LIGHT, primaryRegion: { region: 'eu-west-1', availabilityZones: ['eu-west-1a', 'eu-west-2b'] } },
      "App/MultiRegionPlatform(orders): primaryRegion.availabilityZones ([\"eu-west-1a\",\"eu-west-2b\"]) must list at least 2 distinct zones of eu-west-1: e.g. ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']"],
    ['the secondary active at backup & restore', { drTier: DrTier.BACKUP_RESTORE, activeRegion: 'secondary' as const },
      "App/MultiRegionPlatform(orders): activeRegion ('secondary') needs an application in the secondary region, which DR tier backup-restore does not deploy: restore into the secondary region first (runbooks/drills/backup-restore-failover.md), or run a tier with a secondary stack (pilot-light, warm-standby, active-active)"],
    ['two stacks with one ID', { drTier: DrTier.PILOT_LIGHT, stackIds: { primary: 'Orders', secondary: 'Orders' } },
      'App/MultiRegionPlatform(orders): stackIds ({"primary":"Orders","secondary":"Orders"}) gives two stacks the same ID: give every role its own stack ID'],
    ['no SLO', { drTier: DrTier.PILOT_LIGHT, slos: [] },
      "App/MultiRegionPlatform(orders): slos ([]) is empty: nothing to alert on: pass the service's SLOs, availability first (Slo.availability, Slo.latency)"],
    ['no latency SLO', { drTier: DrTier.PILOT_LIGHT, slos: [Slo.availability({ service: 'orders', target: 0.995, periodDays: 28 })] },
      "App/MultiRegionPlatform(orders): slos ([\"orders-availability\"]) has no latency SLO: add a Slo.latency({ service, threshold, target }): its threshold is the p99 alert threshold"],
    ['an SLO of another service', { drTier: DrTier.PILOT_LIGHT, slos: [Slo.latency({ service: 'billing', threshold: 0.5, target: 0.95, periodDays: 28 })] },
      "App/MultiRegionPlatform(orders): slos ('billing-latency') is an SLO of service 'billing', not of 'orders': pass only SLOs declared with service: 'orders'"],
    ['a bad service name', { drTier: DrTier.PILOT_LIGHT, service: 'Orders' },
      "App/MultiRegionPlatform(Orders): service ('Orders') is not a valid service name: use 1-40 lowercase letters, digits and dashes, starting with a letter"],
    ['a bad account', { drTier: DrTier.PILOT_LIGHT, account: '1234' },
      "App/MultiRegionPlatform(orders): account ('1234') is not a 12-digit AWS account id: pass your account id, digits only"],
    ['a capacity below one task', { drTier: DrTier.PILOT_LIGHT, capacity: { min: 0, max: 4 } },
      'App/MultiRegionPlatform(orders): capacity ({"min":0,"max":4}) is not a task range of at least 1 with max >= min: e.g. { min: 3, max: 20 } (one task per AZ at least)'],
    ['a plain-http runbook base', { drTier: DrTier.PILOT_LIGHT, runbookBaseUrl: 'http://git.acme.test/ops' },
      "App/MultiRegionPlatform(orders): runbookBaseUrl ('http://git.acme.test/ops') is not an https URL: pass https://github.com/<org>/<repo>/blob/main"],
    ['a domain that is not a DNS name', { drTier: DrTier.PILOT_LIGHT, domain: { domainName: 'orders', hostedZoneId: 'Z0123', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' } },
      "App/MultiRegionPlatform(orders): domain.domainName ('orders') is not a DNS name: e.g. shop.example.com"],
    ['a malformed hosted zone id', { drTier: DrTier.PILOT_LIGHT, domain: { domainName: 'orders.acme.test', hostedZoneId: 'zone-1', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' } },
      "App/MultiRegionPlatform(orders): domain.hostedZoneId ('zone-1') is not a Route 53 hosted zone id: e.g. Z0123456789ABC (the zone of the domain)"],
    ['a privileged port', { drTier: DrTier.PILOT_LIGHT, containerPort: 80 },
      'App/MultiRegionPlatform(orders): containerPort (80) is not an unprivileged TCP port: use a port from 1024 to 65535 (the container runs as non-root)'],
    ['a certificate outside us-east-1', { drTier: DrTier.PILOT_LIGHT, domain: { domainName: 'orders.acme.test', hostedZoneId: 'Z0123', certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' } },
      "App/MultiRegionPlatform(orders): domain.certificateArn ('arn:aws:acm:eu-west-1:123456789012:certificate/abc') is not an ACM certificate ARN in us-east-1: issue the certificate in us-east-1 (CloudFront reads viewer certificates there) and pass its ARN"],
  ])('rejects %s, naming the prop, the value and the fix', (_name, overrides, message) => {
    const app = testApp();
    expect(() => new MultiRegionPlatform(app, props(overrides as Partial<MultiRegionPlatformProps>))).toThrow(message);
    // Nothing was built: validation runs before the first stack.
    expect(app.node.children).toHaveLength(0);
  });
});
