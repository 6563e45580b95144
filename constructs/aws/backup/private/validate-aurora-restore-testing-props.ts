import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { PlatformValidationError } from '../../../core/errors';
import { requireIntegerInRange } from '../../../core/validate';
import type { AuroraRestoreTestingProps } from '../aurora-restore-testing-props';

/** {@link AuroraRestoreTestingProps} validated, with their defaults applied. */
export interface AuroraRestoreTestingSettings {
  /** Hours the restored cluster is kept for validation, 1 to 168. */
  readonly validationWindowHours: number;
  /** When restore tests start: a cron schedule. */
  readonly schedule: events.Schedule;
  /** Engine the restored cluster must run. */
  readonly expectedEngine: string;
}

/**
 * Validates `props` of the AuroraRestoreTesting at `where` and returns them with their defaults (a 4-hour validation
 * window, Saturdays 06:00 UTC, `aurora-postgresql`). Throws {@link PlatformValidationError}.
 */
export function validateAuroraRestoreTestingProps(where: string, props: AuroraRestoreTestingProps): AuroraRestoreTestingSettings {
  const validationWindowHours = (props.validationWindow ?? Duration.hours(4)).toHours({ integral: false });
  requireIntegerInRange(where, 'validationWindow (hours)', validationWindowHours, 1, 168);
  const schedule = props.schedule ?? events.Schedule.cron({ weekDay: 'SAT', hour: '6', minute: '0' });
  if (!schedule.expressionString.startsWith('cron(')) {
    throw new PlatformValidationError(where, 'schedule', schedule.expressionString, 'is not a cron expression',
      "use events.Schedule.cron({ weekDay: 'SAT', hour: '6', minute: '0' })");
  }
  return { validationWindowHours, schedule, expectedEngine: props.expectedEngine ?? 'aurora-postgresql' };
}
