import { DrTier } from '../../../core/dr-tier';
import { PlatformValidationError } from '../../../core/errors';
import { requireRegion } from '../../../core/regions';
import type { RegionSwitchPlanProps } from '../region-switch-plan-props';

/** A {@link RegionSwitchPlanProps}, checked and with every default applied. */
export interface RegionSwitchPlanSettings {
  /** Minutes each database and capacity step may take. */
  readonly stepTimeoutMinutes: number;
  /** Whether both regions serve (DR tier active-active). */
  readonly activeActive: boolean;
}

/**
 * Checks the props of the `RegionSwitchPlan` at `where`: plan name, two different regions, a DR tier that keeps
 * something running in the secondary, a global database for active/active, the step timeout. Every bad input
 * throws a {@link PlatformValidationError} naming the prop, the value and the fix.
 */
export function validateRegionSwitchPlanProps(where: string, props: RegionSwitchPlanProps): RegionSwitchPlanSettings {
  if (!/^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$/.test(props.planName)) {
    throw new PlatformValidationError(where, 'planName', props.planName, 'is not a Region switch plan name',
      'use 1-32 letters, digits and dashes, starting and ending with a letter or digit');
  }
  requireRegion(where, 'primaryRegion', props.primaryRegion);
  requireRegion(where, 'secondaryRegion', props.secondaryRegion);
  if (props.primaryRegion === props.secondaryRegion) {
    throw new PlatformValidationError(where, 'secondaryRegion', props.secondaryRegion, 'equals primaryRegion',
      'switch between two different regions');
  }
  if (props.drTier === DrTier.BACKUP_RESTORE) {
    throw new PlatformValidationError(where, 'drTier', props.drTier.id, 'keeps nothing running in the secondary region to switch to',
      'recover with the backup-restore-failover drill (restore + deploy), or choose pilot-light or above');
  }
  const globalClusterIdentifier = props.globalClusterIdentifier;
  if (globalClusterIdentifier === undefined && props.drTier === DrTier.ACTIVE_ACTIVE) {
    throw new PlatformValidationError(where, 'globalClusterIdentifier', globalClusterIdentifier,
      `is required for DR tier ${props.drTier.id}: both regions take writes, which needs a globally replicated data store`,
      'pass the Aurora Global Database name (AuroraDatabase with globalClusterIdentifier and writeForwarding on the secondary), or choose warm-standby');
  }
  const timeout = props.stepTimeoutMinutes ?? 30;
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > 1440) {
    throw new PlatformValidationError(where, 'stepTimeoutMinutes', timeout, 'must be a whole number of minutes from 1 to 1440',
      'set stepTimeoutMinutes to e.g. 30');
  }
  return { stepTimeoutMinutes: timeout, activeActive: props.drTier === DrTier.ACTIVE_ACTIVE };
}
