import { Annotations, Arn, ArnFormat, Duration, Names, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { PlatformValidationError } from '../../core/errors';
import { requireIntegerInRange, requireNumberInRange, requirePath } from '../../core/validate';
import { acknowledgeControlTower, acknowledgeLogBucketControls } from '../private/control-tower';
import { allowCloudWatchLogs, createDataKey, createEncryptedLogGroup } from '../private/encryption';
import { requireStackRegion } from '../private/context';
import { acknowledgeRoutedByComposer, createRunbookAlarm } from '../private/runbook-alarm';
import { markForBackup } from '../private/stateful';
import type { EdgeOrigin } from './edge-origin';

/** CloudFront-scoped resources (web ACLs, their logs, CloudFront metrics, viewer certificates) live here only. */
export const EDGE_REGION = 'us-east-1';
/** AWS WAF's smallest rate-based rule limit (requests per evaluation window). */
export const WAF_MIN_RATE_LIMIT = 100;
/** AWS WAF's largest rate-based rule limit. */
const WAF_MAX_RATE_LIMIT = 2_000_000_000;
/** Origin responses that make CloudFront retry a read on the secondary origin. */
export const FAILOVER_STATUS_CODES = [500, 502, 503, 504];
/** CloudFront accepts at most 25 cache behaviours: the default one plus 24 path patterns (default quota). */
const MAX_PATH_BEHAVIORS = 24;
/**
 * What viewers get without a certificate: CloudFront's default `*.cloudfront.net` certificate, whose security policy
 * is fixed at TLSv1 (TLSv1 and TLSv1.1 accepted); `minimumProtocolVersion` applies to custom certificates only.
 */
const DEFAULT_CERTIFICATE_REASON = 'Without domainNames and certificate the distribution answers on its *.cloudfront.net name with the CloudFront default certificate, whose security policy CloudFront fixes at TLSv1 (TLSv1 and TLSv1.1 are accepted; no minimumProtocolVersion applies). The synth warning platform:edge:default-certificate names the fix: pass domainNames and an ACM certificate in us-east-1, and viewers need TLSv1.2 (TLSv1.2_2021).';
/** The synth warning of a distribution without a certificate. */
const DEFAULT_CERTIFICATE_WARNING = 'No certificate: viewers reach the distribution on its *.cloudfront.net name, whose default CloudFront certificate accepts TLSv1 and TLSv1.1. Pass domainNames and certificate (an ACM certificate in us-east-1) so viewers need TLSv1.2 (security policy TLSv1.2_2021).';

/** Runbook paths of the alarms {@link EdgeDistribution} creates (each a committed `runbooks/<path>.md`). */
const RUNBOOKS = {
  high5xxErrorRate: 'alerts/edge/EdgeHigh5xxErrorRate',
  highOriginLatency: 'alerts/edge/EdgeHighOriginLatency',
} as const;

/** Props of {@link EdgeDistribution}. */
export interface EdgeDistributionProps {
  /** The origin every behaviour uses (the primary region's internal load balancer); Origin Shield runs in its region. */
  readonly primaryOrigin: EdgeOrigin;
  /**
   * The secondary region's load balancer: reads of the static paths (GET, HEAD, OPTIONS) fail over to it when the
   * primary answers 500, 502, 503 or 504 or cannot be reached (an origin group). API and default behaviours accept
   * writes, which CloudFront never fails over: they stay on the primary until the DR runbook switches regions.
   * @default - no failover origin
   */
  readonly secondaryOrigin?: EdgeOrigin;
  /**
   * Path patterns of static assets: long TTL, cache key on the query string only.
   * @default ['/static/*', '/assets/*']
   */
  readonly staticPathPatterns?: string[];
  /**
   * Path patterns of the API: the origin's Cache-Control decides, every method allowed.
   * @default ['/api/*']
   */
  readonly apiPathPatterns?: string[];
  /**
   * TTL of static assets whose response has no Cache-Control max-age.
   * @default Duration.days(1)
   */
  readonly staticAssetsDefaultTtl?: Duration;
  /**
   * Longest a static asset stays cached whatever its Cache-Control says.
   * @default Duration.days(365)
   */
  readonly staticAssetsMaxTtl?: Duration;
  /**
   * TTL of API and default-behaviour responses without Cache-Control max-age (0: not cached unless the origin says so).
   * @default Duration.seconds(0)
   */
  readonly apiDefaultTtl?: Duration;
  /**
   * Longest an API or default-behaviour response stays cached whatever its Cache-Control says.
   * @default Duration.minutes(5)
   */
  readonly apiMaxTtl?: Duration;
  /**
   * Whether Origin Shield (an extra caching layer in the origin's region) fronts each origin.
   * @default true
   */
  readonly originShield?: boolean;
  /**
   * Alternate domain names (CNAMEs) of the distribution; needs `certificate`.
   * @default - only the `*.cloudfront.net` name
   */
  readonly domainNames?: string[];
  /**
   * ACM certificate in us-east-1 covering `domainNames` (e.g. `Certificate.fromCertificateArn(...)`); viewers get TLS 1.2+
   * (TLSv1.2_2021) with SNI.
   * @default - the default CloudFront certificate (`*.cloudfront.net`), which also accepts TLSv1 and TLSv1.1; a synth
   * warning names the fix
   */
  readonly certificate?: acm.ICertificate;
  /**
   * Edge locations serving viewers.
   * @default PriceClass.PRICE_CLASS_ALL - every edge location, lowest latency everywhere
   */
  readonly priceClass?: cloudfront.PriceClass;
  /**
   * Requests per client IP per 5 minutes above which the WAF answers 429 (load shedding), at least 100.
   * @default 2000
   */
  readonly rateLimitPerIp?: number;
  /**
   * How long access logs are kept in the log bucket.
   * @default Duration.days(365)
   */
  readonly accessLogRetention?: Duration;
  /**
   * Retention of the WAF log group.
   * @default RetentionDays.ONE_YEAR
   */
  readonly wafLogRetention?: logs.RetentionDays;
  /**
   * 5xx share of viewer requests (percent) above which the 5xx alarm fires (3 of 5 minutes).
   * @default 1
   */
  readonly errorRateThresholdPercent?: number;
  /**
   * p99 origin latency above which the latency alarm fires (3 of 5 minutes).
   * @default Duration.seconds(2)
   */
  readonly originLatencyThreshold?: Duration;
  /**
   * Region-pinned origins reachable through this distribution at `/_health/<region>` (see
   * {@link EdgeDistribution.healthCheckPathFor}): CloudFront rewrites the path to `healthCheckPath`, adds the
   * origin-verify header and never caches the answer. Route 53 health checks of each region go through here
   * ({@link RegionRouting}), so they need no way around CloudFront into the load balancers.
   * @default - none
   */
  readonly healthCheckOrigins?: EdgeOrigin[];
  /**
   * Path of the service's health endpoint the `/_health/<region>` paths forward to.
   * @default '/health'
   */
  readonly healthCheckPath?: string;
}

/** Prefix of the paths that reach one region's health endpoint through the distribution. */
export const HEALTH_CHECK_PATH_PREFIX = '/_health/';

/**
 * CloudFront in front of a service's load balancer(s), built in the us-east-1 (global) stack.
 *
 * Origin protection, two kinds of {@link EdgeOrigin}:
 * - a **VPC origin** (`EdgeOrigin.fromLoadBalancer` / `fromStackOutputs`; `AWS::CloudFront::VpcOrigin`) on an
 *   *internal* load balancer, referenced by ARN: no public address, nothing on the internet reaches it except through
 *   this distribution (and its WAF). The regional stack applies the ALB side with {@link CloudFrontOriginAccess}.
 *   This is the default of the reference stacks without a domain. Being bound to one ARN, it cannot be DNS-routed.
 * - a **public name** (`EdgeOrigin.fromPublicName`) over HTTPS: a Route 53 failover or latency record
 *   ({@link RegionRouting}) chooses the region, for every method (writes included) and per edge location (latency).
 *   The internet-facing load balancer admits CloudFront's origin-facing prefix list only and requires a secret
 *   origin-verify header CloudFront adds ({@link PublicOriginAccess}).
 *
 * Caching: static paths (1 day default, 1 year max TTL), API paths and the default behaviour honour the origin's
 * Cache-Control (0 s default, 5 min max) with the Authorization header in the cache key; compression; HTTP/2 and
 * HTTP/3; viewers redirected to HTTPS; security response headers; Origin Shield in each origin's region; an origin
 * group failing static reads over to the secondary region on 500/502/503/504; standard access logs to a retained,
 * versioned, KMS-encrypted bucket; additional metrics (origin latency, cache hit rate) published.
 *
 * WAF (CLOUDFRONT scope): Amazon IP reputation list, a per-IP rate limit answering 429, the common and known-bad-inputs
 * managed rule groups; logs to a KMS-encrypted `aws-waf-logs-` log group with the Authorization and Cookie headers
 * redacted. Alarms on the 5xx error rate and p99 origin latency link their runbooks.
 */
export class EdgeDistribution extends Construct {
  /** The CloudFront distribution. */
  public readonly distribution: cloudfront.Distribution;
  /** The WAF web ACL (CLOUDFRONT scope) associated with the distribution. */
  public readonly webAcl: wafv2.CfnWebACL;
  /** The VPC origins, primary first (none for public-name origins). */
  public readonly vpcOrigins: cloudfront.VpcOrigin[];
  /** The CloudFront Function that maps `/_health/<region>` to the health path (when `healthCheckOrigins` is set). */
  public readonly healthCheckFunction?: cloudfront.Function;
  /** Bucket of the CloudFront access logs (KMS-encrypted, versioned, retained). */
  public readonly logBucket: s3.Bucket;
  /** Log group of the WAF logs (`aws-waf-logs-...`, KMS-encrypted, retained). */
  public readonly logGroup: logs.LogGroup;
  /** Customer-managed key of the access logs and the WAF logs. */
  public readonly encryptionKey: kms.Key;
  /** The distribution's `*.cloudfront.net` domain name. */
  public readonly domainName: string;
  /** Cache policy of the static paths. */
  public readonly staticAssetsCachePolicy: cloudfront.CachePolicy;
  /** Cache policy of the API paths and the default behaviour. */
  public readonly apiCachePolicy: cloudfront.CachePolicy;
  /** The security-headers response headers policy of every behaviour. */
  public readonly responseHeadersPolicy: cloudfront.ResponseHeadersPolicy;
  /** The 5xx error-rate alarm and the origin-latency alarm, in that order. */
  public readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: EdgeDistributionProps) {
    super(scope, id);
    const where = this.node.path;

    // ---- validation, before anything is built
    requireStackRegion(this, EDGE_REGION, `CloudFront-scoped WAF web ACLs, their logs and CloudFront metrics exist only in ${EDGE_REGION}`,
      `build EdgeDistribution in the global stack (env.region '${EDGE_REGION}') and pass the regional load balancers as EdgeOrigin values (EdgeOrigin.fromStackOutputs)`);
    props.primaryOrigin.validate(where, 'primaryOrigin');
    if (props.secondaryOrigin) {
      props.secondaryOrigin.validate(where, 'secondaryOrigin');
      if (props.secondaryOrigin.region !== undefined && props.secondaryOrigin.region === props.primaryOrigin.region) {
        throw new PlatformValidationError(where, 'secondaryOrigin.region', props.secondaryOrigin.region, 'equals primaryOrigin.region',
          "put the secondary origin in the secondary region, or omit secondaryOrigin");
      }
    }
    const healthCheckOrigins = props.healthCheckOrigins ?? [];
    const healthCheckPath = props.healthCheckPath ?? '/health';
    requirePath(where, 'healthCheckPath', healthCheckPath);
    const healthRegions = new Set<string>();
    healthCheckOrigins.forEach((origin, index) => {
      origin.validate(where, `healthCheckOrigins[${index}]`);
      if (origin.kind !== 'public') {
        throw new PlatformValidationError(where, `healthCheckOrigins[${index}]`, origin.domainName, 'is a VPC origin: health-check paths serve DNS-routed public origins',
          "pass the region's own name, EdgeOrigin.fromPublicName({ domainName: '<region>.origin.<domain>', region, originVerifyHeader })");
      }
      if (origin.region === undefined) {
        throw new PlatformValidationError(where, `healthCheckOrigins[${index}].region`, undefined, 'is required: the health path names the region',
          "pass the regional name of one region, e.g. EdgeOrigin.fromPublicName({ domainName: 'eu-west-1.origin.shop.example.com', region: 'eu-west-1', ... })");
      }
      if (healthRegions.has(origin.region)) {
        throw new PlatformValidationError(where, `healthCheckOrigins[${index}].region`, origin.region, 'appears twice',
          'pass one health-check origin per region');
      }
      healthRegions.add(origin.region);
    });
    const rateLimitPerIp = props.rateLimitPerIp ?? 2000;
    if (!Number.isInteger(rateLimitPerIp) || rateLimitPerIp < WAF_MIN_RATE_LIMIT || rateLimitPerIp > WAF_MAX_RATE_LIMIT) {
      throw new PlatformValidationError(where, 'rateLimitPerIp', rateLimitPerIp,
        `is outside the AWS WAF rate-based rule limits (${WAF_MIN_RATE_LIMIT} to ${WAF_MAX_RATE_LIMIT} requests per 5 minutes)`,
        `set rateLimitPerIp to a whole number of at least ${WAF_MIN_RATE_LIMIT}`);
    }
    const staticTtl = ttlPair(where, 'staticAssetsDefaultTtl', props.staticAssetsDefaultTtl ?? Duration.days(1),
      'staticAssetsMaxTtl', props.staticAssetsMaxTtl ?? Duration.days(365));
    const apiTtl = ttlPair(where, 'apiDefaultTtl', props.apiDefaultTtl ?? Duration.seconds(0),
      'apiMaxTtl', props.apiMaxTtl ?? Duration.minutes(5));
    const staticPaths = props.staticPathPatterns ?? ['/static/*', '/assets/*'];
    const apiPaths = props.apiPathPatterns ?? ['/api/*'];
    validatePathPatterns(where, staticPaths, apiPaths, healthCheckOrigins.length);
    const domainNames = props.domainNames ?? [];
    validateDomain(where, domainNames, props.certificate);
    const accessLogDays = (props.accessLogRetention ?? Duration.days(365)).toDays({ integral: false });
    requireIntegerInRange(where, 'accessLogRetention (days)', accessLogDays, 1, 3650);
    const errorRateThreshold = props.errorRateThresholdPercent ?? 1;
    requireNumberInRange(where, 'errorRateThresholdPercent', errorRateThreshold, 0.01, 100);
    const latencyMs = (props.originLatencyThreshold ?? Duration.seconds(2)).toMilliseconds();
    requireIntegerInRange(where, 'originLatencyThreshold (milliseconds)', latencyMs, 10, 60_000);

    // ---- encryption and logs
    this.encryptionKey = createDataKey(this, 'Key', `${where} CloudFront access logs and WAF logs`);
    allowCloudWatchLogs(this.encryptionKey);
    // Standard (legacy) logging writes as the log delivery service: it must be able to encrypt with the bucket's key.
    this.encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudFrontLogDelivery',
      principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      resources: ['*'],
    }));
    this.logBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.encryptionKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      // Standard logging grants the awslogsdelivery account through an ACL: ACLs must stay enabled.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ id: 'ExpireAccessLogs', expiration: Duration.days(accessLogDays), noncurrentVersionExpiration: Duration.days(30) }],
    });
    markForBackup(this.logBucket);
    const selfLogging = 'This bucket is itself the log destination (CloudFront access logs); logging its own accesses would need another log bucket that needs one in turn. API access to it is recorded by CloudTrail.';
    Validations.of(this.logBucket).acknowledge(
      { id: 'AwsSolutions-S1', reason: selfLogging },
      { id: 'NIST.800.53.R5-S3BucketLoggingEnabled', reason: selfLogging },
      { id: 'NIST.800.53.R5-S3BucketReplicationEnabled', reason: 'CloudFront access logs are diagnostics that expire after their retention; they are covered by the backup plan (platform:backup tag) rather than cross-region replication.' },
    );
    acknowledgeLogBucketControls(this.logBucket, 'CloudFront access logs');

    // WAF delivers only to log groups whose name starts with aws-waf-logs-.
    const wafLogGroupName = `aws-waf-logs-${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}`;
    this.logGroup = createEncryptedLogGroup(this, 'WafLogs', {
      key: this.encryptionKey,
      retention: props.wafLogRetention ?? logs.RetentionDays.ONE_YEAR,
      logGroupName: wafLogGroupName,
    });

    // ---- WAF
    this.webAcl = this.createWebAcl(rateLimitPerIp, wafLogGroupName);

    // ---- origins
    const primary = this.createOrigin('Primary', props.primaryOrigin, props.originShield ?? true);
    const secondary = props.secondaryOrigin ? this.createOrigin('Secondary', props.secondaryOrigin, props.originShield ?? true) : undefined;
    this.vpcOrigins = [primary.vpcOrigin, secondary?.vpcOrigin].filter((o): o is cloudfront.VpcOrigin => o !== undefined);
    const readOrigin = secondary
      ? new origins.OriginGroup({ primaryOrigin: primary.origin, fallbackOrigin: secondary.origin, fallbackStatusCodes: FAILOVER_STATUS_CODES })
      : primary.origin;

    // ---- policies
    this.staticAssetsCachePolicy = new cloudfront.CachePolicy(this, 'StaticAssetsCachePolicy', {
      comment: `${where}: static assets, long TTL`,
      minTtl: Duration.seconds(0),
      defaultTtl: staticTtl.defaultTtl,
      maxTtl: staticTtl.maxTtl,
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.all(),
      headerBehavior: cloudfront.CacheHeaderBehavior.none(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    this.apiCachePolicy = new cloudfront.CachePolicy(this, 'ApiCachePolicy', {
      comment: `${where}: API and pages, origin Cache-Control decides`,
      minTtl: Duration.seconds(0),
      defaultTtl: apiTtl.defaultTtl,
      maxTtl: apiTtl.maxTtl,
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.all(),
      // Authorization reaches the origin only through the cache key, which also keeps users' responses apart.
      headerBehavior: cloudfront.CacheHeaderBehavior.allowList('Authorization'),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const apiOriginRequestPolicy = new cloudfront.OriginRequestPolicy(this, 'ApiOriginRequestPolicy', {
      comment: `${where}: what the service reads beyond the cache key`,
      queryStringBehavior: cloudfront.OriginRequestQueryStringBehavior.all(),
      headerBehavior: cloudfront.OriginRequestHeaderBehavior.allowList('Accept', 'Accept-Language', 'Content-Type', 'Origin', 'Referer'),
      cookieBehavior: cloudfront.OriginRequestCookieBehavior.none(),
    });
    this.responseHeadersPolicy = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeadersPolicy', {
      comment: `${where}: security headers`,
      securityHeadersBehavior: {
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, preload: false, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
        xssProtection: { protection: true, modeBlock: true, override: true },
      },
    });

    // ---- distribution
    const common = {
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      compress: true,
      responseHeadersPolicy: this.responseHeadersPolicy,
    };
    const dynamicBehavior: cloudfront.BehaviorOptions = {
      ...common,
      origin: primary.origin,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD_OPTIONS,
      cachePolicy: this.apiCachePolicy,
      originRequestPolicy: apiOriginRequestPolicy,
    };
    const staticBehavior: cloudfront.BehaviorOptions = {
      ...common,
      origin: readOrigin,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
      cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD_OPTIONS,
      cachePolicy: this.staticAssetsCachePolicy,
    };
    // Health-check paths first: CloudFront takes the first pattern that matches, and a user pattern such as '/_*'
    // must not send a region's health check to another origin.
    const additionalBehaviors: Record<string, cloudfront.BehaviorOptions> = {};
    if (healthCheckOrigins.length > 0) {
      // Route 53 health checkers ask `/_health/<region>`; the function hands the origin the service's health path.
      const fn = new cloudfront.Function(this, 'HealthCheckPathFunction', {
        comment: `${where}: /_health/<region> to ${healthCheckPath}`.slice(0, 128),
        runtime: cloudfront.FunctionRuntime.JS_2_0,
        code: cloudfront.FunctionCode.fromInline(
          `function handler(event) { var request = event.request; request.uri = ${JSON.stringify(healthCheckPath)}; request.querystring = {}; return request; }`),
      });
      Object.assign(this, { healthCheckFunction: fn });
      healthCheckOrigins.forEach((origin, index) => {
        additionalBehaviors[EdgeDistribution.healthCheckPathFor(origin.region!)] = {
          ...common,
          origin: this.createOrigin(`Health${index}`, origin, false).origin,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          functionAssociations: [{ function: fn, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
        };
      });
    }
    for (const path of staticPaths) additionalBehaviors[path] = staticBehavior;
    for (const path of apiPaths) additionalBehaviors[path] = dynamicBehavior;

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: where.slice(-128),
      defaultBehavior: dynamicBehavior,
      additionalBehaviors,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      // Only a custom certificate has a security policy to set; the default one is fixed (see the warning below).
      minimumProtocolVersion: props.certificate ? cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 : undefined,
      sslSupportMethod: props.certificate ? cloudfront.SSLMethod.SNI : undefined,
      certificate: props.certificate,
      domainNames: domainNames.length > 0 ? domainNames : undefined,
      priceClass: props.priceClass ?? cloudfront.PriceClass.PRICE_CLASS_ALL,
      enableIpv6: true,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      logIncludesCookies: false,
      publishAdditionalMetrics: true,
      webAclId: this.webAcl.attrArn,
    });
    this.domainName = this.distribution.distributionDomainName;
    this.acknowledgeDistributionFindings(props.certificate !== undefined, secondary !== undefined);

    this.alarms = this.createAlarms(errorRateThreshold, latencyMs);
  }

  /** Viewer requests (Sum, 1 minute). */
  public metricRequests(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Requests', { statistic: 'Sum', ...props });
  }

  /** Share of viewer requests answered 5xx, percent (Average, 1 minute). */
  public metric5xxErrorRate(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('5xxErrorRate', { statistic: 'Average', ...props });
  }

  /** Time from CloudFront receiving a request to the origin's response, for cache misses, ms (p99, 1 minute). */
  public metricOriginLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('OriginLatency', { statistic: 'p99', ...props });
  }

  /** Cache hits as a share of cacheable requests, percent (Average, 5 minutes). */
  public metricCacheHitRate(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('CacheHitRate', { statistic: 'Average', period: Duration.minutes(5), ...props });
  }

  /**
   * A metric of the distribution in `AWS/CloudFront`. CloudFront publishes with the dimensions DistributionId and
   * Region=Global, in us-east-1; the Distribution L2's own metric helpers omit Region, which matches no data.
   */
  private metric(metricName: string, props: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/CloudFront',
      metricName,
      period: Duration.minutes(1),
      region: EDGE_REGION,
      ...props,
      dimensionsMap: { DistributionId: this.distribution.distributionId, Region: 'Global' },
    });
  }

  /** The path at which a region's health endpoint answers through the distribution (`/_health/<region>`). */
  public static healthCheckPathFor(region: string): string {
    return `${HEALTH_CHECK_PATH_PREFIX}${region}`;
  }

  /** A VPC origin resource on the load balancer and the distribution origin using it, or a public HTTPS origin. */
  private createOrigin(id: string, origin: EdgeOrigin, originShield: boolean): { vpcOrigin?: cloudfront.VpcOrigin; origin: cloudfront.IOrigin } {
    if (origin.kind === 'public') {
      const shieldRegion = originShield ? origin.region : undefined;
      const header = origin.originVerifyHeader!;
      return {
        origin: new origins.HttpOrigin(origin.domainName, {
          protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
          originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
          customHeaders: { [header.name]: header.value },
          originShieldEnabled: shieldRegion !== undefined,
          originShieldRegion: shieldRegion,
          readTimeout: Duration.seconds(30),
          keepaliveTimeout: Duration.seconds(5),
        }),
      };
    }
    const vpcOrigin = new cloudfront.VpcOrigin(this, `${id}VpcOrigin`, {
      // The endpoint is given by value: the load balancer lives in another (regional) stack.
      endpoint: { endpointArn: origin.loadBalancerArn!, domainName: origin.domainName },
      protocolPolicy: origin.protocolPolicy,
      httpPort: 80,
      httpsPort: 443,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
    });
    return {
      vpcOrigin,
      origin: origins.VpcOrigin.withVpcOrigin(vpcOrigin, {
        domainName: origin.domainName,
        originShieldEnabled: originShield,
        originShieldRegion: originShield ? origin.region : undefined,
        readTimeout: Duration.seconds(30),
        keepaliveTimeout: Duration.seconds(5),
      }),
    };
  }

  /** IP reputation, per-IP rate limit (429), common and known-bad-inputs rule groups; logs with secrets redacted. */
  private createWebAcl(rateLimitPerIp: number, logGroupName: string): wafv2.CfnWebACL {
    const metricPrefix = Names.uniqueResourceName(this, { maxLength: 64, separator: '-' });
    const visibility = (name: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${metricPrefix}-${name}`.slice(-128),
    });
    const managed = (priority: number, name: string): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority,
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
      overrideAction: { none: {} },
      visibilityConfig: visibility(name),
    });
    const webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      description: `${this.node.path} edge protection`.slice(-256),
      defaultAction: { allow: {} },
      visibilityConfig: visibility('WebAcl'),
      customResponseBodies: {
        TooManyRequests: { contentType: 'APPLICATION_JSON', content: '{"message":"Too many requests, retry later"}' },
      },
      rules: [
        managed(0, 'AWSManagedRulesAmazonIpReputationList'),
        {
          name: 'RateLimitPerIp',
          priority: 1,
          statement: { rateBasedStatement: { limit: rateLimitPerIp, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
          action: { block: { customResponse: { responseCode: 429, customResponseBodyKey: 'TooManyRequests' } } },
          visibilityConfig: visibility('RateLimitPerIp'),
        },
        managed(2, 'AWSManagedRulesCommonRuleSet'),
        managed(3, 'AWSManagedRulesKnownBadInputsRuleSet'),
      ],
    });
    const logging = new wafv2.CfnLoggingConfiguration(this, 'WebAclLogging', {
      resourceArn: webAcl.attrArn,
      // WAF wants the log group ARN without the trailing `:*` of LogGroup.logGroupArn.
      logDestinationConfigs: [Stack.of(this).formatArn({
        service: 'logs',
        resource: 'log-group',
        resourceName: logGroupName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      })],
      redactedFields: [
        { singleHeader: { Name: 'authorization' } },
        { singleHeader: { Name: 'cookie' } },
      ],
    });
    logging.node.addDependency(this.logGroup);
    return webAcl;
  }

  /** 5xx error rate (critical) and p99 origin latency (warning). */
  private createAlarms(errorRateThreshold: number, latencyMs: number): cloudwatch.Alarm[] {
    const high5xx = createRunbookAlarm(this, 'High5xxErrorRateAlarm', {
      metric: this.metric5xxErrorRate(),
      threshold: errorRateThreshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      severity: 'critical',
      summary: `More than ${errorRateThreshold}% of viewer requests to ${this.node.path} answered 5xx in 3 of 5 minutes.`,
      runbook: RUNBOOKS.high5xxErrorRate,
    });
    const latency = createRunbookAlarm(this, 'HighOriginLatencyAlarm', {
      metric: this.metricOriginLatency(),
      threshold: latencyMs,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      severity: 'warning',
      summary: `p99 origin latency of ${this.node.path} above ${latencyMs} ms in 3 of 5 minutes.`,
      runbook: RUNBOOKS.highOriginLatency,
    });
    const alarms = [high5xx, latency];
    acknowledgeRoutedByComposer(alarms, 'EdgeDistribution.alarms');
    return alarms;
  }

  private acknowledgeDistributionFindings(hasCertificate: boolean, hasFailoverOrigin: boolean): void {
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'The service is offered worldwide: no country is blocked at the edge. The WAF web ACL (IP reputation, rate limit, managed rule groups) filters abusive clients instead.',
    });
    acknowledgeControlTower(this.distribution, 'CT.CLOUDFRONT.PR.1',
      "The origins are services (load balancers), not an S3 website: the service answers '/' itself, and a default root object would rewrite viewer requests for '/' to a fixed object key.");
    if (!hasFailoverOrigin) {
      acknowledgeControlTower(this.distribution, 'CT.CLOUDFRONT.PR.4',
        'No secondaryOrigin: only one region serves (at the pilot-light and backup-and-restore tiers the secondary serves nothing until a failover, which re-points the primary origin). With secondaryOrigin, reads fail over through an origin group and this control passes.');
    }
    if (!hasCertificate) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason: DEFAULT_CERTIFICATE_REASON,
      });
      for (const control of ['CT.CLOUDFRONT.PR.6', 'CT.CLOUDFRONT.PR.7', 'CT.CLOUDFRONT.PR.9'] as const) {
        acknowledgeControlTower(this.distribution, control, DEFAULT_CERTIFICATE_REASON);
      }
      Annotations.of(this).addWarningV2('platform:edge:default-certificate', DEFAULT_CERTIFICATE_WARNING);
    }
  }
}

/** Default and max TTL of one behaviour: whole seconds, default not above max, max at most 1 year. */
function ttlPair(where: string, defaultProp: string, defaultTtl: Duration, maxProp: string, maxTtl: Duration): { defaultTtl: Duration; maxTtl: Duration } {
  const defaultSeconds = defaultTtl.toSeconds({ integral: false });
  const maxSeconds = maxTtl.toSeconds({ integral: false });
  requireIntegerInRange(where, `${defaultProp} (seconds)`, defaultSeconds, 0, 31_536_000);
  requireIntegerInRange(where, `${maxProp} (seconds)`, maxSeconds, 0, 31_536_000);
  if (defaultSeconds > maxSeconds) {
    throw new PlatformValidationError(where, defaultProp, `${defaultSeconds} seconds`, `is above ${maxProp} (${maxSeconds} seconds)`,
      `lower ${defaultProp} or raise ${maxProp}: CloudFront requires default TTL <= max TTL`);
  }
  return { defaultTtl, maxTtl };
}

/** Path patterns: non-empty, relative to the root, not the default behaviour's, each used once, within the quota. */
function validatePathPatterns(where: string, staticPaths: string[], apiPaths: string[], healthPaths: number): void {
  for (const [prop, patterns] of [['staticPathPatterns', staticPaths], ['apiPathPatterns', apiPaths]] as const) {
    for (const pattern of patterns) {
      if (pattern.startsWith(HEALTH_CHECK_PATH_PREFIX)) {
        throw new PlatformValidationError(where, prop, pattern, `is under ${HEALTH_CHECK_PATH_PREFIX}, which the health-check paths use`,
          `pick another prefix; ${HEALTH_CHECK_PATH_PREFIX}<region> reaches one region's health endpoint`);
      }
      if (!/^\/[A-Za-z0-9_\-.*$/~"'@:+&=]+$/.test(pattern) || pattern === '/*') {
        throw new PlatformValidationError(where, prop, pattern, 'is not a path pattern of an additional behaviour',
          "use a pattern such as '/static/*' (starting with '/', not '/*', which is the default behaviour)");
      }
    }
  }
  const both = staticPaths.filter((p) => apiPaths.includes(p));
  const seen = new Set<string>();
  const duplicate = [...staticPaths, ...apiPaths].find((p) => (seen.has(p) ? true : (seen.add(p), false)));
  if (both.length > 0 || duplicate !== undefined) {
    throw new PlatformValidationError(where, 'apiPathPatterns', both[0] ?? duplicate, 'is listed more than once',
      'give each path pattern once, in staticPathPatterns or in apiPathPatterns');
  }
  if (staticPaths.length + apiPaths.length + healthPaths > MAX_PATH_BEHAVIORS) {
    throw new PlatformValidationError(where, 'staticPathPatterns', staticPaths.length + apiPaths.length,
      `with apiPathPatterns${healthPaths > 0 ? ` and ${healthPaths} health-check paths` : ''} exceeds the ${MAX_PATH_BEHAVIORS} path behaviours CloudFront allows`, 'merge patterns with wildcards');
  }
}

/** Alternate domain names and the certificate go together; the certificate is in us-east-1. */
function validateDomain(where: string, domainNames: string[], certificate: acm.ICertificate | undefined): void {
  if (domainNames.length > 0 && !certificate) {
    throw new PlatformValidationError(where, 'domainNames', domainNames, 'are set without a certificate',
      `pass certificate (an ACM certificate in ${EDGE_REGION} covering them) or remove domainNames`);
  }
  if (certificate && domainNames.length === 0) {
    throw new PlatformValidationError(where, 'certificate', certificate.certificateArn, 'is set without domainNames',
      'pass the domainNames the certificate covers, or remove certificate');
  }
  if (certificate && !Token.isUnresolved(certificate.certificateArn)) {
    const certRegion = Arn.split(certificate.certificateArn, ArnFormat.SLASH_RESOURCE_NAME).region;
    if (certRegion !== EDGE_REGION) {
      throw new PlatformValidationError(where, 'certificate', certificate.certificateArn, `is in ${certRegion}`,
        `CloudFront uses ACM certificates from ${EDGE_REGION} only: request or import the certificate in ${EDGE_REGION}`);
    }
  }
}
