import type { AppConfigRollout } from '../../../core/release/rollout';
import { stagedRollout } from '../../../core/release/rollout';
import { PlatformValidationError } from '../../../core/errors';
import type { FeatureFlagDeclaration } from '../../../core/release/flags';
import { OPERATIONAL_FLAGS, validateFeatureFlags } from '../../../core/release/flags';
import type { FeatureFlagsProps } from '../feature-flags-props';

/** {@link FeatureFlagsProps} checked, with defaults applied. */
export interface FeatureFlagsSettings {
  readonly flags: readonly FeatureFlagDeclaration[];
  readonly staged: AppConfigRollout;
}

/** Checks `props` of the `FeatureFlags` at `where`; every bad input throws a {@link PlatformValidationError}. */
export function validateFeatureFlagsProps(where: string, props: FeatureFlagsProps): FeatureFlagsSettings {
  if (!/^[a-z][a-z0-9-]{0,39}$/.test(props.service)) {
    throw new PlatformValidationError(where, 'service', props.service, 'is not a valid service name', 'use 1-40 lowercase letters, digits and dashes, starting with a letter');
  }
  const flags = props.flags ?? OPERATIONAL_FLAGS;
  validateFeatureFlags(where, flags);
  const minutes = (d: FeatureFlagsProps['rolloutStepDuration']): number | undefined => d?.toMinutes({ integral: false });
  const staged = stagedRollout(where, { stepMinutes: minutes(props.rolloutStepDuration), finalBakeMinutes: minutes(props.rolloutBakeTime) });
  return { flags, staged };
}
