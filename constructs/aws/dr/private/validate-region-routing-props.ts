import { PlatformValidationError } from '../../../core/errors';
import { requireRegion } from '../../../core/regions';
import { requireIntegerInRange } from '../../../core/validate';
import type { RegionRoutingProps } from '../region-routing';

/** A {@link RegionRoutingProps}, checked and with every default applied. */
export interface RegionRoutingSettings {
  /** Seconds between two checks of one checker: 10 or 30. */
  readonly intervalSeconds: number;
  /** Consecutive failed checks that turn a region unhealthy, 1 to 10. */
  readonly failureThreshold: number;
}

/**
 * Checks the props of the `RegionRouting` at `where`: a fully qualified record name, two regions for failover (at
 * least two for latency), each region once, standbys only as the failover secondary, a health-check interval Route 53
 * supports and a failure threshold of 1 to 10. Every bad input throws a {@link PlatformValidationError} naming the
 * prop, the value and the fix.
 */
export function validateRegionRoutingProps(where: string, props: RegionRoutingProps): RegionRoutingSettings {
  if (!/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/.test(props.recordName)) {
    throw new PlatformValidationError(where, 'recordName', props.recordName, 'is not a fully qualified DNS name',
      "pass a name such as 'origin.shop.example.com' (no trailing dot)");
  }
  const count = props.regions.length;
  if (props.policy === 'failover' && count !== 2) {
    throw new PlatformValidationError(where, 'regions', count, 'must be exactly two regions for failover routing',
      'pass the primary region first and the secondary second, or use latency routing for more regions');
  }
  if (props.policy === 'latency' && count < 2) {
    throw new PlatformValidationError(where, 'regions', count, 'must be at least two regions for latency routing',
      'pass every serving region, or point a simple record at the only one');
  }
  if (props.policy !== 'failover' && props.policy !== 'latency') {
    throw new PlatformValidationError(where, 'policy', String(props.policy), 'is not a routing policy', "use 'failover' or 'latency'");
  }
  const seen = new Set<string>();
  props.regions.forEach((r, index) => {
    requireRegion(where, `regions[${index}].region`, r.region);
    if (seen.has(r.region)) {
      throw new PlatformValidationError(where, `regions[${index}].region`, r.region, 'appears twice',
        'route each region once (the secondary region must differ from the primary)');
    }
    seen.add(r.region);
    if (props.policy === 'latency' && r.standby) {
      throw new PlatformValidationError(where, `regions[${index}].standby`, true, 'contradicts latency routing, where every region serves',
        'use failover routing for a standby region, or scale it to serve (active/active)');
    }
  });
  if (props.policy === 'failover' && props.regions[0].standby) {
    throw new PlatformValidationError(where, 'regions[0].standby', true, 'marks the primary as a standby',
      'the primary serves: mark only the secondary (regions[1]) as standby');
  }
  const intervalSeconds = (props.requestInterval?.toSeconds({ integral: false })) ?? 10;
  if (intervalSeconds !== 10 && intervalSeconds !== 30) {
    throw new PlatformValidationError(where, 'requestInterval', `${intervalSeconds} seconds`, 'is not an interval Route 53 health checks support',
      'use Duration.seconds(10) (fast) or Duration.seconds(30)');
  }
  const failureThreshold = props.failureThreshold ?? 3;
  requireIntegerInRange(where, 'failureThreshold', failureThreshold, 1, 10);
  return { intervalSeconds, failureThreshold };
}
