import { Arn, ArnFormat, Duration, Token } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type { Construct } from 'constructs';
import { PlatformValidationError } from '../../../core/errors';
import { requireIntegerInRange, requireNumberInRange, requirePath } from '../../../core/validate';
import { requireStackRegion } from '../../private/context';
import type { EdgeOrigin } from '../edge-origin';
import { EDGE_REGION, HEALTH_CHECK_PATH_PREFIX, WAF_MIN_RATE_LIMIT } from '../edge-distribution-props';
import type { EdgeDistributionProps } from '../edge-distribution-props';

/** AWS WAF's largest rate-based rule limit. */
const WAF_MAX_RATE_LIMIT = 2_000_000_000;
/** CloudFront accepts at most 25 cache behaviours: the default one plus 24 path patterns (default quota). */
const MAX_PATH_BEHAVIORS = 24;

/** Default and max TTL of one cache policy. */
export interface TtlPair {
  /** TTL of responses without Cache-Control max-age. */
  readonly defaultTtl: Duration;
  /** Longest a response stays cached whatever its Cache-Control says. */
  readonly maxTtl: Duration;
}

/** An {@link EdgeDistributionProps}, checked and with every default applied (the `@default` of each prop). */
export interface EdgeDistributionSettings {
  /** Region-pinned public origins reachable at `/_health/<region>` (none by default). */
  readonly healthCheckOrigins: readonly EdgeOrigin[];
  /** The service's health path the health-check paths forward to (`/health` by default). */
  readonly healthCheckPath: string;
  /** Requests per client IP per 5 minutes above which the WAF answers 429 (2000 by default). */
  readonly rateLimitPerIp: number;
  /** TTLs of the static paths (1 day default, 365 days max by default). */
  readonly staticTtl: TtlPair;
  /** TTLs of the API paths and the default behaviour (0 s default, 5 minutes max by default). */
  readonly apiTtl: TtlPair;
  /** Path patterns of the static behaviours (`/static/*`, `/assets/*` by default). */
  readonly staticPaths: readonly string[];
  /** Path patterns of the API behaviours (`/api/*` by default). */
  readonly apiPaths: readonly string[];
  /** Alternate domain names (none by default). */
  readonly domainNames: readonly string[];
  /** Whole days the access logs are kept. */
  readonly accessLogDays: number;
  /** Percent of viewer requests answered 5xx. */
  readonly errorRateThreshold: number;
  /** p99 origin latency in milliseconds. */
  readonly latencyMs: number;
  /** Whether Origin Shield fronts each origin (on by default). */
  readonly originShield: boolean;
}

/**
 * Checks the props of the `EdgeDistribution` `scope` (in us-east-1, origins, health-check origins, WAF rate limit,
 * TTLs, path patterns, domain and certificate, retention, alarm thresholds) and returns them with defaults applied.
 * Every bad input throws a {@link PlatformValidationError} naming the prop, the value and the fix, before anything
 * is built.
 */
export function validateEdgeDistributionProps(scope: Construct, props: EdgeDistributionProps): EdgeDistributionSettings {
  const where = scope.node.path;
  requireStackRegion(scope, EDGE_REGION, `CloudFront-scoped WAF web ACLs, their logs and CloudFront metrics exist only in ${EDGE_REGION}`,
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
  validateHealthCheckOrigins(where, healthCheckOrigins);
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
  return {
    healthCheckOrigins, healthCheckPath, rateLimitPerIp, staticTtl, apiTtl, staticPaths, apiPaths, domainNames,
    accessLogDays, errorRateThreshold, latencyMs, originShield: props.originShield ?? true,
  };
}

/** Health-check origins: valid, public (DNS-routed), pinned to a region, one per region. */
function validateHealthCheckOrigins(where: string, healthCheckOrigins: readonly EdgeOrigin[]): void {
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
}

/** Default and max TTL of one behaviour: whole seconds, default not above max, max at most 1 year. */
function ttlPair(where: string, defaultProp: string, defaultTtl: Duration, maxProp: string, maxTtl: Duration): TtlPair {
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
function validatePathPatterns(where: string, staticPaths: readonly string[], apiPaths: readonly string[], healthPaths: number): void {
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
function validateDomain(where: string, domainNames: readonly string[], certificate: acm.ICertificate | undefined): void {
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
