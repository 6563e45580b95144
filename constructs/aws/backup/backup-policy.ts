import { Duration } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { PlatformValidationError } from '../../core/errors';
import { createDataKey } from '../private/encryption';
import { createRunbookAlarm } from '../private/runbook-alarm';
import { BACKUP_TAG_KEY } from '../private/stateful';
import { AuroraRestoreTesting } from './aurora-restore-testing';
import type { AuroraRestoreTestingOptions } from './aurora-restore-testing-props';
import { acknowledgeBackupPolicyFindings } from './private/acknowledge-backup-policy-findings';
import { validateBackupPolicyProps } from './private/validate-backup-policy-props';
import { createLockedVault } from './private/vault';
/** The tag value `markForBackup` sets by default, which the selection keys on. */
const DEFAULT_BACKUP_TIER = 'default';

/** Props of {@link BackupPolicy}. */
export interface BackupPolicyProps {
  /**
   * Another region's vault every recovery point is copied to (`BackupCopyVault.copyDestination`): the secondary
   * region's for the primary plan, the primary region's for a plan of the secondary region. Must be in another
   * region than this policy.
   * @default - no cross-region copy (a warning is emitted: the 3-2-1 rule is not met)
   */
  readonly copyDestination?: backup.IBackupVault;
  /**
   * A vault of a separate backup account every recovery point is also copied to (cross-account copy needs AWS
   * Organizations with cross-account backup enabled, and the destination vault's access policy allowing
   * `backup:CopyIntoBackupVault` from this account).
   * @default - no cross-account copy
   */
  readonly backupAccountVault?: backup.IBackupVault;
  /**
   * Retention of the continuous backup (point-in-time recovery window) of Aurora and S3, 1 to 35 whole days.
   * @default Duration.days(35)
   */
  readonly continuousBackupRetention?: Duration;
  /**
   * Retention of the daily snapshots, in whole days.
   * @default Duration.days(35)
   */
  readonly dailyRetention?: Duration;
  /**
   * Retention of the weekly snapshots (Sundays), in whole days.
   * @default Duration.days(90)
   */
  readonly weeklyRetention?: Duration;
  /**
   * Retention of the monthly snapshots (1st of the month), in whole days; at least `monthlyColdStorageAfter`
   * plus 90 days.
   * @default Duration.days(365)
   */
  readonly monthlyRetention?: Duration;
  /**
   * Age at which monthly recovery points move to cold storage, for resource types that support it (EFS,
   * DynamoDB with advanced features, ...; AWS Backup ignores it for Aurora and S3).
   * @default Duration.days(30)
   */
  readonly monthlyColdStorageAfter?: Duration;
  /**
   * Shortest retention the vault lock accepts (no job may keep a recovery point for less).
   * @default Duration.days(7)
   */
  readonly lockMinRetention?: Duration;
  /**
   * Longest retention the vault lock accepts (no job may keep a recovery point for more).
   * @default Duration.days(365)
   */
  readonly lockMaxRetention?: Duration;
  /**
   * Grace time after which the vault lock switches to compliance mode and becomes immutable (at least 72 hours,
   * whole days). Irreversible: a warning is emitted.
   * @default - governance mode: the lock can be removed by a principal allowed `backup:DeleteBackupVaultLockConfiguration`
   */
  readonly complianceLockAfter?: Duration;
  /**
   * Resources selected in addition to those tagged `platform:backup` (e.g. `BackupResource.fromRdsDatabaseCluster(cluster)`).
   * @default - only resources tagged `platform:backup=default`
   */
  readonly resources?: backup.BackupResource[];
}

/**
 * Backups with point-in-time recovery under AWS Backup, following the 3-2-1 rule: a vault encrypted with a
 * rotating customer-managed key and locked with min/max retention; a plan with continuous backup (PITR, Aurora and
 * S3), daily (35 days), weekly (90 days) and monthly (1 year, cold storage where supported) rules, each copied to
 * the secondary region's vault (and optionally a backup account's vault); a selection of every resource tagged
 * `platform:backup` plus explicit resources; alarms on failed backup and copy jobs.
 *
 * `addAuroraRestoreTesting()` adds a scheduled restore test of the latest Aurora recovery point with a validation
 * function.
 */
export class BackupPolicy extends Construct {
  /** The vault of this region (retained, KMS-encrypted, locked). */
  public readonly vault: backup.BackupVault;
  /** Customer-managed key of the vault (rotating, retained). */
  public readonly encryptionKey: kms.Key;
  /** The backup plan. */
  public readonly plan: backup.BackupPlan;
  /** The role AWS Backup assumes to back up and restore the selected resources. */
  public readonly backupRole: iam.Role;
  /** The selection of every resource tagged `platform:backup=default`. */
  public readonly tagSelection: backup.BackupSelection;
  /** Alarm on failed backup jobs of the vault (runbook `alerts/backup/BackupJobFailed`). */
  public readonly backupJobFailedAlarm: cloudwatch.Alarm;
  /** Alarm on failed copy jobs (runbook `alerts/backup/BackupCopyJobFailed`), when a copy destination is set. */
  public readonly copyJobFailedAlarm?: cloudwatch.Alarm;
  private restoreTesting?: AuroraRestoreTesting;

  constructor(scope: Construct, id: string, props: BackupPolicyProps = {}) {
    super(scope, id);
    const where = this.node.path;

    // ---- validation, before anything is built
    const { bounds, continuousDays, dailyDays, weeklyDays, monthlyDays, coldDays, copyVaults } = validateBackupPolicyProps(this, props);

    // ---- vault
    this.encryptionKey = createDataKey(this, 'Key', `${where} AWS Backup vault`);
    this.vault = createLockedVault(this, 'Vault', { ...props, key: this.encryptionKey, bounds });

    // ---- plan: every rule copies to every destination with the rule's own lifecycle
    const copies = (deleteAfterDays: number, coldAfterDays?: number): backup.BackupPlanCopyActionProps[] | undefined => {
      if (copyVaults.length === 0) return undefined;
      return copyVaults.map((destination) => ({
        destinationBackupVault: destination,
        deleteAfter: Duration.days(deleteAfterDays),
        moveToColdStorageAfter: coldAfterDays === undefined ? undefined : Duration.days(coldAfterDays),
      }));
    };
    this.plan = new backup.BackupPlan(this, 'Plan', {
      backupVault: this.vault,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'Continuous',
          enableContinuousBackup: true,
          scheduleExpression: events.Schedule.cron({ hour: '5', minute: '0' }),
          deleteAfter: Duration.days(continuousDays),
          copyActions: copies(continuousDays),
        }),
        new backup.BackupPlanRule({
          ruleName: 'Daily',
          scheduleExpression: events.Schedule.cron({ hour: '5', minute: '0' }),
          deleteAfter: Duration.days(dailyDays),
          copyActions: copies(dailyDays),
        }),
        new backup.BackupPlanRule({
          ruleName: 'Weekly',
          scheduleExpression: events.Schedule.cron({ weekDay: 'SUN', hour: '5', minute: '0' }),
          deleteAfter: Duration.days(weeklyDays),
          copyActions: copies(weeklyDays),
        }),
        new backup.BackupPlanRule({
          ruleName: 'Monthly',
          scheduleExpression: events.Schedule.cron({ day: '1', hour: '5', minute: '0' }),
          moveToColdStorageAfter: Duration.days(coldDays),
          deleteAfter: Duration.days(monthlyDays),
          copyActions: copies(monthlyDays, coldDays),
        }),
      ],
    });

    // ---- selection: one role for backup and restore of every supported type, S3 included
    this.backupRole = new iam.Role(this, 'BackupRole', {
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      description: `${where} AWS Backup backup and restore`,
      managedPolicies: BACKUP_ROLE_POLICIES.map((name) => iam.ManagedPolicy.fromAwsManagedPolicyName(`service-role/${name}`)),
    });
    this.tagSelection = this.plan.addSelection('TagSelection', {
      resources: [backup.BackupResource.fromTag(BACKUP_TAG_KEY, DEFAULT_BACKUP_TIER)],
      role: this.backupRole,
      disableDefaultBackupPolicy: true,
    });
    if (props.resources && props.resources.length > 0) this.addResources('ResourceSelection', ...props.resources);

    // ---- alarms
    this.backupJobFailedAlarm = createRunbookAlarm(this, 'BackupJobFailedAlarm', {
      metric: this.metricBackupJobsFailed(),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      severity: 'warning',
      summary: `A backup job of vault ${where}/Vault failed: a recovery point is missing.`,
      runbook: 'alerts/backup/BackupJobFailed',
    });
    if (copyVaults.length > 0) {
      this.copyJobFailedAlarm = createRunbookAlarm(this, 'CopyJobFailedAlarm', {
        metric: this.metricCopyJobsFailed(),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        severity: 'warning',
        summary: `A copy job from vault ${where}/Vault failed: a recovery point has no off-site copy.`,
        runbook: 'alerts/backup/BackupCopyJobFailed',
      });
    }
    acknowledgeBackupPolicyFindings({
      backupRole: this.backupRole,
      managedPolicyNames: BACKUP_ROLE_POLICIES,
      backupJobFailedAlarm: this.backupJobFailedAlarm,
      copyJobFailedAlarm: this.copyJobFailedAlarm,
    });
  }

  /**
   * Select `resources` (e.g. `BackupResource.fromRdsDatabaseCluster(cluster)`, `BackupResource.fromArn(bucketArn)`)
   * for this plan in a selection named `id`, backed up and restored by `backupRole`.
   */
  public addResources(id: string, ...resources: backup.BackupResource[]): backup.BackupSelection {
    return this.plan.addSelection(id, { resources, role: this.backupRole, disableDefaultBackupPolicy: true });
  }

  /**
   * Restore the latest Aurora recovery point of this vault on a schedule (AWS Backup restore testing) and check
   * the restored cluster with a validation function. Called once per policy.
   */
  public addAuroraRestoreTesting(options: AuroraRestoreTestingOptions = {}): AuroraRestoreTesting {
    if (this.restoreTesting) {
      throw new PlatformValidationError(this.node.path, 'addAuroraRestoreTesting()', 2, 'calls: restore testing is already configured for this policy',
        'call addAuroraRestoreTesting() once; its plan restores every Aurora cluster tagged platform:backup');
    }
    this.restoreTesting = new AuroraRestoreTesting(this, 'AuroraRestoreTesting', { ...options, vault: this.vault });
    return this.restoreTesting;
  }

  /** `NumberOfBackupJobsFailed` of this vault (sum over 1 hour). */
  public metricBackupJobsFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.backupMetric('NumberOfBackupJobsFailed', props);
  }

  /** `NumberOfCopyJobsFailed` of copies out of this vault (sum over 1 hour). */
  public metricCopyJobsFailed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.backupMetric('NumberOfCopyJobsFailed', props);
  }

  private backupMetric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/Backup',
      metricName,
      dimensionsMap: { BackupVaultName: this.vault.backupVaultName },
      statistic: cloudwatch.Stats.SUM,
      period: Duration.hours(1),
      ...props,
    });
  }
}

/** AWS managed policies of the backup role: backup and restore of every type, S3 needing its own pair. */
const BACKUP_ROLE_POLICIES = [
  'AWSBackupServiceRolePolicyForBackup',
  'AWSBackupServiceRolePolicyForRestores',
  'AWSBackupServiceRolePolicyForS3Backup',
  'AWSBackupServiceRolePolicyForS3Restore',
];
