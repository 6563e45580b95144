import { Names } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type { Construct } from 'constructs';
import { BACKUP_TAG_KEY } from '../../private/stateful';

/** Options of {@link createRestoreTestingPlan}. */
export interface RestoreTestingPlanOptions {
  /** The vault whose latest recovery point is restored. */
  readonly vault: backup.IBackupVault;
  /** When restore tests start (a cron schedule). */
  readonly schedule: events.Schedule;
  /** Hours the restored cluster is kept for validation. */
  readonly validationWindowHours: number;
  /** Restore only this cluster; else every Aurora cluster tagged `platform:backup=default`. */
  readonly cluster?: rds.IDatabaseCluster;
}

/** What {@link createRestoreTestingPlan} built. */
export interface RestoreTestingPlan {
  /** Name of the plan (a literal derived from the construct path). */
  readonly planName: string;
  readonly plan: backup.CfnRestoreTestingPlan;
  /** Role AWS Backup assumes to restore the test cluster. */
  readonly restoreRole: iam.Role;
  readonly selection: backup.CfnRestoreTestingSelection;
}

/**
 * The AWS Backup restore testing plan `Plan` under `scope` (the latest continuous or snapshot recovery point of the
 * last 7 days, started within 4 hours of the schedule), its restore role `RestoreRole` and the Aurora selection
 * `Selection`.
 */
export function createRestoreTestingPlan(scope: Construct, options: RestoreTestingPlanOptions): RestoreTestingPlan {
  const where = scope.node.path;
  const planName = Names.uniqueResourceName(scope, { maxLength: 50, separator: '_', allowedSpecialCharacters: '_' });
  const plan = new backup.CfnRestoreTestingPlan(scope, 'Plan', {
    restoreTestingPlanName: planName,
    scheduleExpression: options.schedule.expressionString,
    startWindowHours: 4,
    recoveryPointSelection: {
      algorithm: 'LATEST_WITHIN_WINDOW',
      includeVaults: [options.vault.backupVaultArn],
      recoveryPointTypes: ['CONTINUOUS', 'SNAPSHOT'],
      selectionWindowDays: 7,
    },
  });
  const restoreRole = new iam.Role(scope, 'RestoreRole', {
    assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
    description: `${where} AWS Backup restore testing`,
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSBackupServiceRolePolicyForRestores')],
  });
  const selection = new backup.CfnRestoreTestingSelection(scope, 'Selection', {
    restoreTestingPlanName: planName,
    restoreTestingSelectionName: 'Aurora',
    protectedResourceType: 'Aurora',
    iamRoleArn: restoreRole.roleArn,
    validationWindowHours: options.validationWindowHours,
    ...(options.cluster
      ? { protectedResourceArns: [options.cluster.clusterArn] }
      : {
        protectedResourceArns: ['*'],
        protectedResourceConditions: { stringEquals: [{ key: `aws:ResourceTag/${BACKUP_TAG_KEY}`, value: 'default' }] },
      }),
  });
  selection.node.addDependency(plan);
  return { planName, plan, restoreRole, selection };
}
