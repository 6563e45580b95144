import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { ResilientService } from '../../../constructs/aws/compute/resilient-service';
import type { ResilientServiceProps } from '../../../constructs/aws/compute/resilient-service';
import { MultiAzNetwork } from '../../../constructs/aws/network/multi-az-network';
import { formatFindings, nagFindings, testStack } from '../../helpers/test-stack';

const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27');
const CERT_ARN = 'arn:aws:acm:eu-west-1:111111111111:certificate/11111111-2222-3333-4444-555555555555';

/** GIVEN a network; WHEN a ResilientService `Checkout` is added with `props` (and an HTTPS certificate when asked). */
function build(props: Partial<ResilientServiceProps> = {},
  options: { certificate?: boolean; nag?: boolean } = {}): { stack: Stack; service: ResilientService; template: () => Template } {
  const stack = testStack({ nag: options.nag });
  const network = new MultiAzNetwork(stack, 'Network');
  const certificate = options.certificate ? acm.Certificate.fromCertificateArn(stack, 'Certificate', CERT_ARN) : undefined;
  const service = new ResilientService(stack, 'Checkout', { vpc: network.vpc, image: IMAGE, certificate, ...props });
  return { stack, service, template: () => Template.fromStack(stack) };
}

interface IngressRule {
  IpProtocol: string;
  FromPort?: number;
  ToPort?: number;
  CidrIp?: unknown;
  CidrIpv6?: string;
  SourceSecurityGroupId?: unknown;
  SourcePrefixListId?: unknown;
}

/** Logical ID of the load balancer's own security group (the only one attached). */
function loadBalancerGroup(template: Template): string {
  const lbs = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'));
  expect(lbs).toHaveLength(1);
  const groups = lbs[0].Properties.SecurityGroups as Array<{ 'Fn::GetAtt': [string, string] }>;
  expect(groups).toHaveLength(1);
  return groups[0]['Fn::GetAtt'][0];
}

/** Every ingress rule of a security group: inline and standalone `AWS::EC2::SecurityGroupIngress`. */
function ingressOf(template: Template, groupId: string): IngressRule[] {
  const group = template.toJSON().Resources[groupId] as { Properties: { SecurityGroupIngress?: IngressRule[] } };
  const standalone = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))
    .map((r) => r.Properties as IngressRule & { GroupId: unknown })
    .filter((r) => JSON.stringify(r.GroupId) === JSON.stringify({ 'Fn::GetAtt': [groupId, 'GroupId'] }))
    .map((r) => Object.fromEntries(Object.entries(r).filter(([key]) => key !== 'GroupId')) as unknown as IngressRule);
  return [...(group.Properties.SecurityGroupIngress ?? []), ...standalone];
}

const portsFromAnywhere = (rules: IngressRule[]) =>
  rules.filter((r) => r.CidrIp === '0.0.0.0/0').map((r) => [r.FromPort, r.ToPort]).sort();

describe('ResilientService internet ingress', () => {
  describe('internet-facing, allowInternetIngress left to its default', () => {
    test('HTTPS listener: 443 and the redirecting 80 are open to 0.0.0.0/0', () => {
      const { service, template } = build({ internetFacing: true }, { certificate: true });
      const t = template();
      t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internet-facing' });
      expect(portsFromAnywhere(ingressOf(t, loadBalancerGroup(t)))).toEqual([[443, 443], [80, 80]]);
      expect(service.allowsInternetIngress).toBe(true);
    });

    test('no plain-HTTP service to the internet: internet-facing without a certificate is refused', () => {
      expect(() => build({ internetFacing: true })).toThrow(
        'Test/Checkout: certificate (undefined) is required with internetFacing: true (a public load balancer serves HTTPS only): pass certificate (an ACM certificate for the name clients use), or remove internetFacing for an internal load balancer reachable from the VPC');
    });

    test('allowInternetIngress: true is the same as the default', () => {
      const { service, template } = build({ internetFacing: true, allowInternetIngress: true }, { certificate: true });
      const t = template();
      expect(portsFromAnywhere(ingressOf(t, loadBalancerGroup(t)))).toEqual([[443, 443], [80, 80]]);
      expect(service.allowsInternetIngress).toBe(true);
    });
  });

  describe('internet-facing with allowInternetIngress: false', () => {
    test('the load balancer security group has no ingress rule at all', () => {
      const { service, template } = build({ internetFacing: true, allowInternetIngress: false }, { certificate: true });
      const t = template();
      t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internet-facing' });
      expect(ingressOf(t, loadBalancerGroup(t))).toEqual([]);
      expect(service.allowsInternetIngress).toBe(false);
    });

    test('the listeners are still built (HTTPS 443 and the 80 redirect)', () => {
      const t = build({ internetFacing: true, allowInternetIngress: false }, { certificate: true }).template();
      t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, Protocol: 'HTTPS' });
      t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, Protocol: 'HTTP', DefaultActions: [{ Type: 'redirect', RedirectConfig: { Port: '443', Protocol: 'HTTPS', StatusCode: 'HTTP_301' } }] });
    });

    test('cdk-nag AwsSolutions and NIST 800-53 rev 5 report nothing unacknowledged', () => {
      const { stack } = build({ internetFacing: true, allowInternetIngress: false }, { certificate: true, nag: true });
      expect(formatFindings(nagFindings(stack))).toEqual([]);
    });
  });

  describe('internal load balancer', () => {
    test.each<[string, Partial<ResilientServiceProps>]>([
      ['default', {}],
      ['internetFacing: false', { internetFacing: false }],
      ['allowInternetIngress: true is ignored', { internetFacing: false, allowInternetIngress: true }],
    ])('%s: only the VPC reaches the listener, allowsInternetIngress is false', (_name, props) => {
      const { service, template } = build(props);
      const t = template();
      t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal' });
      const rules = ingressOf(t, loadBalancerGroup(t));
      expect(portsFromAnywhere(rules)).toEqual([]);
      expect(rules).toEqual([expect.objectContaining({ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIp: { 'Fn::GetAtt': [expect.stringMatching(/^NetworkVpc/), 'CidrBlock'] } })]);
      expect(service.allowsInternetIngress).toBe(false);
    });
  });

  describe('productionRule', () => {
    test('is the priority-1 rule forwarding every path; a condition added to it lands in the template', () => {
      const { stack, service, template } = build({ internetFacing: true, allowInternetIngress: false }, { certificate: true });
      service.productionRule.addCondition(elbv2.ListenerCondition.httpHeader('X-Test', ['yes']));
      const t = template();
      const rules = t.findResources('AWS::ElasticLoadBalancingV2::ListenerRule');
      expect(Object.keys(rules)).toEqual([stack.resolve((service.productionRule.node.defaultChild as elbv2.CfnListenerRule).logicalId)]);
      const [rule] = Object.values(rules);
      expect(rule.Properties.Priority).toBe(1);
      expect(rule.Properties.ListenerArn).toEqual({ Ref: stack.resolve((service.listener.node.defaultChild as elbv2.CfnListener).logicalId) });
      expect(rule.Properties.Conditions).toEqual([
        { Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } },
        { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Test', Values: ['yes'] } },
      ]);
    });
  });
});
