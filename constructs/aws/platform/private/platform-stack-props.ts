import type { Stack } from 'aws-cdk-lib';
import { RUNBOOK_BASE_URL_CONTEXT_KEY } from '../../../core/runbooks';
import type { PlatformStackProps, RegionRole } from '../../platform-stack';
import type { PlatformSpec } from '../multi-region-platform-props';

/**
 * Props every stack of a {@link MultiRegionPlatform} shares: account and region from the spec, the `platform:*` tags,
 * the region's zones (no lookup), termination protection. `role` picks the region: global stacks live in us-east-1
 * (CloudFront's WAF scope).
 */
export function platformStackProps(spec: PlatformSpec, role: RegionRole, what: string): PlatformStackProps {
  const region = role === 'primary' ? spec.primaryRegion : role === 'secondary' ? spec.secondaryRegion : 'us-east-1';
  return {
    env: { account: spec.account, region },
    service: spec.service,
    regionRole: role,
    drTier: spec.drTier,
    availabilityZones: role === 'primary' ? spec.primaryAzs : role === 'secondary' ? spec.secondaryAzs : undefined,
    description: `${spec.service}: ${what} (DR tier ${spec.drTier.id})`,
    terminationProtection: true,
  };
}

/**
 * Makes the spec's runbook base the `runbookBaseUrl` context of `stack` (what every alarm, alert and dashboard of the
 * library reads), before anything is added to the stack.
 */
export function useRunbookBase(stack: Stack, spec: PlatformSpec): void {
  stack.node.setContext(RUNBOOK_BASE_URL_CONTEXT_KEY, spec.runbookBaseUrl);
}
