import { Duration } from 'aws-cdk-lib';
import { PlatformValidationError } from '../../../core/errors';
import type { AuditTrailProps } from '../audit-trail-props';

/** The validated retention of an {@link AuditTrail} in whole days. */
export interface ResolvedAuditTrailProps {
  readonly retentionDays: number;
}

/** Fails naming the prop, the value and the fix; returns the defaulted values. */
export function validateAuditTrailProps(where: string, props: AuditTrailProps): ResolvedAuditTrailProps {
  const retentionDays = (props.retention ?? Duration.days(2557)).toDays({ integral: false });
  if (!Number.isInteger(retentionDays) || retentionDays < 365) {
    throw new PlatformValidationError(where, 'retention (days)', retentionDays, 'is not a whole number of days of at least 365',
      'keep audit records at least a year (NIST 800-53 AU-11), e.g. Duration.days(2557) for seven years');
  }
  if (props.trailName !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$/.test(props.trailName)) {
    throw new PlatformValidationError(where, 'trailName', props.trailName, 'is not a CloudTrail trail name',
      'use 3-128 letters, digits, periods, underscores and dashes, starting with a letter or digit');
  }
  return { retentionDays };
}
