import { Fn, Validations } from 'aws-cdk-lib';
import type { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type { IConstruct } from 'constructs';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ResilientService } from '../../../constructs/aws/compute/resilient-service';
import type { ResilientServiceProps } from '../../../constructs/aws/compute/resilient-service';
import { CloudFrontOriginAccess } from '../../../constructs/aws/edge/cloudfront-origin-access';
import type { CloudFrontOriginAccessProps } from '../../../constructs/aws/edge/cloudfront-origin-access';
import { EdgeDistribution } from '../../../constructs/aws/edge/edge-distribution';
import { EdgeOrigin } from '../../../constructs/aws/edge/edge-origin';
import { MultiAzNetwork } from '../../../constructs/aws/network/multi-az-network';
import { formatFindings, nagFindings, testStack } from '../../helpers/test-stack';

const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27');
const CERT_ARN = 'arn:aws:acm:eu-west-1:111111111111:certificate/11111111-2222-3333-4444-555555555555';

/** The reason of each rule acknowledged on `construct` (`Validations.of(...).acknowledge`), by rule id. */
function acknowledgedReasons(construct: IConstruct): Record<string, string> {
  return Object.assign({}, ...construct.node.metadata
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .map((m) => m.data as Record<string, string>));
}

/** A regional stack with an internal ResilientService `Checkout` and a CloudFrontOriginAccess `EdgeAccess`. */
function regionalStack(
  props: Partial<CloudFrontOriginAccessProps> = {},
  options: { region?: string; nag?: boolean; service?: Partial<ResilientServiceProps>; certificate?: boolean } = {},
): { stack: Stack; service: ResilientService; access: CloudFrontOriginAccess } {
  const stack = testStack({ region: options.region, nag: options.nag });
  const network = new MultiAzNetwork(stack, 'Network');
  const certificate = options.certificate ? acm.Certificate.fromCertificateArn(stack, 'Certificate', CERT_ARN) : undefined;
  const service = new ResilientService(stack, 'Checkout', { vpc: network.vpc, image: IMAGE, internetFacing: false, certificate, ...options.service });
  const access = new CloudFrontOriginAccess(stack, 'EdgeAccess', { service, ...props });
  return { stack, service, access };
}

function logicalIdOf(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.resolve((construct.node.defaultChild as { logicalId: string }).logicalId) as string;
}

describe('CloudFrontOriginAccess', () => {
  let defaults: { stack: Stack; service: ResilientService; access: CloudFrontOriginAccess; template: Template };
  beforeAll(() => {
    const built = regionalStack();
    defaults = { ...built, template: Template.fromStack(built.stack) };
  });

  test('the load balancer stays internal and gets a dedicated CloudFront security group', () => {
    const sg = logicalIdOf(defaults.stack, defaults.access.securityGroup);
    defaults.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internal',
      SecurityGroups: Match.arrayWith([{ 'Fn::GetAtt': [sg, 'GroupId'] }]),
    });
  });

  test('the group admits the listener port from the CloudFront origin-facing prefix list, looked up at deploy time', () => {
    const sg = logicalIdOf(defaults.stack, defaults.access.securityGroup);
    const lookups = defaults.template.findResources('Custom::AWS');
    const [lookupId, lookup] = Object.entries(lookups)[0];
    expect(Object.keys(lookups)).toHaveLength(1);
    expect(JSON.parse(lookup.Properties.Create as string)).toEqual({
      service: 'EC2',
      action: 'describeManagedPrefixLists',
      parameters: { Filters: [{ Name: 'prefix-list-name', Values: ['com.amazonaws.global.cloudfront.origin-facing'] }] },
      physicalResourceId: { id: 'com.amazonaws.global.cloudfront.origin-facing' },
      outputPaths: ['PrefixLists.0.PrefixListId'],
    });
    expect(lookup.Properties.Update).toEqual(lookup.Properties.Create);
    defaults.template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [sg, 'GroupId'] },
      IpProtocol: 'tcp',
      FromPort: 80,
      ToPort: 80,
      SourcePrefixListId: { 'Fn::GetAtt': [lookupId, 'PrefixLists.0.PrefixListId'] },
    });
    defaults.template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'ec2:DescribeManagedPrefixLists', Effect: 'Allow', Resource: '*' }], Version: '2012-10-17' },
    });
  });

  test('no rule of the group admits the internet', () => {
    const [sg] = Object.values(defaults.template.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: Match.stringLikeRegexp('CloudFront VPC origin') } }));
    const inline = (sg.Properties.SecurityGroupIngress ?? []) as Array<{ CidrIp?: unknown }>;
    expect(inline.filter((r) => r.CidrIp === '0.0.0.0/0')).toEqual([]);
    const standalone = Object.values(defaults.template.findResources('AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties as { CidrIp?: string });
    expect(standalone.filter((r) => r.CidrIp === '0.0.0.0/0')).toEqual([]);
  });

  test('a given prefix list ID is used as is, without a lookup', () => {
    const { stack } = regionalStack({ prefixListId: 'pl-4fa04526' });
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::AWS', 0);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { SourcePrefixListId: 'pl-4fa04526', FromPort: 80 });
  });

  test('publishes the load balancer ARN and DNS name under well-known output names', () => {
    const lb = logicalIdOf(defaults.stack, defaults.service.loadBalancer);
    const outputs = defaults.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.EdgeOriginLoadBalancerArn.Value).toEqual({ Ref: lb });
    expect(outputs.EdgeOriginDomainName.Value).toEqual({ 'Fn::GetAtt': [lb, 'DNSName'] });
  });

  test('outputPrefix and originDomainName change the outputs', () => {
    const { stack } = regionalStack({ outputPrefix: 'CheckoutOrigin', originDomainName: 'origin.example.com' });
    const outputs = Template.fromStack(stack).toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.CheckoutOriginDomainName.Value).toBe('origin.example.com');
    expect(outputs.CheckoutOriginLoadBalancerArn).toBeDefined();
  });

  test('EdgeOrigin.fromStackOutputs reads exactly those outputs with Fn::GetStackOutput', () => {
    const origin = EdgeOrigin.fromStackOutputs({ stackName: 'checkout-primary', region: 'eu-west-1', outputPrefix: 'CheckoutOrigin' });
    const stack = testStack({ region: 'us-east-1' });
    expect(stack.resolve(origin.loadBalancerArn)).toEqual(stack.resolve(Fn.getStackOutput('checkout-primary', 'CheckoutOriginLoadBalancerArn', 'eu-west-1')));
    expect(stack.resolve(origin.domainName)).toEqual({ 'Fn::GetStackOutput': { StackName: 'checkout-primary', OutputName: 'CheckoutOriginDomainName', Region: 'eu-west-1' } });
    expect(origin.region).toBe('eu-west-1');
  });

  describe('validation', () => {
    test('an internet-facing load balancer is refused', () => {
      expect(() => regionalStack({}, { service: { internetFacing: true }, certificate: true })).toThrow(
        "Test/EdgeAccess: service ('Test/Checkout') has an internet-facing load balancer: build the ResilientService with internetFacing: false so CloudFront (VPC origin) is its only way in from the internet");
    });

    test.each<[string, Partial<CloudFrontOriginAccessProps>, string]>([
      ['bad prefix list ID', { prefixListId: 'sg-123' },
        "Test/EdgeAccess: prefixListId ('sg-123') is not a prefix list ID: pass the ID of com.amazonaws.global.cloudfront.origin-facing in this region (pl- and 8 to 17 hex digits), or omit it to look it up at deploy time"],
      ['bad output prefix', { outputPrefix: 'edge-origin' },
        "Test/EdgeAccess: outputPrefix ('edge-origin') is not a valid output name prefix: use letters and digits only, starting with a letter (e.g. 'CheckoutOrigin')"],
    ])('%s', (_name, props, message) => {
      expect(() => regionalStack(props)).toThrow(message);
    });
  });

  describe('same-stack convenience', () => {
    test('EdgeOrigin.fromService wires a us-east-1 service into a distribution in the same stack', () => {
      const { stack, service } = regionalStack({}, { region: 'us-east-1' });
      new EdgeDistribution(stack, 'Edge', { primaryOrigin: EdgeOrigin.fromService(service) });
      const template = Template.fromStack(stack);
      const lb = logicalIdOf(stack, service.loadBalancer);
      template.hasResourceProperties('AWS::CloudFront::VpcOrigin', {
        VpcOriginEndpointConfig: Match.objectLike({ Arn: { Ref: lb }, OriginProtocolPolicy: 'http-only' }),
      });
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          Origins: [Match.objectLike({ DomainName: { 'Fn::GetAtt': [lb, 'DNSName'] }, OriginShield: { Enabled: true, OriginShieldRegion: 'us-east-1' } })],
        }),
      });
    });
  });

  describe('compliance', () => {
    test('the plain-HTTP listener acknowledgement does not promise TLS 1.2 to viewers the default certificate serves TLSv1', () => {
      const reasons = acknowledgedReasons(defaults.service.listener);
      const viaVpcOrigin = 'This listener of an internal load balancer is reached only by the CloudFront VPC origin over the AWS network (no public address). Viewers reach CloudFront, which redirects HTTP to HTTPS; their TLS version is the distribution\'s: TLSv1.2+ with domainNames and a certificate, while the default *.cloudfront.net certificate also accepts TLSv1 (EdgeDistribution warns and names the fix).';
      const forRules = (rule: string) => Object.entries(reasons).filter(([id]) => id.endsWith(rule)).map(([, reason]) => reason);
      expect(forRules('NIST.800.53.R5-ALBHttpToHttpsRedirection')).toEqual([viaVpcOrigin]);
      expect(forRules('NIST.800.53.R5-ELBv2ACMCertificateRequired')).toEqual([viaVpcOrigin]);
      // The service's own no-certificate warning is acknowledged with that reason: nothing left for the user to act on here.
      Annotations.fromStack(defaults.stack).hasNoWarning('/Test/Checkout', Match.stringLikeRegexp('No certificate'));
    });

    test('AwsSolutions and NIST 800-53 rev 5 report no unacknowledged finding (internal load balancer included)', () => {
      const { stack } = regionalStack({}, { nag: true });
      expect(formatFindings(nagFindings(stack))).toEqual([]);
    });
  });
});
