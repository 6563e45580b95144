import { Duration } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type { Construct } from 'constructs';
import { FAILOVER_STATUS_CODES } from '../edge-distribution-props';
import type { EdgeOrigin } from '../edge-origin';

/** One origin of the distribution: the origin behaviours use, and the VPC origin resource it needs (VPC origins only). */
export interface BuiltEdgeOrigin {
  /** The `AWS::CloudFront::VpcOrigin` on the load balancer; undefined for a public name. */
  readonly vpcOrigin?: cloudfront.VpcOrigin;
  /** The origin a behaviour targets. */
  readonly origin: cloudfront.IOrigin;
}

/** What {@link buildEdgeOrigins} builds. */
export interface EdgeOrigins {
  /** The primary origin: every behaviour that accepts writes uses it. */
  readonly primary: cloudfront.IOrigin;
  /** The origin of the static reads: an origin group failing over to the secondary, or the primary alone. */
  readonly readOrigin: cloudfront.IOrigin;
  /** The VPC origins, primary first (none for public-name origins). */
  readonly vpcOrigins: cloudfront.VpcOrigin[];
}

/**
 * The primary and secondary origins of an `EdgeDistribution`, built in `scope` (construct IDs `PrimaryVpcOrigin`,
 * `SecondaryVpcOrigin` for VPC origins), and the origin group of the static reads: with a secondary, CloudFront
 * retries a read there when the primary answers 500, 502, 503 or 504 or cannot be reached.
 */
export function buildEdgeOrigins(scope: Construct, primaryOrigin: EdgeOrigin, secondaryOrigin: EdgeOrigin | undefined,
  originShield: boolean): EdgeOrigins {
  const primary = createEdgeOrigin(scope, 'Primary', primaryOrigin, originShield);
  const secondary = secondaryOrigin ? createEdgeOrigin(scope, 'Secondary', secondaryOrigin, originShield) : undefined;
  return {
    primary: primary.origin,
    readOrigin: secondary
      ? new origins.OriginGroup({ primaryOrigin: primary.origin, fallbackOrigin: secondary.origin, fallbackStatusCodes: FAILOVER_STATUS_CODES })
      : primary.origin,
    vpcOrigins: [primary.vpcOrigin, secondary?.vpcOrigin].filter((o): o is cloudfront.VpcOrigin => o !== undefined),
  };
}

/**
 * A public HTTPS origin (TLS 1.2, the origin-verify header added) for a public name, or a VPC origin resource on the
 * load balancer (`<id>VpcOrigin` in `scope`) and the distribution origin using it. Origin Shield, when on, runs in
 * the origin's region; a routed public name (no region) gets none.
 */
export function createEdgeOrigin(scope: Construct, id: string, origin: EdgeOrigin, originShield: boolean): BuiltEdgeOrigin {
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
  const vpcOrigin = new cloudfront.VpcOrigin(scope, `${id}VpcOrigin`, {
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
