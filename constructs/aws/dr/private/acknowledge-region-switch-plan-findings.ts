import { Validations } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { acknowledgeWildcards } from '../../private/nag';

/**
 * Every cdk-nag finding of a `RegionSwitchPlan` that is not a violation here, acknowledged on its execution policy:
 * the read-only calls without resource-level permissions (`*`) and the scalable-target ARN patterns
 * `scalableTargets` (ids generated at registration).
 */
export function acknowledgeRegionSwitchPlanFindings(executionPolicy: iam.ManagedPolicy, scalableTargets: readonly string[]): void {
  Validations.of(executionPolicy).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'Read-only calls of the plan evaluation, nothing that changes a resource: cloudwatch:GetMetricData and application-autoscaling:DescribeScalableTargets have no resource-level permissions; cloudwatch:DescribeAlarms and iam:GetRole read the metadata of the alarms and roles the plan names. The one write of Application Auto Scaling (RegisterScalableTarget) is in its own statement, scoped to scalable targets of the two regions and to ECS service desired count.',
  });
  acknowledgeWildcards(executionPolicy, scalableTargets,
    'A scalable target ARN ends in an id Application Auto Scaling generates at registration (not known at synth): the statement allows this account\'s scalable targets in the plan\'s two regions only, and its conditions restrict it to service namespace ecs and dimension ecs:service:DesiredCount (the services the plan scales).');
}
