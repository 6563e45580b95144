import { Annotations, Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { EDGE_REGION } from './edge-distribution-props';
import type { EdgeDistributionProps } from './edge-distribution-props';
import { acknowledgeEdgeDistributionFindings } from './private/acknowledge-edge-distribution-findings';
import { createEdgeAlarms } from './private/edge-alarms';
import { buildEdgeBehaviors, healthCheckPathOf } from './private/edge-behaviors';
import { buildEdgeLogStorage } from './private/edge-log-storage';
import { buildEdgeOrigins } from './private/edge-origins';
import { buildEdgeWebAcl } from './private/edge-web-acl';
import { validateEdgeDistributionProps } from './private/validate-edge-distribution-props';

export { EDGE_REGION, FAILOVER_STATUS_CODES, HEALTH_CHECK_PATH_PREFIX, WAF_MIN_RATE_LIMIT } from './edge-distribution-props';
export type { EdgeDistributionProps } from './edge-distribution-props';

/** The synth warning of a distribution without a certificate. */
const DEFAULT_CERTIFICATE_WARNING = 'No certificate: viewers reach the distribution on its *.cloudfront.net name, whose default CloudFront certificate accepts TLSv1 and TLSv1.1. Pass domainNames and certificate (an ACM certificate in us-east-1) so viewers need TLSv1.2 (security policy TLSv1.2_2021).';

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
  /**
   * Critical alarm (runbook `alerts/edge/EdgeHigh5xxErrorRate`): more than `errorRateThresholdPercent` (default 1)
   * percent of viewer requests answered 5xx in 3 of 5 minutes.
   */
  public readonly high5xxErrorRateAlarm: cloudwatch.Alarm;
  /**
   * Warning alarm (runbook `alerts/edge/EdgeHighOriginLatency`): p99 origin latency above `originLatencyThreshold`
   * (default 2000 ms) in 3 of 5 minutes.
   */
  public readonly highOriginLatencyAlarm: cloudwatch.Alarm;
  /** Every alarm of the distribution: `high5xxErrorRateAlarm` and `highOriginLatencyAlarm`. */
  public readonly alarms: cloudwatch.Alarm[];
  /** Viewer requests above their anomaly band for 10 minutes (warning): the spike the WAF remediation answers. */
  public readonly trafficSpikeAlarm: cloudwatch.AnomalyDetectionAlarm;
  /** The WAF rule group of the per-IP rate rule, its name and metric name (for `AutoRemediation.addWafRateLimitAction`). */
  public readonly rateLimitRuleGroup: wafv2.CfnRuleGroup;
  public readonly rateLimitRuleGroupName: string;
  public readonly rateLimitMetricName: string;
  /** The per-IP limit (requests per 5 minutes). */
  public readonly rateLimitPerIp: number;

  constructor(scope: Construct, id: string, props: EdgeDistributionProps) {
    super(scope, id);
    const where = this.node.path;
    const settings = validateEdgeDistributionProps(this, props);

    const storage = buildEdgeLogStorage(this, settings.accessLogDays);
    this.encryptionKey = storage.encryptionKey;
    this.logBucket = storage.logBucket;
    const waf = buildEdgeWebAcl(this, {
      encryptionKey: this.encryptionKey,
      rateLimitPerIp: settings.rateLimitPerIp,
      logRetention: props.wafLogRetention ?? logs.RetentionDays.ONE_YEAR,
    });
    this.logGroup = waf.logGroup;
    this.webAcl = waf.webAcl;
    this.rateLimitRuleGroup = waf.rateLimitRuleGroup;
    this.rateLimitRuleGroupName = waf.rateLimitRuleGroupName;
    this.rateLimitMetricName = waf.rateLimitMetricName;
    this.rateLimitPerIp = settings.rateLimitPerIp;

    const origins = buildEdgeOrigins(this, props.primaryOrigin, props.secondaryOrigin, settings.originShield);
    this.vpcOrigins = origins.vpcOrigins;
    const behaviors = buildEdgeBehaviors(this, settings, origins);
    this.staticAssetsCachePolicy = behaviors.staticAssetsCachePolicy;
    this.apiCachePolicy = behaviors.apiCachePolicy;
    this.responseHeadersPolicy = behaviors.responseHeadersPolicy;
    this.healthCheckFunction = behaviors.healthCheckFunction;

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: where.slice(-128),
      defaultBehavior: behaviors.defaultBehavior,
      additionalBehaviors: behaviors.additionalBehaviors,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      // Only a custom certificate has a security policy to set; the default one is fixed (see the warning below).
      minimumProtocolVersion: props.certificate ? cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 : undefined,
      sslSupportMethod: props.certificate ? cloudfront.SSLMethod.SNI : undefined,
      certificate: props.certificate,
      domainNames: settings.domainNames.length > 0 ? [...settings.domainNames] : undefined,
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
    if (!props.certificate) Annotations.of(this).addWarningV2('platform:edge:default-certificate', DEFAULT_CERTIFICATE_WARNING);

    const alarms = createEdgeAlarms(this, this, settings.errorRateThreshold, settings.latencyMs);
    this.high5xxErrorRateAlarm = alarms.high5xxErrorRate;
    this.highOriginLatencyAlarm = alarms.highOriginLatency;
    this.trafficSpikeAlarm = alarms.trafficSpike;
    this.alarms = [this.high5xxErrorRateAlarm, this.highOriginLatencyAlarm, this.trafficSpikeAlarm];

    acknowledgeEdgeDistributionFindings({
      logBucket: this.logBucket,
      distribution: this.distribution,
      hasCertificate: props.certificate !== undefined,
      hasFailoverOrigin: props.secondaryOrigin !== undefined,
      alarms: this.alarms,
    });
  }

  /** The path at which a region's health endpoint answers through the distribution (`/_health/<region>`). */
  public static healthCheckPathFor(region: string): string {
    return healthCheckPathOf(region);
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
}
