import type { Construct } from 'constructs';
import type { MultiAzNetwork } from '../network/multi-az-network';
import { EdgeCanary } from '../release/edge-canary';
import { FeatureFlags } from '../release/feature-flags';
import { ReleaseHooks } from '../release/release-hooks';
import type { PlatformSpec } from './multi-region-platform-props';

/** The release-safety infrastructure of one region (in its base stack): what the region's application stack uses. */
export interface RegionalRelease {
  /** The service's AppConfig application, feature-flag profile, strategies and switch function. */
  readonly flags: FeatureFlags;
  /** The error-budget gate and smoke-test hooks of the region's deployments. */
  readonly hooks: ReleaseHooks;
  /** The canary of the critical paths through CloudFront, where the region serves. */
  readonly canary?: EdgeCanary;
}

/**
 * Adds a region's release infrastructure to its base stack (construct IDs `FeatureFlags`, `ReleaseHooks`,
 * `EdgeCanary`): none of it depends on the application stack, which references it, so it lives before it and keeps
 * the application stack under the resource budget. The budget override is one switch in the primary region.
 */
export function addRegionalRelease(scope: Construct, spec: PlatformSpec, network: MultiAzNetwork, serving: boolean): RegionalRelease {
  const flags = new FeatureFlags(scope, 'FeatureFlags', { service: spec.service, key: network.logKey });
  const hooks = new ReleaseHooks(scope, 'ReleaseHooks', {
    service: spec.service, vpc: network.vpc, overrideParameterRegion: spec.primaryRegion, key: network.logKey,
  });
  const canary = serving ? new EdgeCanary(scope, 'EdgeCanary', { service: spec.service, criticalPaths: spec.criticalPaths }) : undefined;
  return { flags, hooks, canary };
}
