import { Duration } from 'aws-cdk-lib';
import type { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { DistributedCache } from '../../../constructs/aws/cache/distributed-cache';
import { ResilientService } from '../../../constructs/aws/compute/resilient-service';
import type { ResilientServiceProps } from '../../../constructs/aws/compute/resilient-service';
import { MultiAzNetwork } from '../../../constructs/aws/network/multi-az-network';
import { formatFindings, nagFindings, testStack } from '../../helpers/test-stack';

const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27');

type Props = Partial<Omit<ResilientServiceProps, 'distributedCache'>>;

/** GIVEN a network (and, with `withCache`, a DistributedCache); WHEN a ResilientService is added with `props`. */
function build(props: Props = {},
  options: { withCache?: boolean; nag?: boolean } = {}): { stack: Stack; service: ResilientService; cache?: DistributedCache } {
  const stack = testStack({ nag: options.nag });
  const vpc = new MultiAzNetwork(stack, 'Network').vpc;
  const cache = options.withCache ? new DistributedCache(stack, 'Cache', { vpc }) : undefined;
  const service = new ResilientService(stack, 'Checkout', { vpc, image: IMAGE, distributedCache: cache, ...props });
  return { stack, service, cache };
}

interface ContainerDefinition {
  Environment?: Array<{ Name: string; Value: unknown }>;
  Secrets?: Array<{ Name: string; ValueFrom: unknown }>;
}

function container(template: Template): ContainerDefinition {
  const taskDefinition = Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0];
  return (taskDefinition.Properties as { ContainerDefinitions: ContainerDefinition[] }).ContainerDefinitions[0];
}

function environment(template: Template): Record<string, unknown> {
  return Object.fromEntries((container(template).Environment ?? []).map((e) => [e.Name, e.Value]));
}

describe('ResilientService cache tier', () => {
  let withCache: { stack: Stack; template: Template };
  beforeAll(() => {
    const { stack } = build({}, { withCache: true });
    withCache = { stack, template: Template.fromStack(stack) };
  });

  describe('in-process L1 cache', () => {
    test('always passes the L1 TTL (5 minutes) and size (10,000 entries), and no L2 settings without a cache', () => {
      const env = environment(Template.fromStack(build().stack));
      expect(env).toEqual({ CACHE_L1_TTL_SECONDS: '300', CACHE_L1_MAX_ITEMS: '10000' });
    });

    test('cacheL1Ttl and cacheL1MaxItems set them', () => {
      const env = environment(Template.fromStack(build({ cacheL1Ttl: Duration.seconds(90), cacheL1MaxItems: 500 }).stack));
      expect(env).toMatchObject({ CACHE_L1_TTL_SECONDS: '90', CACHE_L1_MAX_ITEMS: '500' });
    });

    test('inProcessCache false (an image without an in-process cache) passes no L1 setting', () => {
      const env = environment(Template.fromStack(build({ inProcessCache: false, environment: { LOG_FORMAT: 'json' } }).stack));
      expect(env).toEqual({ LOG_FORMAT: 'json' });
    });

    test.each<[string, Props, string]>([
      ['cacheL1Ttl', { inProcessCache: false, cacheL1Ttl: Duration.seconds(90) },
        "Test/Checkout: cacheL1Ttl ('1 minute 30 seconds') is set with inProcessCache false: remove cacheL1Ttl, or set inProcessCache to true if the image keeps an in-process cache"],
      ['cacheL1MaxItems', { inProcessCache: false, cacheL1MaxItems: 500 },
        'Test/Checkout: cacheL1MaxItems (500) is set with inProcessCache false: remove cacheL1MaxItems, or set inProcessCache to true if the image keeps an in-process cache'],
    ])('inProcessCache false with %s is an error', (_name, props, message) => {
      expect(() => build(props)).toThrow(message);
    });

    test('user environment is kept next to the cache settings', () => {
      const env = environment(Template.fromStack(build({ environment: { LOG_FORMAT: 'json' } }).stack));
      expect(env).toEqual({ LOG_FORMAT: 'json', CACHE_L1_TTL_SECONDS: '300', CACHE_L1_MAX_ITEMS: '10000' });
    });
  });

  describe('distributed L2 cache', () => {
    test('passes endpoint, port, TLS, cluster mode and the L2 TTL (30 minutes) as plain environment', () => {
      const env = environment(withCache.template);
      expect(env).toMatchObject({
        CACHE_L2_ENDPOINT: { 'Fn::GetAtt': [expect.stringMatching(/^Cache[0-9A-F]{8}$/), 'PrimaryEndPoint.Address'] },
        CACHE_L2_PORT: '6379',
        CACHE_L2_TLS: 'true',
        CACHE_L2_CLUSTER_MODE: 'false',
        CACHE_L2_TTL_SECONDS: '1800',
      });
    });

    test('passes the credentials as ECS secrets from Secrets Manager, never as environment', () => {
      const def = container(withCache.template);
      expect(def.Secrets).toEqual([
        { Name: 'CACHE_L2_USERNAME', ValueFrom: { 'Fn::Join': ['', [{ Ref: expect.stringMatching(/^CacheSecret/) }, ':username::']] } },
        { Name: 'CACHE_L2_PASSWORD', ValueFrom: { 'Fn::Join': ['', [{ Ref: expect.stringMatching(/^CacheSecret/) }, ':password::']] } },
      ]);
      expect(JSON.stringify(def.Environment)).not.toMatch(/password|CacheSecret/i);
    });

    test('the cache accepts the service security group on its port, and nothing else', () => {
      withCache.template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 2); // ALB -> tasks, tasks -> cache
      withCache.template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        IpProtocol: 'tcp', FromPort: 6379, ToPort: 6379,
        GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CacheSecurityGroup'), 'GroupId'] },
        SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CheckoutServiceSecurityGroup'), 'GroupId'] },
      });
    });

    test('the task role may read the credentials (grantConnect), the execution role injects them', () => {
      for (const role of ['^CheckoutTaskDefinitionTaskRole', '^CheckoutTaskDefinitionExecutionRole']) {
        withCache.template.hasResourceProperties('AWS::IAM::Policy', {
          Roles: [{ Ref: Match.stringLikeRegexp(role) }],
          PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
            Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
            Resource: { Ref: Match.stringLikeRegexp('^CacheSecret') },
          })]) },
        });
      }
    });

    test('cacheL2Ttl sets the L2 TTL', () => {
      const env = environment(Template.fromStack(build({ cacheL2Ttl: Duration.hours(2) }, { withCache: true }).stack));
      expect(env.CACHE_L2_TTL_SECONDS).toBe('7200');
    });

    test('an L1 TTL longer than the L2 TTL is a warning', () => {
      const { stack } = build({ cacheL1Ttl: Duration.minutes(10), cacheL2Ttl: Duration.minutes(5) }, { withCache: true });
      Annotations.fromStack(stack).hasWarning('/Test/Checkout', Match.stringLikeRegexp(
        '^cacheL1Ttl \\(600 seconds\\) is longer than cacheL2Ttl \\(300 seconds\\)'));
    });

    test('the default TTLs (5 and 30 minutes) do not warn', () => {
      Annotations.fromStack(withCache.stack).hasNoWarning('/Test/Checkout', Match.stringLikeRegexp('cacheL1Ttl'));
    });
  });

  describe('validation', () => {
    test.each<[string, Props, boolean, string]>([
      ['L1 TTL below 1 second', { cacheL1Ttl: Duration.millis(500) }, false,
        'Test/Checkout: cacheL1Ttl (seconds) (0.5) must be an integer from 1 to 86400: set cacheL1Ttl (seconds) to a whole number between 1 and 86400'],
      ['L1 TTL above 1 day', { cacheL1Ttl: Duration.days(2) }, false,
        'Test/Checkout: cacheL1Ttl (seconds) (172800) must be an integer from 1 to 86400: set cacheL1Ttl (seconds) to a whole number between 1 and 86400'],
      ['no L1 entries', { cacheL1MaxItems: 0 }, false,
        'Test/Checkout: cacheL1MaxItems (0) must be an integer from 1 to 10000000: set cacheL1MaxItems to a whole number between 1 and 10000000'],
      ['L2 TTL above 7 days', { cacheL2Ttl: Duration.days(8) }, true,
        'Test/Checkout: cacheL2Ttl (seconds) (691200) must be an integer from 1 to 604800: set cacheL2Ttl (seconds) to a whole number between 1 and 604800'],
      ['L2 TTL without a distributed cache', { cacheL2Ttl: Duration.minutes(30) }, false,
        "Test/Checkout: cacheL2Ttl ('30 minutes') is set without distributedCache: pass distributedCache (e.g. a DistributedCache) or remove cacheL2Ttl"],
      ['a cache variable in environment', { environment: { CACHE_L2_ENDPOINT: 'localhost' } }, false,
        "Test/Checkout: environment ('CACHE_L2_ENDPOINT') sets a variable the cache tier props own: configure the cache with cacheL1Ttl, cacheL1MaxItems, distributedCache and cacheL2Ttl instead"],
    ])('%s', (_, props, withCacheTier, message) => {
      expect(() => build(props, { withCache: withCacheTier })).toThrow(message);
    });
  });

  describe('cdk-nag', () => {
    test('AwsSolutions and NIST 800-53 rev 5 report nothing on a service reading through a cache', () => {
      // GIVEN an HTTPS service (the plain-HTTP findings are the service's own, covered by its tests)
      const stack = testStack({ nag: true });
      const vpc = new MultiAzNetwork(stack, 'Network').vpc;
      const cache = new DistributedCache(stack, 'Cache', { vpc });
      const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-west-1:111111111111:certificate/11111111-2222-3333-4444-555555555555');
      // WHEN
      new ResilientService(stack, 'Checkout', { vpc, image: IMAGE, certificate, distributedCache: cache });
      // THEN
      expect(formatFindings(nagFindings(stack))).toEqual([]);
    });
  });
});
