import type { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { PlatformValidationError } from '../../../core/errors';
import type { ChaosExperimentProps } from '../chaos-experiment';
import type { ChaosExperimentsProps } from '../chaos-experiments-props';

/** Stop conditions FIS accepts per experiment template. */
const MAX_STOP_CONDITIONS = 5;

/** Checks the props of the `ChaosExperiments` at `where`: one to five stop condition alarms. */
export function validateChaosExperimentsProps(where: string, props: ChaosExperimentsProps): void {
  requireStopConditions(where, props.stopConditionAlarms);
}

/** Checks the props of the `ChaosExperiment` at `where`: one to five stop condition alarms. */
export function validateChaosExperimentProps(where: string, props: ChaosExperimentProps): void {
  requireStopConditions(where, props.stopConditionAlarms);
}

function requireStopConditions(where: string, alarms: readonly cloudwatch.IAlarm[]): void {
  if (alarms.length === 0) {
    throw new PlatformValidationError(where, 'stopConditionAlarms', [], 'is empty',
      'give at least one critical alarm (e.g. ServiceMonitoring.pageAlarm): FIS stops the experiment when it goes to ALARM, and a chaos experiment without a stop condition is not allowed');
  }
  if (alarms.length > MAX_STOP_CONDITIONS) {
    throw new PlatformValidationError(where, 'stopConditionAlarms', `${alarms.length} alarms`, `exceeds the ${MAX_STOP_CONDITIONS} stop conditions FIS allows per template`,
      'combine the alarms in a composite alarm (ServiceMonitoring.pageAlarm already is one) and give that');
  }
}

/** The duration as FIS wants it (ISO 8601, `PT10M`), between 1 minute and 12 hours. */
export function requireFisDuration(where: string, prop: string, duration: Duration): string {
  const seconds = duration.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < 60 || seconds > 12 * 3600) {
    throw new PlatformValidationError(where, prop, duration.toHumanString(), 'is outside 1 minute to 12 hours (whole seconds)',
      'use a duration FIS accepts, e.g. Duration.minutes(10)');
  }
  return duration.toIsoString();
}
