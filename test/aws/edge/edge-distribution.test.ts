import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import type { CfnElement, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { EdgeDistribution } from '../../../constructs/aws/edge/edge-distribution';
import type { EdgeDistributionProps } from '../../../constructs/aws/edge/edge-distribution';
import { EdgeOrigin } from '../../../constructs/aws/edge/edge-origin';
import { runbookPathFromUrl } from '../../../constructs/core/runbooks';
import { parseRunbook } from '../../helpers/runbooks';
import { formatFindings, nagFindings, testStack } from '../../helpers/test-stack';

const PRIMARY = EdgeOrigin.fromStackOutputs({ stackName: 'checkout-primary', region: 'eu-west-1' });
const SECONDARY = EdgeOrigin.fromStackOutputs({ stackName: 'checkout-secondary', region: 'eu-central-1' });
const CERT_ARN = 'arn:aws:acm:us-east-1:111111111111:certificate/11111111-2222-3333-4444-555555555555';

type ExtraProps = Partial<EdgeDistributionProps>;

/** The reason of each rule acknowledged on `construct` (`Validations.of(...).acknowledge`), by rule id. */
function acknowledgedReasons(construct: IConstruct): Record<string, string> {
  return Object.assign({}, ...construct.node.metadata
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .map((m) => m.data as Record<string, string>));
}

/** The synth warning of a distribution without a certificate. */
const DEFAULT_CERTIFICATE_WARNING = 'No certificate: viewers reach the distribution on its *.cloudfront.net name, whose default CloudFront certificate accepts TLSv1 and TLSv1.1. Pass domainNames and certificate (an ACM certificate in us-east-1) so viewers need TLSv1.2 (security policy TLSv1.2_2021). [ack: platform:edge:default-certificate]';

/** A us-east-1 stack with an EdgeDistribution `Edge` whose origins come from regional stack outputs. */
function edgeStack(props: ExtraProps = {},
  options: { region?: string; nag?: boolean } = {}): { stack: Stack; edge: EdgeDistribution; template: () => Template } {
  const stack = testStack({ region: options.region ?? 'us-east-1', nag: options.nag });
  const edge = new EdgeDistribution(stack, 'Edge', { primaryOrigin: PRIMARY, ...props });
  return { stack, edge, template: () => Template.fromStack(stack) };
}

interface Behavior {
  PathPattern?: string;
  TargetOriginId: string;
  AllowedMethods: string[];
  CachePolicyId: { Ref: string };
  OriginRequestPolicyId?: { Ref: string };
  Compress: boolean;
  ViewerProtocolPolicy: string;
  ResponseHeadersPolicyId: { Ref: string };
}
interface DistributionConfig {
  [key: string]: unknown;
  DefaultCacheBehavior: Behavior;
  CacheBehaviors: Behavior[];
  Origins: Array<{ Id: string; DomainName: unknown; OriginShield?: { Enabled: boolean; OriginShieldRegion?: string }; VpcOriginConfig: { VpcOriginId: { 'Fn::GetAtt': [string, string] } } }>;
  OriginGroups?: {
    Quantity: number;
    Items: Array<{ Id: string; FailoverCriteria: { StatusCodes: { Items: number[] } }; Members: { Items: Array<{ OriginId: string }> } }>;
  };
}

function distributionConfig(template: Template): DistributionConfig {
  const [d] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
  return d.Properties.DistributionConfig as DistributionConfig;
}

function behavior(config: DistributionConfig, path: string): Behavior {
  const found = config.CacheBehaviors.find((b) => b.PathPattern === path);
  if (!found) throw new Error(`no behaviour for ${path}`);
  return found;
}

/** Logical ID of the one resource of `type` built as child `<id>` of the construct `Edge`. */
function logicalId(template: Template, type: string, id: string): string {
  const entries = Object.entries(template.findResources(type)).filter(([logical]) => logical.startsWith(`Edge${id}`));
  expect(entries).toHaveLength(1);
  return entries[0][0];
}

interface AlarmProps {
  AlarmDescription: string;
  Threshold: number;
  ComparisonOperator: string;
  EvaluationPeriods: number;
  DatapointsToAlarm: number;
  MetricName: string;
  Namespace: string;
  Statistic?: string;
  ExtendedStatistic?: string;
  Period: number;
  Dimensions: Array<{ Name: string; Value: unknown }>;
}

function alarmFor(template: Template, runbook: string): AlarmProps {
  const found = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((r) => r.Properties as AlarmProps)
    .filter((a) => a.AlarmDescription.endsWith(`/runbooks/alerts/edge/${runbook}.md`));
  expect(found).toHaveLength(1);
  return found[0];
}

describe('EdgeDistribution', () => {
  let defaults: { stack: Stack; edge: EdgeDistribution; template: Template };
  let withSecondary: Template;
  beforeAll(() => {
    const built = edgeStack();
    defaults = { ...built, template: built.template() };
    withSecondary = edgeStack({ secondaryOrigin: SECONDARY }).template();
  });

  describe('origins (VPC origins, reachable only through CloudFront)', () => {
    test('a VPC origin per load balancer, endpoint ARN from the regional stack output, TLS 1.2 to the origin', () => {
      withSecondary.resourceCountIs('AWS::CloudFront::VpcOrigin', 2);
      withSecondary.hasResourceProperties('AWS::CloudFront::VpcOrigin', {
        VpcOriginEndpointConfig: {
          Arn: { 'Fn::GetStackOutput': { StackName: 'checkout-primary', Region: 'eu-west-1', OutputName: 'EdgeOriginLoadBalancerArn' } },
          OriginProtocolPolicy: 'http-only',
          HTTPPort: 80,
          HTTPSPort: 443,
          OriginSSLProtocols: ['TLSv1.2'],
        },
      });
      withSecondary.hasResourceProperties('AWS::CloudFront::VpcOrigin', {
        VpcOriginEndpointConfig: Match.objectLike({
          Arn: { 'Fn::GetStackOutput': { StackName: 'checkout-secondary', Region: 'eu-central-1', OutputName: 'EdgeOriginLoadBalancerArn' } },
        }),
      });
    });

    test('HTTPS_ONLY origins use port 443 with the given host name', () => {
      const template = edgeStack({
        primaryOrigin: EdgeOrigin.fromLoadBalancer({
          loadBalancerArn: 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/internal-checkout/0123456789abcdef',
          domainName: 'origin.checkout.example.com',
          region: 'eu-west-1',
          protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
        }),
      }).template();
      template.hasResourceProperties('AWS::CloudFront::VpcOrigin', {
        VpcOriginEndpointConfig: Match.objectLike({ OriginProtocolPolicy: 'https-only', HTTPSPort: 443 }),
      });
      expect(distributionConfig(template).Origins[0].DomainName).toBe('origin.checkout.example.com');
    });

    test('every distribution origin is a VPC origin with Origin Shield in its own region', () => {
      const config = distributionConfig(withSecondary);
      const vpcOriginRegion: Record<string, string> = {
        [logicalId(withSecondary, 'AWS::CloudFront::VpcOrigin', 'PrimaryVpcOrigin')]: 'eu-west-1',
        [logicalId(withSecondary, 'AWS::CloudFront::VpcOrigin', 'SecondaryVpcOrigin')]: 'eu-central-1',
      };
      for (const origin of config.Origins) {
        const vpcOrigin = origin.VpcOriginConfig.VpcOriginId['Fn::GetAtt'][0];
        expect(origin.OriginShield).toEqual({ Enabled: true, OriginShieldRegion: vpcOriginRegion[vpcOrigin] });
      }
      const primary = config.Origins.find((o) => o.Id === config.DefaultCacheBehavior.TargetOriginId);
      expect(primary?.OriginShield?.OriginShieldRegion).toBe('eu-west-1');
    });

    test('originShield: false turns Origin Shield off', () => {
      const config = distributionConfig(edgeStack({ originShield: false }).template());
      expect(config.Origins.every((o) => o.OriginShield?.Enabled === false)).toBe(true);
    });

    test('without a secondary origin there is no origin group', () => {
      expect(distributionConfig(defaults.template).OriginGroups).toBeUndefined();
    });

    test('with a secondary origin, static reads fail over on 500/502/503/504 to the secondary region', () => {
      const config = distributionConfig(withSecondary);
      expect(config.OriginGroups?.Quantity).toBe(1);
      const group = config.OriginGroups!.Items[0];
      expect(group.FailoverCriteria.StatusCodes.Items).toEqual([500, 502, 503, 504]);
      const [first, second] = group.Members.Items.map((m) => config.Origins.find((o) => o.Id === m.OriginId));
      expect(first?.OriginShield?.OriginShieldRegion).toBe('eu-west-1');
      expect(second?.OriginShield?.OriginShieldRegion).toBe('eu-central-1');
      for (const path of ['/static/*', '/assets/*']) expect(behavior(config, path).TargetOriginId).toBe(group.Id);
    });

    test('API and default behaviours (writes allowed) stay on the primary origin', () => {
      const config = distributionConfig(withSecondary);
      const groupIds = config.OriginGroups!.Items.map((g) => g.Id);
      for (const b of [config.DefaultCacheBehavior, behavior(config, '/api/*')]) {
        expect(groupIds).not.toContain(b.TargetOriginId);
        const origin = config.Origins.find((o) => o.Id === b.TargetOriginId);
        expect(origin?.OriginShield?.OriginShieldRegion).toBe('eu-west-1');
      }
    });
  });

  describe('behaviours and cache policies', () => {
    test('static paths: GET/HEAD/OPTIONS, compressed, HTTPS, static cache policy', () => {
      const config = distributionConfig(defaults.template);
      const staticPolicy = logicalId(defaults.template, 'AWS::CloudFront::CachePolicy', 'StaticAssetsCachePolicy');
      for (const path of ['/static/*', '/assets/*']) {
        expect(behavior(config, path)).toMatchObject({
          AllowedMethods: ['GET', 'HEAD', 'OPTIONS'],
          CachePolicyId: { Ref: staticPolicy },
          Compress: true,
          ViewerProtocolPolicy: 'redirect-to-https',
        });
      }
    });

    test('API paths and the default behaviour: every method, API cache policy and origin request policy', () => {
      const config = distributionConfig(defaults.template);
      const apiPolicy = logicalId(defaults.template, 'AWS::CloudFront::CachePolicy', 'ApiCachePolicy');
      const originRequest = logicalId(defaults.template, 'AWS::CloudFront::OriginRequestPolicy', 'ApiOriginRequestPolicy');
      for (const b of [behavior(config, '/api/*'), config.DefaultCacheBehavior]) {
        expect(b).toMatchObject({
          AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
          CachePolicyId: { Ref: apiPolicy },
          OriginRequestPolicyId: { Ref: originRequest },
          Compress: true,
          ViewerProtocolPolicy: 'redirect-to-https',
        });
      }
      expect(config.CacheBehaviors.map((b) => b.PathPattern)).toEqual(['/static/*', '/assets/*', '/api/*']);
    });

    test('static assets: 1 day default TTL, 1 year max, query string in the key, gzip and brotli', () => {
      defaults.template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
        CachePolicyConfig: Match.objectLike({
          MinTTL: 0,
          DefaultTTL: 86_400,
          MaxTTL: 31_536_000,
          ParametersInCacheKeyAndForwardedToOrigin: {
            EnableAcceptEncodingGzip: true,
            EnableAcceptEncodingBrotli: true,
            QueryStringsConfig: { QueryStringBehavior: 'all' },
            HeadersConfig: { HeaderBehavior: 'none' },
            CookiesConfig: { CookieBehavior: 'none' },
          },
        }),
      });
    });

    test('API: 0 s default TTL so Cache-Control decides, 5 min max, Authorization in the key, no cookies', () => {
      defaults.template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
        CachePolicyConfig: Match.objectLike({
          MinTTL: 0,
          DefaultTTL: 0,
          MaxTTL: 300,
          ParametersInCacheKeyAndForwardedToOrigin: Match.objectLike({
            HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['Authorization'] },
            CookiesConfig: { CookieBehavior: 'none' },
          }),
        }),
      });
    });

    test('TTL props flow into the policies', () => {
      const template = edgeStack({
        staticAssetsDefaultTtl: Duration.hours(6), staticAssetsMaxTtl: Duration.days(30),
        apiDefaultTtl: Duration.seconds(30), apiMaxTtl: Duration.seconds(60),
      }).template();
      template.hasResourceProperties('AWS::CloudFront::CachePolicy', { CachePolicyConfig: Match.objectLike({ DefaultTTL: 21_600, MaxTTL: 2_592_000 }) });
      template.hasResourceProperties('AWS::CloudFront::CachePolicy', { CachePolicyConfig: Match.objectLike({ DefaultTTL: 30, MaxTTL: 60 }) });
    });

    test('origin request policy forwards query strings and a short header allow-list, no cookies', () => {
      defaults.template.hasResourceProperties('AWS::CloudFront::OriginRequestPolicy', {
        OriginRequestPolicyConfig: Match.objectLike({
          QueryStringsConfig: { QueryStringBehavior: 'all' },
          CookiesConfig: { CookieBehavior: 'none' },
          HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['Accept', 'Accept-Language', 'Content-Type', 'Origin', 'Referer'] },
        }),
      });
    });

    test('custom path patterns replace the defaults', () => {
      const config = distributionConfig(edgeStack({ staticPathPatterns: ['/img/*'], apiPathPatterns: ['/v1/*', '/v2/*'] }).template());
      expect(config.CacheBehaviors.map((b) => b.PathPattern)).toEqual(['/img/*', '/v1/*', '/v2/*']);
    });
  });

  describe('viewer side', () => {
    test('HTTP/2 and HTTP/3, IPv6, every edge location, additional metrics', () => {
      const config = distributionConfig(defaults.template);
      expect(config).toMatchObject({ HttpVersion: 'http2and3', IPV6Enabled: true, PriceClass: 'PriceClass_All', Enabled: true });
      defaults.template.hasResourceProperties('AWS::CloudFront::MonitoringSubscription', {
        MonitoringSubscription: { RealtimeMetricsSubscriptionConfig: { RealtimeMetricsSubscriptionStatus: 'Enabled' } },
      });
    });

    test('without a certificate: a warning says the default certificate accepts TLSv1 and names the fix', () => {
      const annotations = Annotations.fromStack(defaults.stack);
      annotations.hasWarning('/Test/Edge', DEFAULT_CERTIFICATE_WARNING);
      // No minimumProtocolVersion that CloudFront would ignore (and CDK warn about without naming the fix).
      annotations.hasNoWarning('*', Match.stringLikeRegexp('minimumProtocolVersion'));
      expect(distributionConfig(defaults.template).ViewerCertificate).toBeUndefined();
    });

    test('without a certificate: the AwsSolutions-CFR4 acknowledgement says TLSv1 is accepted, not TLS 1.2+', () => {
      const reasons = Object.entries(acknowledgedReasons(defaults.edge.distribution)).filter(([id]) => id.endsWith('AwsSolutions-CFR4')).map(([, reason]) => reason);
      expect(reasons).toEqual(['Without domainNames and certificate the distribution answers on its *.cloudfront.net name with the CloudFront default certificate, whose security policy CloudFront fixes at TLSv1 (TLSv1 and TLSv1.1 are accepted; no minimumProtocolVersion applies). The synth warning platform:edge:default-certificate names the fix: pass domainNames and an ACM certificate in us-east-1, and viewers need TLSv1.2 (TLSv1.2_2021).']);
    });

    test('a custom domain gets the us-east-1 certificate with SNI and TLSv1.2_2021, and no certificate warning', () => {
      const stack = testStack({ region: 'us-east-1' });
      new EdgeDistribution(stack, 'Edge', {
        primaryOrigin: PRIMARY,
        domainNames: ['www.example.com'],
        certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN),
        priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      });
      const config = distributionConfig(Template.fromStack(stack));
      expect(config).toMatchObject({
        Aliases: ['www.example.com'],
        PriceClass: 'PriceClass_100',
        ViewerCertificate: { AcmCertificateArn: CERT_ARN, SslSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' },
      });
      Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('No certificate'));
    });

    test('every behaviour returns the security headers', () => {
      const policy = logicalId(defaults.template, 'AWS::CloudFront::ResponseHeadersPolicy', 'SecurityHeadersPolicy');
      const config = distributionConfig(defaults.template);
      for (const b of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) expect(b.ResponseHeadersPolicyId).toEqual({ Ref: policy });
      defaults.template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
        ResponseHeadersPolicyConfig: Match.objectLike({
          SecurityHeadersConfig: {
            StrictTransportSecurity: { AccessControlMaxAgeSec: 63_072_000, IncludeSubdomains: true, Preload: false, Override: true },
            ContentTypeOptions: { Override: true },
            FrameOptions: { FrameOption: 'DENY', Override: true },
            ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
            XSSProtection: { Protection: true, ModeBlock: true, Override: true },
          },
        }),
      });
    });
  });

  describe('access logging (nothing lost)', () => {
    test('standard logs go to the construct bucket without cookies', () => {
      const bucket = logicalId(defaults.template, 'AWS::S3::Bucket', 'AccessLogs');
      expect(distributionConfig(defaults.template).Logging).toEqual({
        Bucket: { 'Fn::GetAtt': [bucket, 'RegionalDomainName'] },
        IncludeCookies: false,
        Prefix: 'cloudfront/',
      });
    });

    test('the log bucket is KMS-encrypted, versioned, private, expires logs, keeps ACLs for log delivery, and is retained and backed up', () => {
      const key = logicalId(defaults.template, 'AWS::KMS::Key', 'Key');
      defaults.template.hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectLike({
          BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [key, 'Arn'] } } }] },
          VersioningConfiguration: { Status: 'Enabled' },
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
          OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
          LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 365, NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' })] },
          Tags: Match.arrayWith([{ Key: 'platform:backup', Value: 'default' }]),
        }),
      });
      defaults.template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    });

    test('the key rotates, is retained, and lets log delivery and CloudWatch Logs use it', () => {
      defaults.template.hasResource('AWS::KMS::Key', {
        DeletionPolicy: 'Retain',
        Properties: Match.objectLike({
          EnableKeyRotation: true,
          KeyPolicy: Match.objectLike({
            Statement: Match.arrayWith([
              Match.objectLike({ Sid: 'AllowCloudWatchLogs', Principal: { Service: 'logs.us-east-1.amazonaws.com' } }),
              Match.objectLike({ Sid: 'AllowCloudFrontLogDelivery', Principal: { Service: 'delivery.logs.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
            ]),
          }),
        }),
      });
    });

    test('accessLogRetention sets the expiration', () => {
      edgeStack({ accessLogRetention: Duration.days(90) }).template().hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 90 })] },
      });
    });
  });

  describe('WAF', () => {
    test('a CLOUDFRONT-scoped web ACL, allow by default, associated with the distribution', () => {
      const acl = logicalId(defaults.template, 'AWS::WAFv2::WebACL', 'WebAcl');
      defaults.template.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
      expect(distributionConfig(defaults.template).WebACLId).toEqual({ 'Fn::GetAtt': [acl, 'Arn'] });
    });

    test('IP reputation, rate limit, common and known-bad-inputs rules, in that order', () => {
      const [acl] = Object.values(defaults.template.findResources('AWS::WAFv2::WebACL'));
      const rules = acl.Properties.Rules as Array<{
        Name: string; Priority: number; Statement: { ManagedRuleGroupStatement?: { VendorName: string; Name: string } }; OverrideAction?: unknown;
      }>;
      expect(rules.map((r) => [r.Priority, r.Name])).toEqual([
        [0, 'AWSManagedRulesAmazonIpReputationList'],
        [1, 'RateLimitPerIp'],
        [2, 'AWSManagedRulesCommonRuleSet'],
        [3, 'AWSManagedRulesKnownBadInputsRuleSet'],
      ]);
      for (const r of rules.filter((x) => x.Name !== 'RateLimitPerIp')) {
        expect(r.Statement.ManagedRuleGroupStatement).toEqual({ VendorName: 'AWS', Name: r.Name });
        expect(r.OverrideAction).toEqual({ None: {} });
      }
    });

    test('the rate-based rule sheds load per client IP: 2000 per 5 minutes by default, answering 429, in a rule group of its own', () => {
      // The spike remediation (tighten-waf-rate-limit) updates the rule group without touching the web ACL.
      defaults.template.hasResourceProperties('AWS::WAFv2::RuleGroup', {
        Scope: 'CLOUDFRONT',
        Name: defaults.edge.rateLimitRuleGroupName,
        Rules: [Match.objectLike({
          Name: 'RateLimitPerIp',
          Statement: { RateBasedStatement: { Limit: 2000, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } },
          Action: { Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'TooManyRequests' } } },
          VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: defaults.edge.rateLimitMetricName },
        })],
        CustomResponseBodies: { TooManyRequests: { ContentType: 'APPLICATION_JSON', Content: Match.stringLikeRegexp('Too many requests') } },
      });
      defaults.template.hasResourceProperties('AWS::WAFv2::WebACL', {
        Rules: Match.arrayWith([Match.objectLike({
          Name: 'RateLimitPerIp', Priority: 1, OverrideAction: { None: {} },
          Statement: { RuleGroupReferenceStatement: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('RateLimitRules'), 'Arn'] } } },
        })]),
      });
    });

    test('rateLimitPerIp sets the limit', () => {
      edgeStack({ rateLimitPerIp: 100 }).template().hasResourceProperties('AWS::WAFv2::RuleGroup', {
        Rules: [Match.objectLike({ Name: 'RateLimitPerIp', Statement: { RateBasedStatement: Match.objectLike({ Limit: 100 }) } })],
      });
    });

    test('WAF logs go to a KMS-encrypted, retained aws-waf-logs- log group, with Authorization and Cookie redacted', () => {
      const acl = logicalId(defaults.template, 'AWS::WAFv2::WebACL', 'WebAcl');
      const key = logicalId(defaults.template, 'AWS::KMS::Key', 'Key');
      const [group] = Object.values(defaults.template.findResources('AWS::Logs::LogGroup'));
      expect(group).toMatchObject({ DeletionPolicy: 'Retain', Properties: { RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [key, 'Arn'] } } });
      const name = group.Properties.LogGroupName as string;
      expect(name).toMatch(/^aws-waf-logs-/);
      defaults.template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
        ResourceArn: { 'Fn::GetAtt': [acl, 'Arn'] },
        LogDestinationConfigs: [`arn:aws:logs:us-east-1:111111111111:log-group:${name}`],
        RedactedFields: [{ SingleHeader: { Name: 'authorization' } }, { SingleHeader: { Name: 'cookie' } }],
      });
    });
  });

  describe('alarms', () => {
    test('5xx error rate: Average of 5xxErrorRate (Region=Global) above 1% in 3 of 5 minutes, critical', () => {
      const alarm = alarmFor(defaults.template, 'EdgeHigh5xxErrorRate');
      const dist = logicalId(defaults.template, 'AWS::CloudFront::Distribution', 'Distribution');
      expect(alarm).toMatchObject({
        Namespace: 'AWS/CloudFront', MetricName: '5xxErrorRate', Statistic: 'Average', Period: 60,
        Dimensions: [{ Name: 'DistributionId', Value: { Ref: dist } }, { Name: 'Region', Value: 'Global' }],
        Threshold: 1, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 5, DatapointsToAlarm: 3,
      });
      expect(alarm.AlarmDescription).toMatch(/^\[critical\] /);
    });

    test('origin latency: p99 of OriginLatency above 2000 ms in 3 of 5 minutes, warning', () => {
      const alarm = alarmFor(defaults.template, 'EdgeHighOriginLatency');
      expect(alarm).toMatchObject({
        Namespace: 'AWS/CloudFront', MetricName: 'OriginLatency', ExtendedStatistic: 'p99', Period: 60,
        Threshold: 2000, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 5, DatapointsToAlarm: 3,
      });
      expect(alarm.Dimensions).toContainEqual({ Name: 'Region', Value: 'Global' });
      expect(alarm.AlarmDescription).toMatch(/^\[warning\] /);
    });

    test('each alarm is a named field: high5xxErrorRateAlarm on 5xxErrorRate, highOriginLatencyAlarm on OriginLatency', () => {
      // GIVEN the default distribution; THEN each named alarm is the template alarm of its metric and runbook
      const { stack, edge, template } = defaults;
      const propsOf = (alarm: cloudwatch.Alarm): AlarmProps =>
        template.toJSON().Resources[stack.getLogicalId(alarm.node.defaultChild as CfnElement)].Properties as AlarmProps;
      expect(propsOf(edge.high5xxErrorRateAlarm)).toMatchObject({ MetricName: '5xxErrorRate', Threshold: 1 });
      expect(propsOf(edge.high5xxErrorRateAlarm).AlarmDescription).toMatch(/\/runbooks\/alerts\/edge\/EdgeHigh5xxErrorRate\.md$/);
      expect(propsOf(edge.highOriginLatencyAlarm)).toMatchObject({ MetricName: 'OriginLatency', Threshold: 2000 });
      expect(propsOf(edge.highOriginLatencyAlarm).AlarmDescription).toMatch(/\/runbooks\/alerts\/edge\/EdgeHighOriginLatency\.md$/);
      expect(edge.alarms).toEqual([edge.high5xxErrorRateAlarm, edge.highOriginLatencyAlarm, edge.trafficSpikeAlarm]);
    });

    test('traffic spike: requests above the anomaly band (3 standard deviations) for GOLDEN_SIGNALS.traffic.for, warning', () => {
      const spike = Object.values(defaults.template.findResources('AWS::CloudWatch::Alarm'))
        .find((r) => String(r.Properties.AlarmDescription).includes('EdgeTrafficSpike'))!.Properties as Record<string, unknown>;
      expect(spike).toMatchObject({ ComparisonOperator: 'GreaterThanUpperThreshold', EvaluationPeriods: 10, DatapointsToAlarm: 10, ThresholdMetricId: 'expr_1' });
      expect(String(spike.AlarmDescription)).toMatch(/^\[warning\] .* Runbook: \S+\/runbooks\/alerts\/edge\/EdgeTrafficSpike\.md$/);
      expect(spike.Metrics).toEqual([
        { Expression: 'ANOMALY_DETECTION_BAND(m0, 3)', Id: 'expr_1', Label: 'Anomaly Detection Band', ReturnData: true },
        expect.objectContaining({ Id: 'm0', MetricStat: expect.objectContaining({ Period: 60, Stat: 'Sum', Metric: expect.objectContaining({ MetricName: 'Requests', Namespace: 'AWS/CloudFront' }) }) }),
      ]);
    });

    test('thresholds follow the props', () => {
      const template = edgeStack({ errorRateThresholdPercent: 5, originLatencyThreshold: Duration.millis(750) }).template();
      expect(alarmFor(template, 'EdgeHigh5xxErrorRate').Threshold).toBe(5);
      expect(alarmFor(template, 'EdgeHighOriginLatency').Threshold).toBe(750);
    });

    test('every alarm links a committed runbook with the alert runbook shape', () => {
      const descriptions = Object.values(defaults.template.findResources('AWS::CloudWatch::Alarm')).map((r) => r.Properties.AlarmDescription as string);
      expect(descriptions).toHaveLength(3);
      expect(defaults.edge.alarms).toHaveLength(3);
      for (const description of descriptions) {
        const path = runbookPathFromUrl(/Runbook: (\S+)$/.exec(description)?.[1] ?? '');
        expect(path).toMatch(/^alerts\/edge\//);
        expect(existsSync(join(__dirname, '..', '..', '..', 'runbooks', `${path}.md`))).toBe(true);
        const { frontMatter, sections } = parseRunbook(path as string);
        expect(frontMatter.id).toBe(path?.split('/').pop());
        expect(sections).toEqual(expect.arrayContaining(['Meaning', 'Impact', 'Diagnosis', 'Mitigation', 'Escalation']));
      }
    });
  });

  describe('exposed API', () => {
    test('domainName, metrics and resources', () => {
      const { edge } = defaults;
      expect(edge.domainName).toBe(edge.distribution.distributionDomainName);
      expect(edge.metricRequests().metricName).toBe('Requests');
      expect(edge.metricRequests().statistic).toBe('Sum');
      expect(edge.metric5xxErrorRate().metricName).toBe('5xxErrorRate');
      expect(edge.metricOriginLatency().statistic).toBe('p99');
      expect(edge.metricCacheHitRate().metricName).toBe('CacheHitRate');
      expect(edge.metricCacheHitRate().dimensions).toMatchObject({ Region: 'Global' });
      expect(edge.vpcOrigins).toHaveLength(1);
      expect(edge.logGroup.logGroupName).toBeDefined();
    });
  });

  describe('validation', () => {
    const build = (props: ExtraProps, region?: string) => () => edgeStack(props, { region });
    test.each<[string, ExtraProps, string]>([
      ['rate limit 99', { rateLimitPerIp: 99 },
        'Test/Edge: rateLimitPerIp (99) is outside the AWS WAF rate-based rule limits (100 to 2000000000 requests per 5 minutes): set rateLimitPerIp to a whole number of at least 100'],
      ['rate limit not whole', { rateLimitPerIp: 150.5 },
        'Test/Edge: rateLimitPerIp (150.5) is outside the AWS WAF rate-based rule limits (100 to 2000000000 requests per 5 minutes): set rateLimitPerIp to a whole number of at least 100'],
      ['static default TTL above max', { staticAssetsDefaultTtl: Duration.days(2), staticAssetsMaxTtl: Duration.days(1) },
        "Test/Edge: staticAssetsDefaultTtl ('172800 seconds') is above staticAssetsMaxTtl (86400 seconds): lower staticAssetsDefaultTtl or raise staticAssetsMaxTtl: CloudFront requires default TTL <= max TTL"],
      ['API default TTL above max', { apiDefaultTtl: Duration.minutes(10) },
        "Test/Edge: apiDefaultTtl ('600 seconds') is above apiMaxTtl (300 seconds): lower apiDefaultTtl or raise apiMaxTtl: CloudFront requires default TTL <= max TTL"],
      ['max TTL above a year', { staticAssetsMaxTtl: Duration.days(366) },
        'Test/Edge: staticAssetsMaxTtl (seconds) (31622400) must be an integer from 0 to 31536000: set staticAssetsMaxTtl (seconds) to a whole number between 0 and 31536000'],
      ['pattern used twice', { staticPathPatterns: ['/api/*'] },
        "Test/Edge: apiPathPatterns ('/api/*') is listed more than once: give each path pattern once, in staticPathPatterns or in apiPathPatterns"],
      ['default pattern', { apiPathPatterns: ['/*'] },
        "Test/Edge: apiPathPatterns ('/*') is not a path pattern of an additional behaviour: use a pattern such as '/static/*' (starting with '/', not '/*', which is the default behaviour)"],
      ['domain without certificate', { domainNames: ['www.example.com'] },
        'Test/Edge: domainNames (["www.example.com"]) are set without a certificate: pass certificate (an ACM certificate in us-east-1 covering them) or remove domainNames'],
      ['secondary in the primary region', { secondaryOrigin: EdgeOrigin.fromStackOutputs({ stackName: 'checkout-secondary', region: 'eu-west-1' }) },
        "Test/Edge: secondaryOrigin.region ('eu-west-1') equals primaryOrigin.region: put the secondary origin in the secondary region, or omit secondaryOrigin"],
      ['origin region not a region', { primaryOrigin: EdgeOrigin.fromStackOutputs({ stackName: 'checkout-primary', region: 'Ireland' }) },
        "Test/Edge: primaryOrigin.region ('Ireland') is not a region name: pass the origin's region as a plain string such as 'eu-west-1'"],
      ['match-viewer origin', { primaryOrigin: EdgeOrigin.fromStackOutputs({ stackName: 'checkout-primary', region: 'eu-west-1', protocolPolicy: cloudfront.OriginProtocolPolicy.MATCH_VIEWER }) },
        "Test/Edge: primaryOrigin.protocolPolicy ('match-viewer') is not supported for a VPC origin: use OriginProtocolPolicy.HTTP_ONLY (listener on 80) or OriginProtocolPolicy.HTTPS_ONLY (listener on 443)"],
      ['error rate 0', { errorRateThresholdPercent: 0 },
        'Test/Edge: errorRateThresholdPercent (0) must be between 0.01 and 100: set errorRateThresholdPercent to a value between 0.01 and 100'],
    ])('%s', (_name, props, message) => {
      expect(build(props)).toThrow(message);
    });

    test('a stack outside us-east-1 is refused, naming the region and the fix', () => {
      expect(build({}, 'eu-west-1')).toThrow(
        "Test/Edge: region ('eu-west-1') is not us-east-1: CloudFront-scoped WAF web ACLs, their logs and CloudFront metrics exist only in us-east-1: build EdgeDistribution in the global stack (env.region 'us-east-1') and pass the regional load balancers as EdgeOrigin values (EdgeOrigin.fromStackOutputs)");
    });

    test('a certificate outside us-east-1 is refused', () => {
      const stack = testStack({ region: 'us-east-1' });
      const arn = 'arn:aws:acm:eu-west-1:111111111111:certificate/11111111-2222-3333-4444-555555555555';
      expect(() => new EdgeDistribution(stack, 'Edge', {
        primaryOrigin: PRIMARY, domainNames: ['www.example.com'], certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', arn),
      })).toThrow(`Test/Edge: certificate ('${arn}') is in eu-west-1: CloudFront uses ACM certificates from us-east-1 only: request or import the certificate in us-east-1`);
    });

    test('a certificate without domain names is refused', () => {
      const stack = testStack({ region: 'us-east-1' });
      expect(() => new EdgeDistribution(stack, 'Edge', {
        primaryOrigin: PRIMARY, certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN),
      })).toThrow(`Test/Edge: certificate ('${CERT_ARN}') is set without domainNames: pass the domainNames the certificate covers, or remove certificate`);
    });

    test('rate limit 100 (the WAF minimum) is accepted', () => {
      expect(build({ rateLimitPerIp: 100 })).not.toThrow();
    });
  });

  describe('compliance', () => {
    test('AwsSolutions and NIST 800-53 rev 5 report no unacknowledged finding, with a failover origin', () => {
      const { stack } = edgeStack({ secondaryOrigin: SECONDARY }, { nag: true });
      expect(formatFindings(nagFindings(stack))).toEqual([]);
    });

    test('the nag test can fail: removing an acknowledgement surfaces the finding', () => {
      const { stack, edge } = edgeStack({}, { nag: true });
      // An unacknowledged alarm without actions is an error of the NIST pack.
      const extra = edge.metricRequests().createAlarm(edge, 'Unacknowledged', { threshold: 1, evaluationPeriods: 1 });
      const findings = nagFindings(stack);
      expect(findings.map((f) => [f.path, f.rule])).toContainEqual([`${extra.node.path}/Resource`, 'NIST.800.53.R5-CloudWatchAlarmAction']);
    });
  });
});
