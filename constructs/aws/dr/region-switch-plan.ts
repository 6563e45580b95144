import { Annotations } from 'aws-cdk-lib';
import * as arc from 'aws-cdk-lib/aws-arcregionswitch';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { RegionSwitchPlanProps } from './region-switch-plan-props';
import { acknowledgeRegionSwitchPlanFindings } from './private/acknowledge-region-switch-plan-findings';
import { buildRegionSwitchRoles } from './private/region-switch-roles';
import { regionSwitchWorkflows } from './private/region-switch-workflows';
import { validateRegionSwitchPlanProps } from './private/validate-region-switch-plan-props';

export type { RegionSwitchPlanProps, RegionSwitchTargets } from './region-switch-plan-props';

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
    const settings = validateRegionSwitchPlanProps(this.node.path, props);

    const roles = buildRegionSwitchRoles(this, props);
    this.executionRole = roles.executionRole;
    this.approvalRole = roles.approvalRole;
    acknowledgeRegionSwitchPlanFindings(roles.executionPolicy, roles.scalableTargets);

    const activeActive = settings.activeActive;
    this.plan = new arc.CfnPlan(this, 'Resource', {
      name: props.planName,
      description: `Region switch of ${props.planName} (${props.drTier.title})`,
      executionRole: this.executionRole.roleArn,
      recoveryApproach: activeActive ? 'activeActive' : 'activePassive',
      regions: [props.primaryRegion, props.secondaryRegion],
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
      workflows: regionSwitchWorkflows(props, settings, this.approvalRole.roleArn),
    });
    this.plan.node.addDependency(roles.executionPolicy);
    if (props.globalClusterIdentifier === undefined) {
      Annotations.of(this).addWarningV2('platform:region-switch:no-global-database',
        `No globalClusterIdentifier: the plan has no database step and only scales and switches compute. The data of the secondary region (${props.secondaryRegion}) must be replicated some other way (e.g. DynamoDB global tables, S3 replication, cross-region backups), or it serves stale or missing data after a switch.`);
    }
  }
}
