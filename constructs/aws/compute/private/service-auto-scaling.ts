import { Duration } from 'aws-cdk-lib';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { ResilientServiceSettings } from './validate-resilient-service-props';

/**
 * Scales `service` between `minCapacity` and `maxCapacity` tasks on two target-tracking policies, CPU utilization and
 * requests per target of `targetGroup`: out after 1 minute, in after 5, so a spike is met fast and a lull does not
 * flap the task count.
 */
export function configureServiceAutoScaling(service: ecs.FargateService, targetGroup: elbv2.ApplicationTargetGroup,
  settings: ResilientServiceSettings): ecs.ScalableTaskCount {
  const scaling = service.autoScaleTaskCount({ minCapacity: settings.minCapacity, maxCapacity: settings.maxCapacity });
  scaling.scaleOnCpuUtilization('CpuScaling', {
    targetUtilizationPercent: settings.cpuTargetPercent,
    scaleOutCooldown: Duration.seconds(60),
    scaleInCooldown: Duration.seconds(300),
  });
  scaling.scaleOnRequestCount('RequestScaling', {
    requestsPerTarget: settings.requestsPerTarget,
    targetGroup,
    scaleOutCooldown: Duration.seconds(60),
    scaleInCooldown: Duration.seconds(300),
  });
  return scaling;
}
