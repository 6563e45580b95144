import { Annotations, Stack, Validations } from 'aws-cdk-lib';
import * as arc from 'aws-cdk-lib/aws-arcregionswitch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { DrTier } from '../../core/dr-tier';
import { PlatformValidationError } from '../../core/errors';
import { requireRegion } from '../../core/regions';
import { acknowledgeWildcards } from '../private/nag';

/** One region's resources the plan acts on (plain values: tokens from other stacks welcome). */
export interface RegionSwitchTargets {
  /** ARN of the region's Aurora cluster (member of the global database; unused when the plan has no `globalClusterIdentifier`). */
  readonly databaseClusterArn: string;
  /** ARN of the region's ECS cluster. */
  readonly ecsClusterArn: string;
  /** ARN of the region's ECS service. */
  readonly ecsServiceArn: string;
  /** ARN of the region's page alarm (the critical composite); it can trigger the plan. */
  readonly pageAlarmArn: string;
}

/** Props of {@link RegionSwitchPlan}. */
export interface RegionSwitchPlanProps {
  /** Plan name, 1-32 letters, digits and dashes. */
  readonly planName: string;
  /** The DR tier: active/active plans run both regions, the others activate one region at a time. */
  readonly drTier: DrTier;
  readonly primaryRegion: string;
  readonly secondaryRegion: string;
  readonly primary: RegionSwitchTargets;
  readonly secondary: RegionSwitchTargets;
  /**
   * Name of the Aurora Global Database the plan switches over (failover when the old primary is unreachable).
   * Omit it when the workload's data is not replicated by an Aurora Global Database: the plan then has no database
   * step and only scales and switches compute. Required for DR tier active-active.
   * @default - no database step
   */
  readonly globalClusterIdentifier?: string;
  /**
   * Start activating the secondary region as soon as the primary's page alarm is red, without an approval step.
   * Off: a person starts the plan and approves it before anything moves.
   * @default false
   */
  readonly automaticTrigger?: boolean;
  /**
   * Minutes each database and capacity step may take before the plan reports it failed.
   * @default 30
   */
  readonly stepTimeoutMinutes?: number;
}

/**
 * An ARC Region switch plan (L1 `AWS::ARCRegionSwitch::Plan`) that encodes the tier's failover workflow:
 * approval, scaling the activated region's ECS service to the capacity of the other, and, when
 * `globalClusterIdentifier` is given, Aurora Global Database switchover (failover when the old primary is
 * unreachable). One workflow activates each region, so the same plan fails over and fails back. Traffic moves
 * with the CloudFront origin group (failover on 5xx) and, when a domain is configured, the DNS failover records'
 * health checks.
 */
export class RegionSwitchPlan extends Construct {
  /** The plan. */
  public readonly plan: arc.CfnPlan;
  /** Role the plan runs as. */
  public readonly executionRole: iam.Role;
  /** Role whose principals approve a plan execution. */
  public readonly approvalRole: iam.Role;

  constructor(scope: Construct, id: string, props: RegionSwitchPlanProps) {
    super(scope, id);
    const where = this.node.path;
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

    const stack = Stack.of(this);
    const scalableTargets = [props.primaryRegion, props.secondaryRegion]
      .map((region) => `arn:${stack.partition}:application-autoscaling:${region}:${stack.account}:scalable-target/*`);
    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('arc-region-switch.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: `${props.planName}: runs the Region switch plan`,
    });
    this.approvalRole = new iam.Role(this, 'ApprovalRole', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: `${props.planName}: assume to approve a Region switch execution`,
    });
    const policy = new iam.ManagedPolicy(this, 'ExecutionPolicy', {
      roles: [this.executionRole],
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
          resources: [this.approvalRole.roleArn],
        }),
      ],
    });
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Read-only calls of the plan evaluation, nothing that changes a resource: cloudwatch:GetMetricData and application-autoscaling:DescribeScalableTargets have no resource-level permissions; cloudwatch:DescribeAlarms and iam:GetRole read the metadata of the alarms and roles the plan names. The one write of Application Auto Scaling (RegisterScalableTarget) is in its own statement, scoped to scalable targets of the two regions and to ECS service desired count.',
    });
    acknowledgeWildcards(policy, scalableTargets,
      'A scalable target ARN ends in an id Application Auto Scaling generates at registration (not known at synth): the statement allows this account\'s scalable targets in the plan\'s two regions only, and its conditions restrict it to service namespace ecs and dimension ecs:service:DesiredCount (the services the plan scales).');

    const regions = [props.primaryRegion, props.secondaryRegion];
    const targets = { [props.primaryRegion]: props.primary, [props.secondaryRegion]: props.secondary };
    const activeActive = props.drTier === DrTier.ACTIVE_ACTIVE;
    const approval = (name: string): arc.CfnPlan.StepProperty => ({
      name,
      executionBlockType: 'ManualApproval',
      executionBlockConfiguration: { executionApprovalConfig: { approvalRole: this.approvalRole.roleArn, timeoutMinutes: 60 } },
    });
    // The Aurora step, none without a global database (its data is then replicated outside the plan).
    const aurora = (name: string): arc.CfnPlan.StepProperty[] => globalClusterIdentifier === undefined ? [] : [{
      name,
      executionBlockType: 'AuroraGlobalDatabase',
      executionBlockConfiguration: {
        globalAuroraConfig: {
          behavior: 'switchoverOnly',
          globalClusterIdentifier,
          databaseClusterArns: [props.primary.databaseClusterArn, props.secondary.databaseClusterArn],
          timeoutMinutes: timeout,
          ungraceful: { ungraceful: 'failover' },
        },
      },
    }];
    const capacity = (name: string): arc.CfnPlan.StepProperty => ({
      name,
      executionBlockType: 'ECSServiceScaling',
      executionBlockConfiguration: {
        ecsCapacityIncreaseConfig: {
          services: regions.map((r) => ({ clusterArn: targets[r].ecsClusterArn, serviceArn: targets[r].ecsServiceArn })),
          targetPercent: 100,
          timeoutMinutes: timeout,
          ungraceful: { minimumSuccessPercentage: 50 },
        },
      },
    });
    const workflows: arc.CfnPlan.WorkflowProperty[] = regions.map((region) => ({
      workflowTargetAction: 'activate',
      workflowTargetRegion: region,
      workflowDescription: globalClusterIdentifier === undefined
        ? `Activate ${region}: approve, scale its service to the other region's capacity`
        : `Activate ${region}: approve, scale its service to the other region's capacity, move the Aurora writer there`,
      steps: [
        ...(props.automaticTrigger ? [] : [approval('approve')]),
        capacity('scale-out'),
        ...aurora('move-writer'),
      ],
    }));
    if (activeActive) {
      // Active/active also needs to take a region out: its workflow moves the writer away from it.
      workflows.push(...regions.map((region) => ({
        workflowTargetAction: 'deactivate',
        workflowTargetRegion: region,
        workflowDescription: `Deactivate ${region}: approve, then move the Aurora writer to the other region`,
        steps: [...(props.automaticTrigger ? [] : [approval('approve')]), ...aurora('move-writer')],
      })));
    }

    this.plan = new arc.CfnPlan(this, 'Resource', {
      name: props.planName,
      description: `Region switch of ${props.planName} (${props.drTier.title})`,
      executionRole: this.executionRole.roleArn,
      recoveryApproach: activeActive ? 'activeActive' : 'activePassive',
      regions,
      primaryRegion: activeActive ? undefined : props.primaryRegion,
      recoveryTimeObjectiveMinutes: Math.max(1, Math.ceil(props.drTier.envelope.rtoSeconds / 60)),
      associatedAlarms: {
        primaryPage: { alarmType: 'trigger', resourceIdentifier: props.primary.pageAlarmArn },
        secondaryPage: { alarmType: 'applicationHealth', resourceIdentifier: props.secondary.pageAlarmArn },
      },
      triggers: props.automaticTrigger ? [{
        action: 'activate',
        targetRegion: props.secondaryRegion,
        description: 'The primary region pages: activate the secondary',
        conditions: [{ associatedAlarmName: 'primaryPage', condition: 'red' }],
        minDelayMinutesBetweenExecutions: 60,
      }] : undefined,
      workflows,
    });
    this.plan.node.addDependency(policy);
    if (globalClusterIdentifier === undefined) {
      Annotations.of(this).addWarningV2('platform:region-switch:no-global-database',
        `No globalClusterIdentifier: the plan has no database step and only scales and switches compute. The data of the secondary region (${props.secondaryRegion}) must be replicated some other way (e.g. DynamoDB global tables, S3 replication, cross-region backups), or it serves stale or missing data after a switch.`);
    }
  }
}
