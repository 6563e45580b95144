import type * as arc from 'aws-cdk-lib/aws-arcregionswitch';
import type { RegionSwitchPlanProps } from '../region-switch-plan-props';
import type { RegionSwitchPlanSettings } from './validate-region-switch-plan-props';

/**
 * The workflows of a `RegionSwitchPlan`: one `activate` workflow per region (approval unless `automaticTrigger`,
 * scaling both regions' ECS services to 100% of the other's capacity, then, with a global database, moving the
 * Aurora writer there: switchover, failover when the old primary is unreachable); active/active adds one
 * `deactivate` workflow per region that moves the writer away from it. `approvalRoleArn` approves the executions.
 */
export function regionSwitchWorkflows(props: RegionSwitchPlanProps, settings: RegionSwitchPlanSettings,
  approvalRoleArn: string): arc.CfnPlan.WorkflowProperty[] {
  const globalClusterIdentifier = props.globalClusterIdentifier;
  const timeout = settings.stepTimeoutMinutes;
  const regions = [props.primaryRegion, props.secondaryRegion];
  const targets = { [props.primaryRegion]: props.primary, [props.secondaryRegion]: props.secondary };
  const approval = (name: string): arc.CfnPlan.StepProperty => ({
    name,
    executionBlockType: 'ManualApproval',
    executionBlockConfiguration: { executionApprovalConfig: { approvalRole: approvalRoleArn, timeoutMinutes: 60 } },
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
  if (settings.activeActive) {
    // Active/active also needs to take a region out: its workflow moves the writer away from it.
    workflows.push(...regions.map((region) => ({
      workflowTargetAction: 'deactivate',
      workflowTargetRegion: region,
      workflowDescription: `Deactivate ${region}: approve, then move the Aurora writer to the other region`,
      steps: [...(props.automaticTrigger ? [] : [approval('approve')]), ...aurora('move-writer')],
    })));
  }
  return workflows;
}
