import { Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { acknowledgeRoutedByComposer } from '../../private/runbook-alarm';

/** The parts of a BackupPolicy whose findings are acknowledged. */
export interface BackupPolicyFindingScopes {
  /** The role AWS Backup assumes, with the AWS managed policies `managedPolicyNames` (under `service-role/`). */
  readonly backupRole: iam.Role;
  readonly managedPolicyNames: readonly string[];
  /** `BackupPolicy.backupJobFailedAlarm`. */
  readonly backupJobFailedAlarm: cloudwatch.Alarm;
  /** `BackupPolicy.copyJobFailedAlarm`, when there is a copy destination. */
  readonly copyJobFailedAlarm?: cloudwatch.Alarm;
}

/**
 * Every cdk-nag finding of a BackupPolicy that is not a violation here, acknowledged on the narrowest construct
 * with its reason.
 */
export function acknowledgeBackupPolicyFindings(parts: BackupPolicyFindingScopes): void {
  Validations.of(parts.backupRole).acknowledge(...parts.managedPolicyNames.map((name) => ({
    id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${name}]`,
    reason: `${name} is the AWS managed policy made for the AWS Backup service role; it tracks the resource types AWS Backup adds and is scoped by AWS to backup/restore actions.`,
  })));
  acknowledgeRoutedByComposer([parts.backupJobFailedAlarm], 'BackupPolicy.backupJobFailedAlarm');
  if (parts.copyJobFailedAlarm) acknowledgeRoutedByComposer([parts.copyJobFailedAlarm], 'BackupPolicy.copyJobFailedAlarm');
}
