import { Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type { Construct } from 'constructs';
import { HEALTH_CHECK_PATH_PREFIX } from '../edge-distribution-props';
import { createEdgeOrigin } from './edge-origins';
import type { EdgeOrigins } from './edge-origins';
import type { EdgeDistributionSettings } from './validate-edge-distribution-props';

/** What {@link buildEdgeBehaviors} builds. */
export interface EdgeBehaviors {
  /** Cache policy of the static paths. */
  readonly staticAssetsCachePolicy: cloudfront.CachePolicy;
  /** Cache policy of the API paths and the default behaviour. */
  readonly apiCachePolicy: cloudfront.CachePolicy;
  /** The security-headers response headers policy of every behaviour. */
  readonly responseHeadersPolicy: cloudfront.ResponseHeadersPolicy;
  /** The function mapping `/_health/<region>` to the health path; only with health-check origins. */
  readonly healthCheckFunction?: cloudfront.Function;
  /** The default behaviour (API-like: every method, primary origin). */
  readonly defaultBehavior: cloudfront.BehaviorOptions;
  /** The path behaviours: health-check paths first, then static, then API paths. */
  readonly additionalBehaviors: Record<string, cloudfront.BehaviorOptions>;
}

/** The path at which a region's health endpoint answers through the distribution (`/_health/<region>`). */
export function healthCheckPathOf(region: string): string {
  return `${HEALTH_CHECK_PATH_PREFIX}${region}`;
}

/**
 * The cache behaviours of an `EdgeDistribution` and the policies they use, built in `scope` (construct IDs
 * `StaticAssetsCachePolicy`, `ApiCachePolicy`, `ApiOriginRequestPolicy`, `SecurityHeadersPolicy`,
 * `HealthCheckPathFunction`). Static paths: GET/HEAD/OPTIONS from the read origin (failing over to the secondary),
 * query string in the cache key. API paths and the default behaviour: every method on the primary, the origin's
 * Cache-Control decides, Authorization in the cache key. Health-check paths: `/_health/<region>` to that region's
 * origin, rewritten to the health path, never cached. Every behaviour compresses, redirects to HTTPS and returns
 * the security headers.
 */
export function buildEdgeBehaviors(scope: Construct, settings: EdgeDistributionSettings, origins: EdgeOrigins): EdgeBehaviors {
  const where = scope.node.path;
  const staticAssetsCachePolicy = new cloudfront.CachePolicy(scope, 'StaticAssetsCachePolicy', {
    comment: `${where}: static assets, long TTL`,
    minTtl: Duration.seconds(0),
    defaultTtl: settings.staticTtl.defaultTtl,
    maxTtl: settings.staticTtl.maxTtl,
    queryStringBehavior: cloudfront.CacheQueryStringBehavior.all(),
    headerBehavior: cloudfront.CacheHeaderBehavior.none(),
    cookieBehavior: cloudfront.CacheCookieBehavior.none(),
    enableAcceptEncodingGzip: true,
    enableAcceptEncodingBrotli: true,
  });
  const apiCachePolicy = new cloudfront.CachePolicy(scope, 'ApiCachePolicy', {
    comment: `${where}: API and pages, origin Cache-Control decides`,
    minTtl: Duration.seconds(0),
    defaultTtl: settings.apiTtl.defaultTtl,
    maxTtl: settings.apiTtl.maxTtl,
    queryStringBehavior: cloudfront.CacheQueryStringBehavior.all(),
    // Authorization reaches the origin only through the cache key, which also keeps users' responses apart.
    headerBehavior: cloudfront.CacheHeaderBehavior.allowList('Authorization'),
    cookieBehavior: cloudfront.CacheCookieBehavior.none(),
    enableAcceptEncodingGzip: true,
    enableAcceptEncodingBrotli: true,
  });
  const apiOriginRequestPolicy = new cloudfront.OriginRequestPolicy(scope, 'ApiOriginRequestPolicy', {
    comment: `${where}: what the service reads beyond the cache key`,
    queryStringBehavior: cloudfront.OriginRequestQueryStringBehavior.all(),
    headerBehavior: cloudfront.OriginRequestHeaderBehavior.allowList('Accept', 'Accept-Language', 'Content-Type', 'Origin', 'Referer'),
    cookieBehavior: cloudfront.OriginRequestCookieBehavior.none(),
  });
  const responseHeadersPolicy = new cloudfront.ResponseHeadersPolicy(scope, 'SecurityHeadersPolicy', {
    comment: `${where}: security headers`,
    securityHeadersBehavior: {
      strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, preload: false, override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
      referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
      xssProtection: { protection: true, modeBlock: true, override: true },
    },
  });

  const common = {
    viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
    compress: true,
    responseHeadersPolicy,
  };
  const defaultBehavior: cloudfront.BehaviorOptions = {
    ...common,
    origin: origins.primary,
    allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
    cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD_OPTIONS,
    cachePolicy: apiCachePolicy,
    originRequestPolicy: apiOriginRequestPolicy,
  };
  const staticBehavior: cloudfront.BehaviorOptions = {
    ...common,
    origin: origins.readOrigin,
    allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
    cachedMethods: cloudfront.CachedMethods.CACHE_GET_HEAD_OPTIONS,
    cachePolicy: staticAssetsCachePolicy,
  };
  // Health-check paths first: CloudFront takes the first pattern that matches, and a user pattern such as '/_*'
  // must not send a region's health check to another origin.
  const additionalBehaviors: Record<string, cloudfront.BehaviorOptions> = {};
  let healthCheckFunction: cloudfront.Function | undefined;
  if (settings.healthCheckOrigins.length > 0) {
    // Route 53 health checkers ask `/_health/<region>`; the function hands the origin the service's health path.
    const fn = new cloudfront.Function(scope, 'HealthCheckPathFunction', {
      comment: `${where}: /_health/<region> to ${settings.healthCheckPath}`.slice(0, 128),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(
        `function handler(event) { var request = event.request; request.uri = ${JSON.stringify(settings.healthCheckPath)}; request.querystring = {}; return request; }`),
    });
    healthCheckFunction = fn;
    settings.healthCheckOrigins.forEach((origin, index) => {
      additionalBehaviors[healthCheckPathOf(origin.region!)] = {
        ...common,
        origin: createEdgeOrigin(scope, `Health${index}`, origin, false).origin,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        functionAssociations: [{ function: fn, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      };
    });
  }
  for (const path of settings.staticPaths) additionalBehaviors[path] = staticBehavior;
  for (const path of settings.apiPaths) additionalBehaviors[path] = defaultBehavior;
  return { staticAssetsCachePolicy, apiCachePolicy, responseHeadersPolicy, healthCheckFunction, defaultBehavior, additionalBehaviors };
}
