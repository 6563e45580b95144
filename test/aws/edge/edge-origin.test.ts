import { Fn, SecretValue, Stack } from 'aws-cdk-lib';
import type { CfnElement } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ResilientService } from '../../../constructs/aws/compute/resilient-service';
import {
  DEFAULT_EDGE_ORIGIN_OUTPUT_PREFIX, EdgeOrigin, edgeOriginOutputNames,
} from '../../../constructs/aws/edge/edge-origin';
import type { OriginVerifyHeader } from '../../../constructs/aws/edge/edge-origin';
import { MultiAzNetwork } from '../../../constructs/aws/network/multi-az-network';
import { PlatformValidationError } from '../../../constructs/core/errors';
import { testStack } from '../../helpers/test-stack';

const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27');
const ALB_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/internal-checkout/0123456789abcdef';
const W = 'Test/Edge';

/** An origin-verify header whose value is a deploy-time secret reference (a token), as `validate` requires. */
function header(overrides: Partial<OriginVerifyHeader> = {}): OriginVerifyHeader {
  return { name: 'X-Origin-Verify', value: SecretValue.secretsManager('svc/origin-verify').unsafeUnwrap(), ...overrides };
}

/** Resolves a value (tokens included) the way CloudFormation output would carry it. */
function resolved(value: unknown): unknown {
  return new Stack().resolve(value);
}

describe('EdgeOrigin', () => {
  describe('fromLoadBalancer', () => {
    test('a VPC origin on the given ARN, host name and region, HTTP_ONLY unless told otherwise', () => {
      // GIVEN plain values; WHEN described as an origin
      const origin = EdgeOrigin.fromLoadBalancer({ loadBalancerArn: ALB_ARN, domainName: 'internal-checkout.elb.example', region: 'eu-west-1' });
      // THEN it is a VPC origin carrying exactly those values
      expect(origin).toMatchObject({
        kind: 'vpc', loadBalancerArn: ALB_ARN, domainName: 'internal-checkout.elb.example', region: 'eu-west-1',
        protocolPolicy: cloudfront.OriginProtocolPolicy.HTTP_ONLY,
      });
      expect(origin.originVerifyHeader).toBeUndefined();
    });

    test('HTTPS_ONLY is kept', () => {
      const origin = EdgeOrigin.fromLoadBalancer({
        loadBalancerArn: ALB_ARN, domainName: 'origin.example.com', region: 'eu-west-1', protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      });
      expect(origin.protocolPolicy).toBe(cloudfront.OriginProtocolPolicy.HTTPS_ONLY);
    });
  });

  describe('fromStackOutputs', () => {
    test('reads the ARN and the host name with Fn::GetStackOutput from the regional stack, in its region', () => {
      // GIVEN the regional stack's name and region; WHEN the origin is taken from its outputs
      const origin = EdgeOrigin.fromStackOutputs({ stackName: 'checkout-primary', region: 'eu-west-1' });
      // THEN both values are deploy-time reads of the default outputs, the region is the plain string
      expect(resolved(origin.loadBalancerArn)).toEqual({
        'Fn::GetStackOutput': { StackName: 'checkout-primary', OutputName: 'EdgeOriginLoadBalancerArn', Region: 'eu-west-1' },
      });
      expect(resolved(origin.domainName)).toEqual({
        'Fn::GetStackOutput': { StackName: 'checkout-primary', OutputName: 'EdgeOriginDomainName', Region: 'eu-west-1' },
      });
      expect(origin).toMatchObject({ kind: 'vpc', region: 'eu-west-1', protocolPolicy: cloudfront.OriginProtocolPolicy.HTTP_ONLY });
    });

    test('outputPrefix names the outputs the CloudFrontOriginAccess published', () => {
      const origin = EdgeOrigin.fromStackOutputs({ stackName: 'checkout-secondary', region: 'eu-central-1', outputPrefix: 'Api' });
      expect(resolved(origin.loadBalancerArn)).toEqual({
        'Fn::GetStackOutput': { StackName: 'checkout-secondary', OutputName: 'ApiLoadBalancerArn', Region: 'eu-central-1' },
      });
      expect(resolved(origin.domainName)).toEqual({
        'Fn::GetStackOutput': { StackName: 'checkout-secondary', OutputName: 'ApiDomainName', Region: 'eu-central-1' },
      });
    });

    test('the output names come from one place: edgeOriginOutputNames with the default prefix EdgeOrigin', () => {
      expect(DEFAULT_EDGE_ORIGIN_OUTPUT_PREFIX).toBe('EdgeOrigin');
      expect(edgeOriginOutputNames('Shop')).toEqual({ loadBalancerArn: 'ShopLoadBalancerArn', domainName: 'ShopDomainName' });
    });
  });

  describe('fromPublicName', () => {
    test('a routed name: public, HTTPS only, the header kept, no region', () => {
      const verify = header();
      const origin = EdgeOrigin.fromPublicName({ domainName: 'origin.shop.example.com', originVerifyHeader: verify });
      expect(origin).toMatchObject({
        kind: 'public', domainName: 'origin.shop.example.com', protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
        originVerifyHeader: verify,
      });
      expect(origin.region).toBeUndefined();
      expect(origin.loadBalancerArn).toBeUndefined();
      expect(() => origin.validate(W, 'primaryOrigin')).not.toThrow();
    });

    test('a regional name keeps its region', () => {
      const origin = EdgeOrigin.fromPublicName({ domainName: 'eu-west-1.origin.shop.example.com', originVerifyHeader: header(), region: 'eu-west-1' });
      expect(origin.region).toBe('eu-west-1');
      expect(() => origin.validate(W, 'healthCheckOrigins[0]')).not.toThrow();
    });
  });

  describe('fromService', () => {
    let stack: Stack;
    let service: ResilientService;
    beforeAll(() => {
      // GIVEN an internal ResilientService in eu-west-1
      stack = testStack();
      const network = new MultiAzNetwork(stack, 'Network');
      service = new ResilientService(stack, 'Checkout', { vpc: network.vpc, image: IMAGE, internetFacing: false });
    });

    test("the service's load balancer: its ARN and DNS name, the stack's region", () => {
      const origin = EdgeOrigin.fromService(service);
      const alb = stack.getLogicalId(service.loadBalancer.node.defaultChild as CfnElement);
      expect(stack.resolve(origin.loadBalancerArn)).toEqual({ Ref: alb });
      expect(stack.resolve(origin.domainName)).toEqual({ 'Fn::GetAtt': [alb, 'DNSName'] });
      expect(origin).toMatchObject({ kind: 'vpc', region: 'eu-west-1', protocolPolicy: cloudfront.OriginProtocolPolicy.HTTP_ONLY });
    });

    test('domainName and protocolPolicy override the defaults', () => {
      const origin = EdgeOrigin.fromService(service, { domainName: 'origin.example.com', protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY });
      expect(origin.domainName).toBe('origin.example.com');
      expect(origin.protocolPolicy).toBe(cloudfront.OriginProtocolPolicy.HTTPS_ONLY);
    });
  });

  describe('validate', () => {
    test.each<[string, () => EdgeOrigin, string]>([
      ['a region that is not a region name',
        () => EdgeOrigin.fromStackOutputs({ stackName: 'checkout-primary', region: 'Ireland' }),
        `${W}: primaryOrigin.region ('Ireland') is not a region name: pass the origin's region as a plain string such as 'eu-west-1'`],
      ['a region given as a token',
        () => EdgeOrigin.fromLoadBalancer({ loadBalancerArn: ALB_ARN, domainName: 'x.example.com', region: Fn.ref('AWS::Region') }),
        `${W}: primaryOrigin.region ('<token>') is not a region name: pass the origin's region as a plain string such as 'eu-west-1'`],
      ['MATCH_VIEWER on a VPC origin',
        () => EdgeOrigin.fromLoadBalancer({ loadBalancerArn: ALB_ARN, domainName: 'x.example.com', region: 'eu-west-1', protocolPolicy: cloudfront.OriginProtocolPolicy.MATCH_VIEWER }),
        `${W}: primaryOrigin.protocolPolicy ('match-viewer') is not supported for a VPC origin: use OriginProtocolPolicy.HTTP_ONLY (listener on 80) or OriginProtocolPolicy.HTTPS_ONLY (listener on 443)`],
      ['a header name with a space',
        () => EdgeOrigin.fromPublicName({ domainName: 'origin.shop.example.com', originVerifyHeader: header({ name: 'X Origin' }) }),
        `${W}: primaryOrigin.originVerifyHeader.name ('X Origin') is not an HTTP header name: use letters, digits and dashes, e.g. 'X-Origin-Verify'`],
      ['a literal header value',
        () => EdgeOrigin.fromPublicName({ domainName: 'origin.shop.example.com', originVerifyHeader: header({ value: 'let-me-in' }) }),
        `${W}: primaryOrigin.originVerifyHeader.value ('<literal>') is a literal string, readable by anyone who can read the template: pass a secret resolved at deploy time, e.g. SecretValue.secretsManager('<name>').unsafeUnwrap()`],
      ['a regional public name with a bad region',
        () => EdgeOrigin.fromPublicName({ domainName: 'origin.shop.example.com', originVerifyHeader: header(), region: 'Frankfurt' }),
        `${W}: primaryOrigin.region ('Frankfurt') is not a region name: pass the origin's region as a plain string such as 'eu-west-1'`],
    ])('refuses %s with the exact message', (_name, make, message) => {
      // GIVEN a described origin; WHEN the construct at W validates it as `primaryOrigin`; THEN the exact message
      const origin = make();
      expect(() => origin.validate(W, 'primaryOrigin')).toThrow(PlatformValidationError);
      expect(() => origin.validate(W, 'primaryOrigin')).toThrow(message);
    });

    test('the prop name given is the one the message names', () => {
      const origin = EdgeOrigin.fromStackOutputs({ stackName: 'checkout-secondary', region: 'Frankfurt' });
      expect(() => origin.validate(W, 'secondaryOrigin')).toThrow(`${W}: secondaryOrigin.region ('Frankfurt')`);
    });

    test('a VPC origin from stack outputs in a real region passes', () => {
      expect(() => EdgeOrigin.fromStackOutputs({ stackName: 'checkout-primary', region: 'eu-west-1' }).validate(W, 'primaryOrigin')).not.toThrow();
    });
  });
});
