import type { Duration } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { EdgeOrigin } from './edge-origin';

/** CloudFront-scoped resources (web ACLs, their logs, CloudFront metrics, viewer certificates) live here only. */
export const EDGE_REGION = 'us-east-1';
/** AWS WAF's smallest rate-based rule limit (requests per evaluation window). */
export const WAF_MIN_RATE_LIMIT = 100;
/** Origin responses that make CloudFront retry a read on the secondary origin. */
export const FAILOVER_STATUS_CODES = [500, 502, 503, 504];
/** Prefix of the paths that reach one region's health endpoint through the distribution. */
export const HEALTH_CHECK_PATH_PREFIX = '/_health/';

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
   * @default 2000 - requests per client IP per 5 minutes
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
   * 5xx share of viewer requests (percent, 0.01 to 100) above which the 5xx alarm fires (3 of 5 minutes).
   * @default 1 - more than 1% of viewer requests answered 5xx
   */
  readonly errorRateThresholdPercent?: number;
  /**
   * p99 origin latency above which the latency alarm fires (3 of 5 minutes), 10 ms to 60 s in whole milliseconds.
   * @default Duration.seconds(2) - 2000 ms
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
