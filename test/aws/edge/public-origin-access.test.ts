import { SecretValue } from 'aws-cdk-lib';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ResilientService } from '../../../constructs/aws/compute/resilient-service';
import type { ResilientServiceProps } from '../../../constructs/aws/compute/resilient-service';
import { PublicOriginAccess, publicOriginOutputNames } from '../../../constructs/aws/edge/public-origin-access';
import type { PublicOriginAccessProps } from '../../../constructs/aws/edge/public-origin-access';
import { MultiAzNetwork } from '../../../constructs/aws/network/multi-az-network';
import { formatFindings, nagFindings, testStack } from '../../helpers/test-stack';

const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27');
const CERT_ARN = 'arn:aws:acm:eu-west-1:111111111111:certificate/11111111-2222-3333-4444-555555555555';
const HOSTED_ZONE_ID = 'Z0123456789ABCDEFGHIJ';
const REGIONAL_NAME = 'eu-west-1.origin.shop.example.com';
const SECRET_REFERENCE = '{{resolve:secretsmanager:svc/origin-verify:SecretString:::}}';
const PREFIX_LIST_NAME = 'com.amazonaws.global.cloudfront.origin-facing';

type AccessProps = Partial<Omit<PublicOriginAccessProps, 'service' | 'hostedZone'>>;

interface Built {
  stack: Stack;
  service: ResilientService;
  access: PublicOriginAccess;
}

/**
 * A regional stack with an internet-facing ResilientService `Checkout` (HTTPS, no internet ingress) and a
 * PublicOriginAccess `PublicAccess` on it; `service` overrides the service props, `certificate: false` drops it.
 */
function build(props: AccessProps = {}, options: { nag?: boolean; service?: Partial<ResilientServiceProps>; certificate?: boolean } = {}): Built {
  const stack = testStack({ nag: options.nag });
  const network = new MultiAzNetwork(stack, 'Network');
  const certificate = options.certificate === false ? undefined : acm.Certificate.fromCertificateArn(stack, 'Certificate', CERT_ARN);
  const service = new ResilientService(stack, 'Checkout', {
    vpc: network.vpc, image: IMAGE, internetFacing: true, allowInternetIngress: false, certificate, ...options.service,
  });
  const access = new PublicOriginAccess(stack, 'PublicAccess', {
    service,
    originVerifyHeader: { name: 'X-Origin-Verify', value: SecretValue.secretsManager('svc/origin-verify').unsafeUnwrap() },
    hostedZone: route53.HostedZone.fromHostedZoneId(stack, 'Zone', HOSTED_ZONE_ID),
    regionalDomainName: REGIONAL_NAME,
    ...props,
  });
  return { stack, service, access };
}

function logicalIdOf(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.resolve((construct.node.defaultChild as { logicalId: string }).logicalId) as string;
}

interface IngressRule {
  IpProtocol: string;
  FromPort?: number;
  ToPort?: number;
  CidrIp?: string;
  CidrIpv6?: string;
  SourcePrefixListId?: unknown;
  SourceSecurityGroupId?: unknown;
}

/** Logical IDs of the security groups attached to the (only) load balancer. */
function loadBalancerGroups(template: Template): string[] {
  const lbs = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'));
  expect(lbs).toHaveLength(1);
  return (lbs[0].Properties.SecurityGroups as Array<{ 'Fn::GetAtt': [string, string] }>).map((g) => g['Fn::GetAtt'][0]);
}

/** Every ingress rule of a security group: inline and standalone `AWS::EC2::SecurityGroupIngress`. */
function ingressOf(template: Template, groupId: string): IngressRule[] {
  const group = template.toJSON().Resources[groupId] as { Properties: { SecurityGroupIngress?: IngressRule[] } };
  const inline = group.Properties.SecurityGroupIngress ?? [];
  const standalone = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))
    .map((r) => r.Properties as IngressRule & { GroupId: unknown })
    .filter((r) => JSON.stringify(r.GroupId) === JSON.stringify({ 'Fn::GetAtt': [groupId, 'GroupId'] }))
    .map((r) => Object.fromEntries(Object.entries(r).filter(([key]) => key !== 'GroupId')) as unknown as IngressRule);
  return [...inline, ...standalone];
}

describe('PublicOriginAccess', () => {
  let defaults: Built & { template: Template };
  beforeAll(() => {
    const built = build();
    defaults = { ...built, template: Template.fromStack(built.stack) };
  });

  describe('network: CloudFront only', () => {
    test('the load balancer stays internet-facing and gets the dedicated CloudFront security group', () => {
      const sg = logicalIdOf(defaults.stack, defaults.access.securityGroup);
      defaults.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internet-facing' });
      expect(loadBalancerGroups(defaults.template)).toContain(sg);
      expect(loadBalancerGroups(defaults.template)).toHaveLength(2);
    });

    test('the group admits exactly HTTPS 443 from the origin-facing prefix list, its ID looked up at deploy time', () => {
      const sg = logicalIdOf(defaults.stack, defaults.access.securityGroup);
      const lookups = defaults.template.findResources('Custom::AWS');
      expect(Object.keys(lookups)).toHaveLength(1);
      const [lookupId, lookup] = Object.entries(lookups)[0];
      expect(JSON.parse(lookup.Properties.Create as string)).toEqual({
        service: 'EC2',
        action: 'describeManagedPrefixLists',
        parameters: { Filters: [{ Name: 'prefix-list-name', Values: [PREFIX_LIST_NAME] }] },
        physicalResourceId: { id: PREFIX_LIST_NAME },
        outputPaths: ['PrefixLists.0.PrefixListId'],
      });
      expect(lookup.Properties.Update).toEqual(lookup.Properties.Create);
      expect(ingressOf(defaults.template, sg)).toEqual([expect.objectContaining({
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        SourcePrefixListId: { 'Fn::GetAtt': [lookupId, 'PrefixLists.0.PrefixListId'] },
      })]);
      expect(defaults.stack.resolve(defaults.access.prefixListId)).toEqual({ 'Fn::GetAtt': [lookupId, 'PrefixLists.0.PrefixListId'] });
    });

    test('no rule of any load balancer group admits the internet; the service group of the load balancer admits nothing', () => {
      const groups = loadBalancerGroups(defaults.template);
      const rules = groups.flatMap((g) => ingressOf(defaults.template, g));
      expect(rules.filter((r) => r.CidrIp === '0.0.0.0/0' || r.CidrIpv6 === '::/0')).toEqual([]);
      expect(rules.filter((r) => r.SourcePrefixListId === undefined)).toEqual([]);
      const serviceGroup = groups.find((g) => g !== logicalIdOf(defaults.stack, defaults.access.securityGroup))!;
      expect(ingressOf(defaults.template, serviceGroup)).toEqual([]);
    });

    test('nothing in the stack admits 0.0.0.0/0', () => {
      const json = defaults.template.toJSON() as {
        Resources: Record<string, { Type: string; Properties?: { SecurityGroupIngress?: IngressRule[]; CidrIp?: string } }>;
      };
      const open = Object.entries(json.Resources).filter(([, r]) =>
        (r.Type === 'AWS::EC2::SecurityGroup' && (r.Properties?.SecurityGroupIngress ?? []).some((i) => i.CidrIp === '0.0.0.0/0'))
        || (r.Type === 'AWS::EC2::SecurityGroupIngress' && r.Properties?.CidrIp === '0.0.0.0/0'));
      expect(open.map(([id]) => id)).toEqual([]);
    });

    test('a given prefix list ID is used as is, without a lookup', () => {
      const { stack, access } = build({ prefixListId: 'pl-3b927c52' });
      const template = Template.fromStack(stack);
      template.resourceCountIs('Custom::AWS', 0);
      expect(access.prefixListId).toBe('pl-3b927c52');
      expect(ingressOf(template, logicalIdOf(stack, access.securityGroup))).toEqual([expect.objectContaining({
        IpProtocol: 'tcp', FromPort: 443, ToPort: 443, SourcePrefixListId: 'pl-3b927c52',
      })]);
    });
  });

  describe('listener: the origin-verify header is required', () => {
    test('the production rule forwards only requests with the path and the secret header, resolved at deploy time', () => {
      const rules = Object.values(defaults.template.findResources('AWS::ElasticLoadBalancingV2::ListenerRule'));
      expect(rules).toHaveLength(1);
      expect(rules[0].Properties.Priority).toBe(1);
      expect(rules[0].Properties.Conditions).toEqual([
        { Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } },
        { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Origin-Verify', Values: [SECRET_REFERENCE] } },
      ]);
      expect(rules[0].Properties.ListenerArn).toEqual({ Ref: logicalIdOf(defaults.stack, defaults.service.listener) });
    });

    test('the rule is the service production rule, and a request without the header gets the listener 404', () => {
      const [ruleId] = Object.keys(defaults.template.findResources('AWS::ElasticLoadBalancingV2::ListenerRule'));
      expect(logicalIdOf(defaults.stack, defaults.service.productionRule)).toBe(ruleId);
      defaults.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 443,
        Protocol: 'HTTPS',
        DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'Not Found' } }],
      });
    });

    test('with a blue/green deployment the weighted production rule requires the header too; the test listener admits nothing', () => {
      const { stack, service } = build({}, { service: { deploymentStrategy: ecs.DeploymentStrategy.BLUE_GREEN } });
      const template = Template.fromStack(stack);
      const production = { Ref: logicalIdOf(stack, service.listener) };
      const all = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::ListenerRule'));
      const rules = all.filter((r) => JSON.stringify(r.Properties.ListenerArn) === JSON.stringify(production));
      expect(rules).toHaveLength(1);
      // The test listener's rule (smoke tests of the new revision) has no header: nothing may reach its port by default.
      expect(all).toHaveLength(2);
      const testPort = service.testListener?.port;
      const ingress = [
        ...Object.values(template.findResources('AWS::EC2::SecurityGroup')).flatMap((g) => (g.Properties.SecurityGroupIngress ?? []) as Array<{ FromPort: number }>),
        ...Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties as { FromPort: number }),
      ];
      expect([testPort, ingress.filter((r) => r.FromPort === testPort)]).toEqual([9443, []]);
      expect(rules[0].Properties.Conditions).toContainEqual(
        { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Origin-Verify', Values: [SECRET_REFERENCE] } });
      expect((rules[0].Properties.Actions as Array<{ ForwardConfig?: { TargetGroups: unknown[] } }>)[0].ForwardConfig?.TargetGroups).toHaveLength(2);
    });
  });

  describe('DNS and outputs', () => {
    test("an A alias record of the region's own name (trailing dot) to the load balancer", () => {
      const lb = logicalIdOf(defaults.stack, defaults.service.loadBalancer);
      const records = Object.values(defaults.template.findResources('AWS::Route53::RecordSet')).map((r) => r.Properties);
      expect(records).toEqual([{
        Name: `${REGIONAL_NAME}.`,
        Type: 'A',
        HostedZoneId: HOSTED_ZONE_ID,
        AliasTarget: {
          DNSName: { 'Fn::Join': ['', ['dualstack.', { 'Fn::GetAtt': [lb, 'DNSName'] }]] },
          HostedZoneId: { 'Fn::GetAtt': [lb, 'CanonicalHostedZoneID'] },
        },
      }]);
    });

    test('publishes the load balancer DNS name, its hosted zone and the regional name under well-known output names', () => {
      const lb = logicalIdOf(defaults.stack, defaults.service.loadBalancer);
      const outputs = defaults.template.toJSON().Outputs as Record<string, { Value: unknown }>;
      expect(Object.keys(outputs).filter((k) => k.startsWith('PublicOrigin')).sort()).toEqual([
        'PublicOriginCanonicalHostedZoneId', 'PublicOriginDomainName', 'PublicOriginLoadBalancerDnsName',
      ]);
      expect(outputs.PublicOriginLoadBalancerDnsName.Value).toEqual({ 'Fn::GetAtt': [lb, 'DNSName'] });
      expect(outputs.PublicOriginCanonicalHostedZoneId.Value).toEqual({ 'Fn::GetAtt': [lb, 'CanonicalHostedZoneID'] });
      expect(outputs.PublicOriginDomainName.Value).toBe(REGIONAL_NAME);
    });

    test('outputPrefix renames the outputs, as publicOriginOutputNames says', () => {
      const { stack } = build({ outputPrefix: 'CheckoutOrigin' });
      const outputs = Template.fromStack(stack).toJSON().Outputs as Record<string, { Value: unknown }>;
      const names = publicOriginOutputNames('CheckoutOrigin');
      expect(names).toEqual({
        loadBalancerDnsName: 'CheckoutOriginLoadBalancerDnsName',
        canonicalHostedZoneId: 'CheckoutOriginCanonicalHostedZoneId',
        domainName: 'CheckoutOriginDomainName',
      });
      for (const name of Object.values(names)) expect(outputs[name]).toBeDefined();
      expect(outputs.CheckoutOriginDomainName.Value).toBe(REGIONAL_NAME);
      expect(Object.keys(outputs).filter((k) => k.startsWith('PublicOrigin'))).toEqual([]);
    });
  });

  describe('compliance', () => {
    test.each<[string, AccessProps]>([
      ['prefix list looked up', {}],
      ['prefix list given', { prefixListId: 'pl-3b927c52' }],
    ])('%s: AwsSolutions and NIST 800-53 rev 5 report no unacknowledged finding', (_name, props) => {
      expect(formatFindings(nagFindings(build(props, { nag: true }).stack))).toEqual([]);
    });
  });

  describe('validation', () => {
    const W = 'Test/PublicAccess';
    test('an internal load balancer is refused', () => {
      expect(() => build({}, { service: { internetFacing: false } })).toThrow(
        `${W}: service ('Test/Checkout') has an internal load balancer, which no DNS record on the internet can route to: build the ResilientService with internetFacing: true and allowInternetIngress: false, or use CloudFrontOriginAccess (VPC origin) without DNS routing`);
    });

    test.each<[string, Partial<ResilientServiceProps>]>([
      ['left to its default', { allowInternetIngress: undefined }],
      ['set', { allowInternetIngress: true }],
    ])('a service admitting the internet (allowInternetIngress %s) is refused', (_name, service) => {
      expect(() => build({}, { service })).toThrow(
        `${W}: service ('Test/Checkout') admits any address on its listeners (allowInternetIngress is on): build the ResilientService with allowInternetIngress: false so CloudFront (and its WAF) is the only way in`);
    });

    test('a service without certificate (plain HTTP listener) is refused: the internet-facing service itself requires one', () => {
      expect(() => build({}, { certificate: false })).toThrow(
        'Test/Checkout: certificate (undefined) is required with internetFacing: true (a public load balancer serves HTTPS only): pass certificate (an ACM certificate for the name clients use), or remove internetFacing for an internal load balancer reachable from the VPC');
    });

    const notDns = (name: string) =>
      `${W}: regionalDomainName ('${name}') is not a fully qualified DNS name: pass this region's name such as 'eu-west-1.origin.shop.example.com' (no trailing dot)`;
    const badPrefixList = (id: string) =>
      `${W}: prefixListId ('${id}') is not a prefix list ID: pass the ID of ${PREFIX_LIST_NAME} in this region (pl- and 8 to 17 hex digits), or omit it to look it up at deploy time`;
    const badPrefix = (prefix: string) =>
      `${W}: outputPrefix ('${prefix}') is not a valid output name prefix: use letters and digits only, starting with a letter (e.g. 'CheckoutOrigin')`;

    test.each<[string, AccessProps, string]>([
      ['output prefix with a dash', { outputPrefix: 'public-origin' }, badPrefix('public-origin')],
      ['output prefix starting with a digit', { outputPrefix: '1Origin' }, badPrefix('1Origin')],
      ['empty output prefix', { outputPrefix: '' }, badPrefix('')],
      ['a security group ID as prefix list', { prefixListId: 'sg-0123456789abcdef0' }, badPrefixList('sg-0123456789abcdef0')],
      ['a prefix list ID too short', { prefixListId: 'pl-1234567' }, badPrefixList('pl-1234567')],
      ['a prefix list ID in upper case', { prefixListId: 'pl-3B927C52' }, badPrefixList('pl-3B927C52')],
      ['regional name with a trailing dot', { regionalDomainName: `${REGIONAL_NAME}.` }, notDns(`${REGIONAL_NAME}.`)],
      ['regional name that is not a DNS name', { regionalDomainName: 'eu west 1' }, notDns('eu west 1')],
      ['regional name with a scheme', { regionalDomainName: `https://${REGIONAL_NAME}` }, notDns(`https://${REGIONAL_NAME}`)],
    ])('%s', (_name, props, message) => {
      expect(() => build(props)).toThrow(message);
    });
  });
});
