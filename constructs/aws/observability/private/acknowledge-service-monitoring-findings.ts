import { Validations } from 'aws-cdk-lib';
import { acknowledgeControlTower } from '../../private/control-tower';
import type { SloBurnRateAlarm } from '../service-monitoring-props';

/**
 * Every cdk-nag and Control Tower finding a `ServiceMonitoring` acknowledges: the two halves of each burn-rate row
 * have no actions of their own, by design (their composite notifies).
 */
export function acknowledgeServiceMonitoringFindings(sloAlarms: readonly SloBurnRateAlarm[]): void {
  const oneWindow = 'One window of a multiwindow burn-rate condition: it notifies through the composite alarm that requires both windows (notifying each window would page on a short blip and resolve late).';
  for (const row of sloAlarms) {
    for (const half of [row.long, row.short]) {
      Validations.of(half).acknowledge({ id: 'NIST.800.53.R5-CloudWatchAlarmAction', reason: oneWindow });
      acknowledgeControlTower(half, 'CT.CLOUDWATCH.PR.1', oneWindow);
    }
  }
}
