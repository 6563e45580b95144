/**
 * The reference platform with a domain (DOMAIN_CONTEXT): Route 53 picks the region behind CloudFront (failover
 * records for pilot light and warm standby, latency records for active/active, health checks through CloudFront),
 * the regional load balancers are internet-facing public origins that admit CloudFront only, and the origin-verify
 * secret lives in the primary-base stack with replicas where it is read. Without a domain see dr-tiers.test.ts.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { loadConfig } from '../../stacks/config';
import { MultiRegionPlatform, PrimaryBaseStack } from '../../constructs';
import { platformProps } from '../../stacks/platform';
import { DOMAIN_CONTEXT, sharedReferenceApp, synthesizedReferenceApp, synthFindings } from '../helpers/reference-app';
import type { CfnResource } from '../helpers/reference-app';
import { formatFindings, testApp } from '../helpers/test-stack';

const TIERS = ['backup-restore', 'pilot-light', 'warm-standby', 'active-active'] as const;
type Tier = (typeof TIERS)[number];

const ZONE = DOMAIN_CONTEXT.hostedZoneId;
const ROUTED = 'origin.shop.example.com';
const SECRET_NAME = 'checkout/origin-verify';
const SECRET_REFERENCE = `{{resolve:secretsmanager:${SECRET_NAME}:SecretString:::}}`;
/** The managed CachingDisabled cache policy. */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';

const REGION = { primary: 'eu-west-1', secondary: 'eu-central-1' } as const;
const STACK = { primary: 'checkout-primary', secondary: 'checkout-secondary' } as const;

interface StackTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly Outputs?: Record<string, { Value: unknown }>;
}

/** Templates by stack name of the reference app with the domain, synthesized once per context in the jest run. */
function domainTemplates(drTier: Tier, extra: Record<string, string> = {}): Record<string, StackTemplate> {
  return sharedReferenceApp({ drTier, ...DOMAIN_CONTEXT, ...extra }).templates;
}

function hasSecondary(drTier: Tier): boolean {
  return drTier !== 'backup-restore';
}

/** [logical id, resource] of every resource of `type`. */
function resources(template: StackTemplate, type: string): Array<[string, CfnResource]> {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

function getStackOutput(stackName: string, region: string, outputName: string) {
  return { 'Fn::GetStackOutput': { StackName: stackName, Region: region, OutputName: outputName } };
}

/** The routed records (`origin.<domain>.`) of the global stack. */
function routedRecords(global: StackTemplate): Array<[string, CfnResource]> {
  return resources(global, 'AWS::Route53::RecordSet').filter(([, r]) => r.Properties?.Name === `${ROUTED}.`);
}

/** Logical id of the health check of `region` (its path through CloudFront is `/_health/<region>`). */
function healthCheckId(global: StackTemplate, region: string): string {
  const matches = resources(global, 'AWS::Route53::HealthCheck')
    .filter(([, r]) => (r.Properties?.HealthCheckConfig as { ResourcePath?: string }).ResourcePath === `/_health/${region}`);
  expect(matches).toHaveLength(1);
  return matches[0][0];
}

function healthAlarms(global: StackTemplate): Array<[string, CfnResource]> {
  return resources(global, 'AWS::CloudWatch::Alarm')
    .filter(([, r]) => r.Properties?.Namespace === 'AWS/Route53' && r.Properties?.MetricName === 'HealthCheckStatus');
}

interface Origin {
  readonly Id: string;
  readonly DomainName: string;
  readonly CustomOriginConfig?: { OriginProtocolPolicy: string; OriginSSLProtocols: string[] };
  readonly OriginCustomHeaders?: Array<{ HeaderName: string; HeaderValue: unknown }>;
}
interface Behavior {
  readonly PathPattern?: string;
  readonly TargetOriginId: string;
  readonly CachePolicyId?: unknown;
  readonly FunctionAssociations?: Array<{ EventType: string }>;
}
interface DistributionConfig {
  readonly Origins: Origin[];
  readonly OriginGroups?: { Items: Array<{ Id: string; Members: { Items: Array<{ OriginId: string }> }; FailoverCriteria: unknown }> };
  readonly DefaultCacheBehavior: Behavior;
  readonly CacheBehaviors: Behavior[];
}

function distributionConfig(global: StackTemplate): DistributionConfig {
  const distributions = resources(global, 'AWS::CloudFront::Distribution');
  expect(distributions).toHaveLength(1);
  return distributions[0][1].Properties!.DistributionConfig as DistributionConfig;
}

function origin(config: DistributionConfig, id: string): Origin {
  const found = config.Origins.find((o) => o.Id === id);
  expect(found).toBeDefined();
  return found!;
}

/** Where a behaviour's target id leads: an origin's domain name, or an origin group's member domain names. */
function target(config: DistributionConfig, id: string): string | { group: string[] } {
  const group = config.OriginGroups?.Items.find((g) => g.Id === id);
  if (group) return { group: group.Members.Items.map((m) => origin(config, m.OriginId).DomainName) };
  return origin(config, id).DomainName;
}

function behavior(config: DistributionConfig, pathPattern: string): Behavior {
  const found = config.CacheBehaviors.find((b) => b.PathPattern === pathPattern);
  expect({ pathPattern, found: found !== undefined }).toEqual({ pathPattern, found: true });
  return found!;
}

describe('DNS routing (with a domain)', () => {
  describe('Route 53 routing in the global stack', () => {
    test.each([
      ['backup-restore', { policy: undefined, healthChecks: 0, alarmedRegions: [] as string[] }],
      ['pilot-light', { policy: 'failover', healthChecks: 2, alarmedRegions: [REGION.primary] }],
      ['warm-standby', { policy: 'failover', healthChecks: 2, alarmedRegions: [REGION.primary, REGION.secondary] }],
      ['active-active', { policy: 'latency', healthChecks: 2, alarmedRegions: [REGION.primary, REGION.secondary] }],
    ] as const)('%s: routed records, health checks and their alarms', (drTier, expected) => {
      const all = domainTemplates(drTier);
      const global = all['checkout-global'];
      const records = routedRecords(global);
      Template.fromJSON(global).resourceCountIs('AWS::Route53::HealthCheck', expected.healthChecks);

      if (expected.policy === undefined) {
        // One region: nothing to route between; the primary's own name is CloudFront's origin.
        expect(records).toEqual([]);
        expect(healthAlarms(global)).toEqual([]);
        return;
      }

      expect(records).toHaveLength(2);
      const recordOf = (role: 'primary' | 'secondary') => {
        const found = records.filter(([, r]) => r.Properties?.SetIdentifier === REGION[role]);
        expect(found).toHaveLength(1);
        return found[0][1].Properties!;
      };
      for (const role of ['primary', 'secondary'] as const) {
        const region = REGION[role];
        const routing = expected.policy === 'failover'
          ? { Failover: role === 'primary' ? 'PRIMARY' : 'SECONDARY', Region: undefined }
          : { Region: region, Failover: undefined };
        expect(recordOf(role)).toEqual({
          HostedZoneId: ZONE,
          Name: `${ROUTED}.`,
          Type: 'A',
          SetIdentifier: region,
          ...Object.fromEntries(Object.entries(routing).filter(([, v]) => v !== undefined)),
          HealthCheckId: { Ref: healthCheckId(global, region) },
          AliasTarget: {
            DNSName: getStackOutput(STACK[role], region, 'PublicOriginLoadBalancerDnsName'),
            HostedZoneId: getStackOutput(STACK[role], region, 'PublicOriginCanonicalHostedZoneId'),
            EvaluateTargetHealth: true,
          },
        });
        // The outputs the records read exist in the regional stack.
        expect(Object.keys(all[STACK[role]].Outputs ?? {})).toEqual(expect.arrayContaining(['PublicOriginLoadBalancerDnsName', 'PublicOriginCanonicalHostedZoneId']));
      }

      // Health checks: HTTPS through the distribution, to each region's /_health/<region> path.
      const [distributionId] = resources(global, 'AWS::CloudFront::Distribution')[0];
      for (const region of [REGION.primary, REGION.secondary]) {
        Template.fromJSON(global).hasResourceProperties('AWS::Route53::HealthCheck', {
          HealthCheckConfig: Match.objectLike({
            Type: 'HTTPS', Port: 443, EnableSNI: true, ResourcePath: `/_health/${region}`,
            FullyQualifiedDomainName: { 'Fn::GetAtt': [distributionId, 'DomainName'] },
          }),
        });
      }

      // One alarm per serving region: a pilot-light standby runs no task, so its failing health check pages nobody.
      const alarmedChecks = healthAlarms(global).map(([, a]) => (a.Properties!.Dimensions as Array<{ Name: string; Value: unknown }>)
        .find((d) => d.Name === 'HealthCheckId')!.Value);
      expect(alarmedChecks).toHaveLength(expected.alarmedRegions.length);
      expect(alarmedChecks).toEqual(expect.arrayContaining(expected.alarmedRegions.map((region) => ({ Ref: healthCheckId(global, region) }))));
      for (const [, alarm] of healthAlarms(global)) {
        expect(alarm.Properties!.AlarmDescription).toMatch(/Runbook: \S+\/runbooks\/alerts\/dr\/RegionHealthCheckFailing\.md$/);
      }
    });

    test.each(TIERS)('%s: every alarm of the global stack notifies an SNS topic of the global stack', (drTier) => {
      const global = domainTemplates(drTier)['checkout-global'];
      const topics = new Set(resources(global, 'AWS::SNS::Topic').map(([id]) => id));
      const alarms = resources(global, 'AWS::CloudWatch::Alarm');
      expect(alarms.length).toBeGreaterThanOrEqual(2); // the edge's error-rate and origin-latency alarms, at least
      for (const [id, alarm] of alarms) {
        const actions = (alarm.Properties?.AlarmActions ?? []) as Array<{ Ref?: string }>;
        const routed = actions.length > 0 && actions.every((a) => a.Ref !== undefined && topics.has(a.Ref));
        expect({ id, actions, routed }).toEqual({ id, actions, routed: true });
      }
    });
  });

  describe('the regional stacks: public origins that admit CloudFront only', () => {
    const cases = TIERS.flatMap((drTier) => (['primary', 'secondary'] as const)
      .filter((role) => role === 'primary' || hasSecondary(drTier))
      .map((role) => [drTier, role] as const));

    test.each(cases)('%s, %s region', (drTier, role) => {
      const all = domainTemplates(drTier);
      const region = REGION[role];
      const stack = all[STACK[role]];
      const template = Template.fromJSON(stack);

      // Internet-facing, with the CloudFront-only security group attached.
      const loadBalancers = resources(stack, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
      expect(loadBalancers).toHaveLength(1);
      const [loadBalancerId, loadBalancer] = loadBalancers[0];
      expect(loadBalancer.Properties!.Scheme).toBe('internet-facing');
      const edgeGroups = resources(stack, 'AWS::EC2::SecurityGroup')
        .filter(([, g]) => String(g.Properties?.GroupDescription).includes('CloudFront origin-facing'));
      expect(edgeGroups).toHaveLength(1);
      expect(loadBalancer.Properties!.SecurityGroups).toContainEqual({ 'Fn::GetAtt': [edgeGroups[0][0], 'GroupId'] });
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: { 'Fn::GetAtt': [edgeGroups[0][0], 'GroupId'] },
        IpProtocol: 'tcp', FromPort: 443, ToPort: 443,
        SourcePrefixListId: Match.anyValue(),
      });

      // No ingress from anywhere: inline rules or standalone ones.
      const ingress = [
        ...resources(stack, 'AWS::EC2::SecurityGroup').flatMap(([, g]) => (g.Properties?.SecurityGroupIngress ?? []) as Array<Record<string, unknown>>),
        ...resources(stack, 'AWS::EC2::SecurityGroupIngress').map(([, r]) => r.Properties ?? {}),
      ];
      expect(ingress.length).toBeGreaterThan(0);
      expect(ingress.filter((rule) => rule.CidrIp === '0.0.0.0/0' || rule.CidrIpv6 === '::/0')).toEqual([]);

      // The regional certificate: the routed name and the region's own name, validated in the hosted zone.
      const certificates = resources(stack, 'AWS::CertificateManager::Certificate');
      expect(certificates).toHaveLength(1);
      const [certificateId, certificate] = certificates[0];
      expect(certificate.Properties).toMatchObject({
        DomainName: ROUTED,
        SubjectAlternativeNames: [`${region}.${ROUTED}`],
        ValidationMethod: 'DNS',
      });
      expect(certificate.Properties!.DomainValidationOptions).toEqual(expect.arrayContaining([
        { DomainName: ROUTED, HostedZoneId: ZONE },
        { DomainName: `${region}.${ROUTED}`, HostedZoneId: ZONE },
      ]));

      // HTTPS on 443 with that certificate; the production rule requires the origin-verify header. The canary
      // deployment's test listener (HTTPS 9443, same certificate) admits the VPC's NAT gateways only (the release
      // hooks' smoke tests), never CloudFront's prefix list nor the internet.
      const listeners = resources(stack, 'AWS::ElasticLoadBalancingV2::Listener');
      const https = listeners.filter(([, l]) => l.Properties?.Protocol === 'HTTPS' && l.Properties?.Port === 443);
      expect(https).toHaveLength(1);
      const test = listeners.filter(([, l]) => l.Properties?.Port === 9443);
      expect(test.map(([, l]) => [l.Properties?.Protocol, l.Properties?.Certificates])).toEqual([['HTTPS', [{ CertificateArn: { Ref: certificates[0][0] } }]]]);
      const testPortIngress = ingress.filter((rule) => rule.FromPort === 9443);
      expect(testPortIngress.length).toBeGreaterThan(0);
      for (const rule of testPortIngress) {
        expect(rule).toMatchObject({ ToPort: 9443, CidrIp: { 'Fn::Join': ['', [expect.anything(), '/32']] } });
        expect(rule.SourcePrefixListId).toBeUndefined();
      }
      expect(https[0][1].Properties).toMatchObject({
        Port: 443,
        LoadBalancerArn: { Ref: loadBalancerId },
        Certificates: [{ CertificateArn: { Ref: certificateId } }],
      });
      // Nothing is forwarded without the header: the listeners' defaults answer 404 or redirect, every rule requires it.
      for (const [id, listener] of resources(stack, 'AWS::ElasticLoadBalancingV2::Listener')) {
        const types = (listener.Properties!.DefaultActions as Array<{ Type: string }>).map((a) => a.Type);
        expect({ id, types }).toEqual({ id, types: [expect.stringMatching(/^(fixed-response|redirect)$/)] });
      }
      const verifyCondition = { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Origin-Verify', Values: [SECRET_REFERENCE] } };
      const rules = resources(stack, 'AWS::ElasticLoadBalancingV2::ListenerRule').filter(([, r]) => JSON.stringify(r.Properties?.ListenerArn) !== JSON.stringify({ Ref: test[0][0] }));
      expect(rules.length).toBeGreaterThan(0);
      for (const [id, rule] of rules) {
        expect({ id, conditions: rule.Properties!.Conditions }).toEqual({ id, conditions: expect.arrayContaining([verifyCondition]) });
      }
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
        ListenerArn: { Ref: https[0][0] },
        Actions: [Match.objectLike({ Type: 'forward' })],
        Conditions: Match.arrayWith([verifyCondition]),
      });

      // The region's own name aliases its load balancer; the outputs the global stack reads.
      template.hasResourceProperties('AWS::Route53::RecordSet', {
        HostedZoneId: ZONE,
        Name: `${region}.${ROUTED}.`,
        Type: 'A',
        AliasTarget: Match.objectLike({ HostedZoneId: { 'Fn::GetAtt': [loadBalancerId, 'CanonicalHostedZoneID'] } }),
      });
      expect(stack.Outputs).toMatchObject({
        PublicOriginLoadBalancerDnsName: { Value: { 'Fn::GetAtt': [loadBalancerId, 'DNSName'] } },
        PublicOriginCanonicalHostedZoneId: { Value: { 'Fn::GetAtt': [loadBalancerId, 'CanonicalHostedZoneID'] } },
        PublicOriginDomainName: { Value: `${region}.${ROUTED}` },
      });
      template.resourceCountIs('AWS::CloudFront::VpcOrigin', 0);
    });

    test.each(TIERS)('%s: no VPC origin in the global stack', (drTier) => {
      Template.fromJSON(domainTemplates(drTier)['checkout-global']).resourceCountIs('AWS::CloudFront::VpcOrigin', 0);
    });
  });

  describe('the origin-verify secret', () => {
    test.each(TIERS)('%s: created in checkout-primary-base, KMS-encrypted, replicated to the secondary region and us-east-1, retained', (drTier) => {
      const all = domainTemplates(drTier);
      const base = all['checkout-primary-base'];
      const secrets = resources(base, 'AWS::SecretsManager::Secret').filter(([, s]) => s.Properties?.Name === SECRET_NAME);
      expect(secrets).toHaveLength(1);
      const [, secret] = secrets[0];
      expect(secret.DeletionPolicy).toBe('Retain');
      expect(secret.Properties!.ReplicaRegions).toEqual([{ Region: REGION.secondary }, { Region: 'us-east-1' }]);
      const keyIds = resources(base, 'AWS::KMS::Key').map(([id]) => id);
      expect(keyIds).toContainEqual((secret.Properties!.KmsKeyId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0]);
      expect(secret.Properties!.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });

      // Created once: the other stacks only read it (dynamic references in their own region, from the replicas).
      for (const [name, template] of Object.entries(all).filter(([n]) => n !== 'checkout-primary-base')) {
        const created = resources(template, 'AWS::SecretsManager::Secret').filter(([, s]) => s.Properties?.Name === SECRET_NAME);
        expect({ name, created: created.length }).toEqual({ name, created: 0 });
      }
    });

    test.each([
      [{ primaryRegion: 'us-east-1', secondaryRegion: 'eu-central-1' }, [{ Region: 'eu-central-1' }]],
      [{ primaryRegion: 'eu-west-1', secondaryRegion: 'us-east-1' }, [{ Region: 'us-east-1' }]],
    ])('replicas go where the secret is read and is not already: %j -> %j', (regions, replicas) => {
      const app = testApp({ ...DOMAIN_CONTEXT, ...regions });
      const config = loadConfig((key) => app.node.tryGetContext(key));
      const base = new PrimaryBaseStack(app, 'base', { spec: MultiRegionPlatform.specOf(app, platformProps(config)) });
      Template.fromStack(base).hasResourceProperties('AWS::SecretsManager::Secret', { Name: SECRET_NAME, ReplicaRegions: replicas });
    });

    test('without a domain there is no origin-verify secret, nor any reference to it', () => {
      const all = sharedReferenceApp().templates;
      expect(Object.keys(all)).toContain('checkout-primary-base');
      for (const [name, template] of Object.entries(all)) {
        const mentions = JSON.stringify(template).includes('origin-verify');
        expect({ name, mentions }).toEqual({ name, mentions: false });
        expect({ name, certificates: resources(template, 'AWS::CertificateManager::Certificate').length }).toEqual({ name, certificates: 0 });
      }
    });
  });

  describe('CloudFront', () => {
    test.each(TIERS)('%s: every request goes to the DNS-routed public origin over HTTPS with the origin-verify header', (drTier) => {
      const config = distributionConfig(domainTemplates(drTier)['checkout-global']);
      // Backup & restore has no secondary: the primary's own name is the origin.
      const expectedDefault = hasSecondary(drTier) ? ROUTED : `${REGION.primary}.${ROUTED}`;
      expect(target(config, config.DefaultCacheBehavior.TargetOriginId)).toBe(expectedDefault);
      expect(target(config, behavior(config, '/api/*').TargetOriginId)).toBe(expectedDefault);
      for (const o of config.Origins) {
        expect(o).toMatchObject({
          CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
          OriginCustomHeaders: [{ HeaderName: 'X-Origin-Verify', HeaderValue: SECRET_REFERENCE }],
        });
        expect(o).not.toHaveProperty('VpcOriginConfig');
        expect(o).not.toHaveProperty('S3OriginConfig');
      }
    });

    test.each(TIERS)('%s: /_health/<region> reaches each region\'s own name, uncached, path rewritten by a function', (drTier) => {
      const config = distributionConfig(domainTemplates(drTier)['checkout-global']);
      const regions = hasSecondary(drTier) ? [REGION.primary, REGION.secondary] : [REGION.primary];
      const healthBehaviors = config.CacheBehaviors.filter((b) => b.PathPattern?.startsWith('/_health/'));
      expect(healthBehaviors.map((b) => b.PathPattern).sort()).toEqual(regions.map((r) => `/_health/${r}`).sort());
      for (const region of regions) {
        const health = behavior(config, `/_health/${region}`);
        expect(target(config, health.TargetOriginId)).toBe(`${region}.${ROUTED}`);
        expect(health.CachePolicyId).toBe(CACHING_DISABLED);
        expect(health.FunctionAssociations).toEqual([expect.objectContaining({ EventType: 'viewer-request' })]);
      }
    });

    test.each([
      ['backup-restore', 'nothing (no secondary stack)', undefined],
      ['pilot-light', 'nothing (the standby does not serve)', undefined],
      ['warm-standby', 'the secondary region', `${REGION.secondary}.${ROUTED}`],
      ['active-active', 'the secondary region', `${REGION.secondary}.${ROUTED}`],
    ] as const)('%s: static paths fall back to %s', (drTier, _label, fallback) => {
      const config = distributionConfig(domainTemplates(drTier)['checkout-global']);
      const primaryName = hasSecondary(drTier) ? ROUTED : `${REGION.primary}.${ROUTED}`;
      for (const path of ['/static/*', '/assets/*']) {
        const expected = fallback ? { group: [primaryName, fallback] } : primaryName;
        expect({ path, target: target(config, behavior(config, path).TargetOriginId) }).toEqual({ path, target: expected });
      }
      expect(config.OriginGroups?.Items ?? []).toHaveLength(fallback ? 1 : 0);
      if (fallback) {
        expect(config.OriginGroups!.Items[0].FailoverCriteria).toEqual({ StatusCodes: { Items: [500, 502, 503, 504], Quantity: 4 } });
      }
    });
  });

  describe('activeRegion=secondary (warm standby)', () => {
    const global = () => domainTemplates('warm-standby', { activeRegion: 'secondary' })['checkout-global'];

    test('eu-central-1 is the PRIMARY failover record, eu-west-1 the SECONDARY', () => {
      const failover = Object.fromEntries(routedRecords(global()).map(([, r]) => [r.Properties!.SetIdentifier, r.Properties!.Failover]));
      expect(failover).toEqual({ [REGION.secondary]: 'PRIMARY', [REGION.primary]: 'SECONDARY' });
      for (const [, record] of routedRecords(global())) {
        const region = record.Properties!.SetIdentifier as string;
        const stackName = region === REGION.primary ? STACK.primary : STACK.secondary;
        expect(record.Properties!.AliasTarget).toMatchObject({ DNSName: getStackOutput(stackName, region, 'PublicOriginLoadBalancerDnsName') });
      }
      // Both regions serve in warm standby: both health checks keep their alarms.
      expect(healthAlarms(global())).toHaveLength(2);
    });

    test('static paths fall back to the former primary, eu-west-1', () => {
      const config = distributionConfig(global());
      expect(target(config, config.DefaultCacheBehavior.TargetOriginId)).toBe(ROUTED);
      expect(target(config, behavior(config, '/static/*').TargetOriginId)).toEqual({ group: [ROUTED, `${REGION.primary}.${ROUTED}`] });
    });
  });

  describe('size', () => {
    test.each(TIERS)('%s: every stack stays under 250 resources', (drTier) => {
      for (const [name, template] of Object.entries(domainTemplates(drTier))) {
        expect({ name, under250: Object.keys(template.Resources).length < 250 }).toEqual({ name, under250: true });
      }
    });
  });

  describe('compliance', () => {
    test('active-active with a domain: cdk-nag AwsSolutions and NIST 800-53 rev 5 find nothing unacknowledged, every stack under 250 resources', () => {
      const synth = synthesizedReferenceApp({ drTier: 'active-active', ...DOMAIN_CONTEXT }, 'nag');
      expect(formatFindings(synthFindings(synth))).toEqual([]);
      const all = synth.templates;
      expect(Object.keys(all)).toEqual(expect.arrayContaining(['checkout-primary-base', 'checkout-primary', 'checkout-secondary', 'checkout-global']));
      for (const [name, template] of Object.entries(all)) {
        expect({ name, under250: Object.keys(template.Resources).length < 250 }).toEqual({ name, under250: true });
      }
    });
  });
});
