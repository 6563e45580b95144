import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { RegionSwitchPlanProps } from '../region-switch-plan-props';

/** What {@link buildRegionSwitchRoles} builds. */
export interface RegionSwitchRoles {
  /** Role the plan runs as. */
  readonly executionRole: iam.Role;
  /** Role whose principals approve a plan execution. */
  readonly approvalRole: iam.Role;
  /** The managed policy of the execution role. */
  readonly executionPolicy: iam.ManagedPolicy;
  /** The scalable-target ARN patterns (one per region) of the `EcsScalableTargets` statement. */
  readonly scalableTargets: string[];
}

/**
 * The roles of a `RegionSwitchPlan`, built in `scope` (construct IDs `ExecutionRole`, `ApprovalRole`,
 * `ExecutionPolicy`): the execution role ARC Region switch assumes (this account only), the approval role this
 * account's principals assume to approve, and the execution policy: the global database's switchover and failover
 * (only with `globalClusterIdentifier`), the two ECS services' capacity, their scalable targets' minimum (ECS desired
 * count in the plan's two regions only), read-only checks and assuming the approval role.
 */
export function buildRegionSwitchRoles(scope: Construct, props: RegionSwitchPlanProps): RegionSwitchRoles {
  const stack = Stack.of(scope);
  const globalClusterIdentifier = props.globalClusterIdentifier;
  const scalableTargets = [props.primaryRegion, props.secondaryRegion]
    .map((region) => `arn:${stack.partition}:application-autoscaling:${region}:${stack.account}:scalable-target/*`);
  const executionRole = new iam.Role(scope, 'ExecutionRole', {
    assumedBy: new iam.ServicePrincipal('arc-region-switch.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }),
    description: `${props.planName}: runs the Region switch plan`,
  });
  const approvalRole = new iam.Role(scope, 'ApprovalRole', {
    assumedBy: new iam.AccountRootPrincipal(),
    description: `${props.planName}: assume to approve a Region switch execution`,
  });
  const executionPolicy = new iam.ManagedPolicy(scope, 'ExecutionPolicy', {
    roles: [executionRole],
    statements: [
      ...(globalClusterIdentifier === undefined ? [] : [new iam.PolicyStatement({
        sid: 'AuroraGlobalDatabase',
        actions: ['rds:FailoverGlobalCluster', 'rds:SwitchoverGlobalCluster', 'rds:DescribeGlobalClusters', 'rds:DescribeDBClusters'],
        resources: [
          `arn:${stack.partition}:rds::${stack.account}:global-cluster:${globalClusterIdentifier}`,
          props.primary.databaseClusterArn, props.secondary.databaseClusterArn,
        ],
      })]),
      new iam.PolicyStatement({
        sid: 'EcsCapacity',
        actions: ['ecs:UpdateService', 'ecs:DescribeServices'],
        resources: [props.primary.ecsServiceArn, props.secondary.ecsServiceArn],
      }),
      new iam.PolicyStatement({
        sid: 'EcsClusters',
        actions: ['ecs:DescribeClusters'],
        resources: [props.primary.ecsClusterArn, props.secondary.ecsClusterArn],
      }),
      // The scaling step raises the ECS service's scalable target (its minimum) so auto scaling keeps the new
      // capacity: only ECS services' desired count, only in the plan's two regions.
      new iam.PolicyStatement({
        sid: 'EcsScalableTargets',
        actions: ['application-autoscaling:RegisterScalableTarget'],
        resources: scalableTargets,
        conditions: {
          StringEquals: {
            'application-autoscaling:service-namespace': 'ecs',
            'application-autoscaling:scalable-dimension': 'ecs:service:DesiredCount',
          },
        },
      }),
      new iam.PolicyStatement({
        sid: 'ReadOnlyChecks',
        actions: ['cloudwatch:DescribeAlarms', 'cloudwatch:GetMetricData', 'application-autoscaling:DescribeScalableTargets', 'iam:GetRole'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'AssumeApproval',
        actions: ['sts:AssumeRole'],
        resources: [approvalRole.roleArn],
      }),
    ],
  });
  return { executionRole, approvalRole, executionPolicy, scalableTargets };
}
