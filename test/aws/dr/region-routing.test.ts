import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, Fn } from 'aws-cdk-lib';
import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { RegionRouting } from '../../../constructs/aws/dr/region-routing';
import type { RegionRoutingProps, RoutedRegion } from '../../../constructs/aws/dr/region-routing';
import { EdgeDistribution } from '../../../constructs/aws/edge/edge-distribution';
import { runbookPathFromUrl } from '../../../constructs/core/runbooks';
import { formatFindings, nagFindings, testStack } from '../../helpers/test-stack';

const HOSTED_ZONE_ID = 'Z0123456789ABCDEFGHIJ';
const RECORD_NAME = 'origin.shop.example.com';
const HEALTH_FQDN = 'd111111abcdef8.cloudfront.net';
const RUNBOOK_URL = 'https://github.com/platform-stacks/platform-stacks/blob/main/runbooks/alerts/dr/RegionHealthCheckFailing.md';

const PRIMARY: RoutedRegion = {
  region: 'eu-west-1',
  loadBalancerDnsName: 'checkout-1234567890.eu-west-1.elb.amazonaws.com',
  loadBalancerHostedZoneId: 'Z32O12XQLNTSW2',
};
const SECONDARY: RoutedRegion = {
  region: 'eu-central-1',
  loadBalancerDnsName: 'checkout-0987654321.eu-central-1.elb.amazonaws.com',
  loadBalancerHostedZoneId: 'Z215JYRZR1TBD5',
};

type ExtraProps = Partial<Omit<RegionRoutingProps, 'hostedZone'>>;

/** A stack (us-east-1 unless told) with a RegionRouting `Routing` over the two regions, failover by default. */
function build(props: ExtraProps = {},
  options: { region?: string; nag?: boolean; context?: Record<string, unknown> } = {}): { stack: Stack; routing: RegionRouting } {
  const stack = testStack({ region: options.region ?? 'us-east-1', nag: options.nag, context: options.context });
  const routing = new RegionRouting(stack, 'Routing', {
    hostedZone: route53.HostedZone.fromHostedZoneId(stack, 'Zone', HOSTED_ZONE_ID),
    recordName: RECORD_NAME,
    policy: 'failover',
    regions: [PRIMARY, SECONDARY],
    healthCheckFqdn: HEALTH_FQDN,
    ...props,
  });
  return { stack, routing };
}

interface RecordSetProps {
  Name: string;
  Type: string;
  HostedZoneId: string;
  SetIdentifier: string;
  Failover?: string;
  Region?: string;
  HealthCheckId: { Ref: string };
  AliasTarget: { DNSName: string; HostedZoneId: string; EvaluateTargetHealth: boolean };
}

interface HealthCheckConfig {
  Type: string;
  FullyQualifiedDomainName: string;
  Port: number;
  ResourcePath: string;
  EnableSNI: boolean;
  RequestInterval: number;
  FailureThreshold: number;
  MeasureLatency?: boolean;
}

interface AlarmProps {
  AlarmDescription: string;
  Namespace: string;
  MetricName: string;
  Statistic: string;
  Period: number;
  Threshold: number;
  ComparisonOperator: string;
  EvaluationPeriods: number;
  DatapointsToAlarm: number;
  TreatMissingData: string;
  Dimensions: Array<{ Name: string; Value: unknown }>;
}

function records(template: Template): RecordSetProps[] {
  return Object.values(template.findResources('AWS::Route53::RecordSet')).map((r) => r.Properties as RecordSetProps);
}

function recordOf(template: Template, region: string): RecordSetProps {
  const found = records(template).filter((r) => r.SetIdentifier === region);
  expect(found).toHaveLength(1);
  return found[0];
}

/** Health-check config by logical ID. */
function healthChecks(template: Template): Record<string, HealthCheckConfig> {
  return Object.fromEntries(Object.entries(template.findResources('AWS::Route53::HealthCheck'))
    .map(([id, r]) => [id, (r.Properties as { HealthCheckConfig: HealthCheckConfig }).HealthCheckConfig]));
}

function alarms(template: Template): AlarmProps[] {
  return Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((r) => r.Properties as AlarmProps);
}

/** The template properties of one alarm the construct exposes. */
function propsOf(stack: Stack, template: Template, alarm: cloudwatch.Alarm): AlarmProps {
  const logicalId = stack.getLogicalId(alarm.node.defaultChild as CfnElement);
  return template.toJSON().Resources[logicalId].Properties as AlarmProps;
}

describe('RegionRouting', () => {
  describe('failover policy', () => {
    let template: Template;
    beforeAll(() => {
      template = Template.fromStack(build().stack);
    });

    test('two alias records of the name: the first region PRIMARY, the second SECONDARY, each identified by its region', () => {
      template.resourceCountIs('AWS::Route53::RecordSet', 2);
      for (const [region, role, target] of [['eu-west-1', 'PRIMARY', PRIMARY], ['eu-central-1', 'SECONDARY', SECONDARY]] as const) {
        const record = recordOf(template, region);
        expect(record).toMatchObject({
          Name: `${RECORD_NAME}.`,
          Type: 'A',
          HostedZoneId: HOSTED_ZONE_ID,
          Failover: role,
          AliasTarget: { DNSName: target.loadBalancerDnsName, HostedZoneId: target.loadBalancerHostedZoneId, EvaluateTargetHealth: true },
        });
        expect(record.Region).toBeUndefined();
      }
    });

    test('each record is answered only while the health check of its own region passes', () => {
      const checks = healthChecks(template);
      expect(Object.keys(checks)).toHaveLength(2);
      for (const region of ['eu-west-1', 'eu-central-1']) {
        const ref = recordOf(template, region).HealthCheckId.Ref;
        expect(checks[ref]).toBeDefined();
        expect(checks[ref].ResourcePath).toBe(`/_health/${region}`);
      }
    });

    test('health checks call the distribution over HTTPS with SNI, every 10 seconds, unhealthy after 3 failures', () => {
      const checks = Object.values(healthChecks(template));
      expect(checks.map((c) => c.ResourcePath).sort()).toEqual(['/_health/eu-central-1', '/_health/eu-west-1']);
      for (const check of checks) {
        expect(check).toMatchObject({
          Type: 'HTTPS',
          FullyQualifiedDomainName: HEALTH_FQDN,
          Port: 443,
          EnableSNI: true,
          RequestInterval: 10,
          FailureThreshold: 3,
        });
      }
    });

    test('the default health path is EdgeDistribution.healthCheckPathFor', () => {
      const paths = Object.values(healthChecks(template)).map((c) => c.ResourcePath);
      expect(paths).toContain(EdgeDistribution.healthCheckPathFor('eu-west-1'));
      expect(paths).toContain(EdgeDistribution.healthCheckPathFor('eu-central-1'));
    });

    test('one critical alarm per region on its health check status, missing data counting as unhealthy', () => {
      const checks = healthChecks(template);
      const found = alarms(template);
      expect(found).toHaveLength(2);
      const watched = found.map((a) => {
        expect(a).toMatchObject({
          Namespace: 'AWS/Route53',
          MetricName: 'HealthCheckStatus',
          Statistic: 'Minimum',
          Period: 60,
          Threshold: 1,
          ComparisonOperator: 'LessThanThreshold',
          EvaluationPeriods: 2,
          DatapointsToAlarm: 2,
          TreatMissingData: 'breaching',
        });
        expect(a.Dimensions).toHaveLength(1);
        expect(a.Dimensions[0].Name).toBe('HealthCheckId');
        return checks[(a.Dimensions[0].Value as { Ref: string }).Ref].ResourcePath;
      });
      expect(watched.sort()).toEqual(['/_health/eu-central-1', '/_health/eu-west-1']);
    });

    test('alarm descriptions page ([critical]) and end with the link to a committed runbook', () => {
      const descriptions = alarms(template).map((a) => a.AlarmDescription).sort();
      expect(descriptions).toEqual([
        `[critical] Route 53 health check of eu-central-1 (${RECORD_NAME}) failing for 2 minutes: the region is out of DNS answers. Runbook: ${RUNBOOK_URL}`,
        `[critical] Route 53 health check of eu-west-1 (${RECORD_NAME}) failing for 2 minutes: the region is out of DNS answers. Runbook: ${RUNBOOK_URL}`,
      ]);
      for (const d of descriptions) {
        expect(d.startsWith('[critical] ')).toBe(true);
        expect(d.endsWith(`Runbook: ${RUNBOOK_URL}`)).toBe(true);
        const path = runbookPathFromUrl(d.slice(d.indexOf('Runbook: ') + 'Runbook: '.length));
        expect(path).toBe('alerts/dr/RegionHealthCheckFailing');
        expect(existsSync(join(__dirname, '../../../runbooks', `${path}.md`))).toBe(true);
      }
    });

    test('the construct exposes the records, health checks and alarms it built', () => {
      const { routing } = build();
      expect(routing.records).toHaveLength(2);
      expect(Object.keys(routing.healthChecks).sort()).toEqual(['eu-central-1', 'eu-west-1']);
      expect(routing.alarms).toHaveLength(2);
    });

    test('healthAlarms names the alarm of each region, watching that region\'s health check; alarms lists them in regions order', () => {
      // GIVEN failover routing over eu-west-1 and eu-central-1
      const { stack, routing } = build();
      const template = Template.fromStack(stack);
      const checks = healthChecks(template);
      // THEN each region's named alarm is the one on its own health check
      expect(Object.keys(routing.healthAlarms)).toEqual(['eu-west-1', 'eu-central-1']);
      for (const region of ['eu-west-1', 'eu-central-1']) {
        const alarm = propsOf(stack, template, routing.healthAlarms[region]);
        expect(alarm.AlarmDescription).toContain(`health check of ${region} `);
        expect(checks[(alarm.Dimensions[0].Value as { Ref: string }).Ref].ResourcePath).toBe(`/_health/${region}`);
      }
      expect(routing.alarms).toEqual([routing.healthAlarms['eu-west-1'], routing.healthAlarms['eu-central-1']]);
    });
  });

  describe('latency policy', () => {
    test('each record carries its region, no failover role, and its own health check', () => {
      const template = Template.fromStack(build({ policy: 'latency' }).stack);
      template.resourceCountIs('AWS::Route53::RecordSet', 2);
      template.resourceCountIs('AWS::Route53::HealthCheck', 2);
      const checks = healthChecks(template);
      for (const [region, target] of [['eu-west-1', PRIMARY], ['eu-central-1', SECONDARY]] as const) {
        const record = recordOf(template, region);
        expect(record).toMatchObject({
          Name: `${RECORD_NAME}.`,
          Region: region,
          AliasTarget: { DNSName: target.loadBalancerDnsName, HostedZoneId: target.loadBalancerHostedZoneId, EvaluateTargetHealth: true },
        });
        expect(record.Failover).toBeUndefined();
        expect(checks[record.HealthCheckId.Ref].ResourcePath).toBe(`/_health/${region}`);
      }
      expect(alarms(template)).toHaveLength(2);
    });

    test('three serving regions: three records, three health checks, three alarms', () => {
      const third: RoutedRegion = { region: 'us-east-1', loadBalancerDnsName: 'checkout-1.us-east-1.elb.amazonaws.com', loadBalancerHostedZoneId: 'Z35SXDOTRQ7X7K' };
      const template = Template.fromStack(build({ policy: 'latency', regions: [PRIMARY, SECONDARY, third] }).stack);
      expect(records(template).map((r) => r.Region).sort()).toEqual(['eu-central-1', 'eu-west-1', 'us-east-1']);
      template.resourceCountIs('AWS::Route53::HealthCheck', 3);
      expect(alarms(template)).toHaveLength(3);
    });
  });

  describe('standby region (pilot light)', () => {
    test('has its record and health check but no alarm; the primary keeps its alarm', () => {
      const { stack, routing } = build({ regions: [PRIMARY, { ...SECONDARY, standby: true }] });
      const template = Template.fromStack(stack);
      const standby = recordOf(template, 'eu-central-1');
      expect(standby.Failover).toBe('SECONDARY');
      const checks = healthChecks(template);
      expect(checks[standby.HealthCheckId.Ref].ResourcePath).toBe('/_health/eu-central-1');
      expect(alarms(template)).toHaveLength(1);
      expect(Object.keys(routing.healthAlarms)).toEqual(['eu-west-1']);
      const primary = propsOf(stack, template, routing.healthAlarms['eu-west-1']);
      expect(primary.AlarmDescription).toContain('health check of eu-west-1 ');
      expect(checks[(primary.Dimensions[0].Value as { Ref: string }).Ref].ResourcePath).toBe('/_health/eu-west-1');
    });
  });

  describe('options', () => {
    test('requestInterval 30 seconds and failureThreshold are honoured', () => {
      const template = Template.fromStack(build({ requestInterval: Duration.seconds(30), failureThreshold: 5 }).stack);
      const checks = Object.values(healthChecks(template));
      expect(checks).toHaveLength(2);
      for (const check of checks) expect(check).toMatchObject({ RequestInterval: 30, FailureThreshold: 5 });
    });

    test('healthCheckPathFor overrides the path of each region', () => {
      const template = Template.fromStack(build({ healthCheckPathFor: (region) => `/probe/${region}` }).stack);
      expect(Object.values(healthChecks(template)).map((c) => c.ResourcePath).sort()).toEqual(['/probe/eu-central-1', '/probe/eu-west-1']);
    });

    test('load balancer values from other stacks (Fn.getStackOutput tokens) pass through to the alias targets', () => {
      const fromOutputs: RoutedRegion = {
        region: 'eu-west-1',
        loadBalancerDnsName: Fn.getStackOutput('checkout-primary', 'PublicOriginLoadBalancerDnsName', 'eu-west-1'),
        loadBalancerHostedZoneId: Fn.getStackOutput('checkout-primary', 'PublicOriginCanonicalHostedZoneId', 'eu-west-1'),
      };
      const template = Template.fromStack(build({ regions: [fromOutputs, SECONDARY] }).stack);
      expect(recordOf(template, 'eu-west-1').AliasTarget).toEqual({
        DNSName: { 'Fn::GetStackOutput': { StackName: 'checkout-primary', OutputName: 'PublicOriginLoadBalancerDnsName', Region: 'eu-west-1' } },
        HostedZoneId: { 'Fn::GetStackOutput': { StackName: 'checkout-primary', OutputName: 'PublicOriginCanonicalHostedZoneId', Region: 'eu-west-1' } },
        EvaluateTargetHealth: true,
      });
    });

    test('a configured runbook base URL is used in the alarm descriptions', () => {
      const template = Template.fromStack(build({}, { context: { runbookBaseUrl: 'https://runbooks.example.com/' } }).stack);
      for (const a of alarms(template)) {
        expect(a.AlarmDescription).toMatch(/ Runbook: https:\/\/runbooks\.example\.com\/runbooks\/alerts\/dr\/RegionHealthCheckFailing\.md$/);
      }
    });
  });

  describe('compliance', () => {
    test.each<[string, ExtraProps]>([
      ['failover', {}],
      ['latency', { policy: 'latency' }],
      ['failover with a standby', { regions: [PRIMARY, { ...SECONDARY, standby: true }] }],
    ])('%s: cdk-nag AwsSolutions and NIST 800-53 rev 5 report nothing unacknowledged', (_name, props) => {
      expect(formatFindings(nagFindings(build(props, { nag: true }).stack))).toEqual([]);
    });
  });

  describe('validation', () => {
    const W = 'Test/Routing';
    test('a stack outside us-east-1 is refused', () => {
      expect(() => build({}, { region: 'eu-west-1' })).toThrow(
        `${W}: region ('eu-west-1') is not us-east-1: Route 53 publishes health-check metrics (which the alarms read) in us-east-1 only: build RegionRouting in the global stack (env.region 'us-east-1')`);
    });

    const notDns = (name: string) =>
      `${W}: recordName ('${name}') is not a fully qualified DNS name: pass a name such as 'origin.shop.example.com' (no trailing dot)`;
    const unknownRegion = (index: number, region: string, hint: string) =>
      `${W}: regions[${index}].region ('${region}') is not a known AWS region: use a region code such as ${hint}`;
    const third: RoutedRegion = { region: 'us-east-1', loadBalancerDnsName: 'checkout-1.us-east-1.elb.amazonaws.com', loadBalancerHostedZoneId: 'Z35SXDOTRQ7X7K' };

    test.each<[string, ExtraProps, string]>([
      ['record name with a trailing dot', { recordName: 'origin.shop.example.com.' }, notDns('origin.shop.example.com.')],
      ['record name that is not a DNS name', { recordName: 'origin shop' }, notDns('origin shop')],
      ['record name without a domain', { recordName: 'origin' }, notDns('origin')],
      ['record name in upper case', { recordName: 'Origin.Shop.Example.com' }, notDns('Origin.Shop.Example.com')],
      ['failover with one region', { regions: [PRIMARY] },
        `${W}: regions (1) must be exactly two regions for failover routing: pass the primary region first and the secondary second, or use latency routing for more regions`],
      ['failover with three regions', { regions: [PRIMARY, SECONDARY, third] },
        `${W}: regions (3) must be exactly two regions for failover routing: pass the primary region first and the secondary second, or use latency routing for more regions`],
      ['latency with one region', { policy: 'latency', regions: [PRIMARY] },
        `${W}: regions (1) must be at least two regions for latency routing: pass every serving region, or point a simple record at the only one`],
      ['latency with no region', { policy: 'latency', regions: [] },
        `${W}: regions (0) must be at least two regions for latency routing: pass every serving region, or point a simple record at the only one`],
      ['an unknown policy', { policy: 'weighted' as unknown as RegionRoutingProps['policy'] },
        `${W}: policy ('weighted') is not a routing policy: use 'failover' or 'latency'`],
      ['the same region twice', { regions: [PRIMARY, { ...SECONDARY, region: 'eu-west-1' }] },
        `${W}: regions[1].region ('eu-west-1') appears twice: route each region once (the secondary region must differ from the primary)`],
      ['the same region twice (latency)', { policy: 'latency', regions: [PRIMARY, SECONDARY, { ...third, region: 'eu-central-1' }] },
        `${W}: regions[2].region ('eu-central-1') appears twice: route each region once (the secondary region must differ from the primary)`],
      ['an unknown region', { regions: [PRIMARY, { ...SECONDARY, region: 'eu-west-9' }] },
        unknownRegion(1, 'eu-west-9', 'eu-west-1, eu-west-2, eu-west-3, eu-central-1')],
      ['a region name that is not a code', { regions: [{ ...PRIMARY, region: 'Ireland' }, SECONDARY] },
        unknownRegion(0, 'Ireland', 'us-east-1, us-east-2, us-west-1, us-west-2')],
      ['a standby region with latency routing', { policy: 'latency', regions: [PRIMARY, { ...SECONDARY, standby: true }] },
        `${W}: regions[1].standby (true) contradicts latency routing, where every region serves: use failover routing for a standby region, or scale it to serve (active/active)`],
      ['a standby primary with failover routing', { regions: [{ ...PRIMARY, standby: true }, SECONDARY] },
        `${W}: regions[0].standby (true) marks the primary as a standby: the primary serves: mark only the secondary (regions[1]) as standby`],
      ['a 20-second request interval', { requestInterval: Duration.seconds(20) },
        `${W}: requestInterval ('20 seconds') is not an interval Route 53 health checks support: use Duration.seconds(10) (fast) or Duration.seconds(30)`],
      ['a 1-minute request interval', { requestInterval: Duration.minutes(1) },
        `${W}: requestInterval ('60 seconds') is not an interval Route 53 health checks support: use Duration.seconds(10) (fast) or Duration.seconds(30)`],
      ['failure threshold 0', { failureThreshold: 0 },
        `${W}: failureThreshold (0) must be an integer from 1 to 10: set failureThreshold to a whole number between 1 and 10`],
      ['failure threshold 11', { failureThreshold: 11 },
        `${W}: failureThreshold (11) must be an integer from 1 to 10: set failureThreshold to a whole number between 1 and 10`],
      ['failure threshold not whole', { failureThreshold: 2.5 },
        `${W}: failureThreshold (2.5) must be an integer from 1 to 10: set failureThreshold to a whole number between 1 and 10`],
    ])('%s', (_name, props, message) => {
      expect(() => build(props)).toThrow(message);
    });

    test.each<[string, ExtraProps]>([
      ['failure threshold 1', { failureThreshold: 1 }],
      ['failure threshold 10', { failureThreshold: 10 }],
      ['a standby secondary with failover routing', { regions: [PRIMARY, { ...SECONDARY, standby: true }] }],
    ])('%s is accepted', (_name, props) => {
      expect(() => build(props)).not.toThrow();
    });

    test('nothing is built when the input is refused', () => {
      const stack = testStack({ region: 'us-east-1' });
      expect(() => new RegionRouting(stack, 'Routing', {
        hostedZone: route53.HostedZone.fromHostedZoneId(stack, 'Zone', HOSTED_ZONE_ID),
        recordName: RECORD_NAME,
        policy: 'failover',
        regions: [PRIMARY, SECONDARY],
        healthCheckFqdn: HEALTH_FQDN,
        failureThreshold: 0,
      })).toThrow(/failureThreshold \(0\)/);
      // Validation runs before anything is built: no half-built health check, record or alarm is left behind.
      expect(stack.node.findChild('Routing').node.children).toHaveLength(0);
    });
  });
});
