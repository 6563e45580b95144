import type { PlatformSpec } from '../multi-region-platform-props';

/** The DNS names and secret of DNS-routed origins, for a platform with a domain. */
export interface OriginRoutingNames {
  /** The name Route 53 routes (failover or latency records) and CloudFront's primary origin: `origin.<domainName>`. */
  readonly routed: string;
  /** Secrets Manager name of the origin-verify header value (created in the primary region, replicated). */
  readonly secretName: string;
  /** Header CloudFront adds and the load balancers require. */
  readonly headerName: string;
}

/**
 * With a domain the platform routes regions with Route 53 (failover or latency records with health checks, behind
 * CloudFront); without one there is no zone to route in, and CloudFront reaches internal load balancers through VPC origins.
 */
export function originRoutingNames(spec: PlatformSpec): OriginRoutingNames | undefined {
  if (spec.domain === undefined) return undefined;
  return { routed: `origin.${spec.domain.domainName}`, secretName: `${spec.service}/origin-verify`, headerName: 'X-Origin-Verify' };
}

/** One region's own origin name: `<region>.origin.<domainName>`. */
export function regionalOriginName(names: OriginRoutingNames, region: string): string {
  return `${region}.${names.routed}`;
}

/** Name of the Aurora Global Database of a platform. */
export function globalClusterIdentifier(spec: PlatformSpec): string {
  return `${spec.service}-global`;
}
