import * as arczonalshift from 'aws-cdk-lib/aws-arczonalshift';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { Construct } from 'constructs';

/** ARC zonal shift (the az-evacuation drill, and zonal autoshift when asked): off by default on every load balancer. */
export function enableZonalShift(loadBalancer: elbv2.ApplicationLoadBalancer): void {
  loadBalancer.setAttribute('zonal_shift.config.enabled', 'true');
}

/** The alarms that judge the weekly practice runs of zonal autoshift. */
export interface PracticeRunAlarms {
  /** A practice run fails (and ends) when this alarm fires: the service answers 5xx. */
  readonly outcome: cloudwatch.IAlarm;
  /** A practice run does not start while this alarm fires: tasks are failing their readiness checks. */
  readonly blocking: cloudwatch.IAlarm;
}

/**
 * Lets AWS shift traffic away from an impaired AZ on its own (construct ID `ZonalAutoshift` in `scope`). Autoshift
 * requires weekly practice runs, with one outcome alarm and one blocking alarm.
 */
export function configureZonalAutoshift(scope: Construct, loadBalancer: elbv2.ApplicationLoadBalancer,
  alarms: PracticeRunAlarms): arczonalshift.CfnZonalAutoshiftConfiguration {
  return new arczonalshift.CfnZonalAutoshiftConfiguration(scope, 'ZonalAutoshift', {
    resourceIdentifier: loadBalancer.loadBalancerArn,
    zonalAutoshiftStatus: 'ENABLED',
    practiceRunConfiguration: {
      outcomeAlarms: [{ type: 'CLOUDWATCH', alarmIdentifier: alarms.outcome.alarmArn }],
      blockingAlarms: [{ type: 'CLOUDWATCH', alarmIdentifier: alarms.blocking.alarmArn }],
    },
  });
}
