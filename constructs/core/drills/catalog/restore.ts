/** Restore drills: from a backup recovery point, and to a point in time. Both restore into a new cluster. */
import { DrTier } from '../../dr-tier';
import { StackOutput } from '../../stack-outputs';
import { Drill } from '../drill';
import { ParameterSource } from '../parameters';
import { Step } from '../steps';
import { RpoMeasurement } from '../verification';
import { DB_ENGINE, PARAMETERS, createWriterAndWait, waitClusterAvailable } from './common';

const restoreParameters = [
  PARAMETERS.restoredClusterIdentifier, PARAMETERS.dbInstanceClass,
  PARAMETERS.dbSubnetGroup('primary'), PARAMETERS.dbSecurityGroup('primary'), PARAMETERS.dbKmsKey('primary'),
];

const verifyData = Step.manual({
  name: 'VerifyRestoredData', timeout: '1h',
  description: 'Check the restored data and record the newest write it holds.',
  instructions: 'Connect to the writer of `{{ RestoredClusterIdentifier }}` (IAM authentication, from a host in the VPC) and run the service\'s '
    + 'data checks: row counts of the main tables against the source, and `SELECT max(updated_at)` of the most written table: '
    + 'that timestamp is the restored point used for the RPO.',
});

/** Restore the Aurora cluster from the copy of an AWS Backup recovery point in the secondary region, and verify the data. */
export const RESTORE_FROM_BACKUP = new Drill({
  id: 'restore-from-backup',
  title: 'Restore from backup',
  summary: 'Restores the Aurora cluster from a copied recovery point in the secondary region (the cross-region copy in the secondary backup vault, '
    + 'what is left when the primary region is lost) with an AWS Backup restore job into a new cluster in the secondary network, adds a writer, '
    + 'and verifies the data. Proves the copies restore, within the RTO, with the data loss the backup schedule allows.',
  tiers: DrTier.ALL,
  objectives: { rto: '4h', rpo: '1d' },
  region: 'secondary',
  parameters: [
    {
      name: 'RecoveryPointArn',
      description: 'ARN of the copied recovery point to restore, the newest completed one in the secondary vault: '
        + '`aws backup list-recovery-points-by-backup-vault --region "$SecondaryRegion" --backup-vault-name "$SecondaryBackupVaultName" --by-resource-type Aurora '
        + '--query \'reverse(sort_by(RecoveryPoints[?Status==`COMPLETED`], &CreationDate))[0].RecoveryPointArn\' --output text`.',
      source: ParameterSource.input('arn:aws:rds:eu-central-1:111111111111:cluster-snapshot:awsbackup:copyjob-0123abcd'),
    },
    PARAMETERS.secondaryBackupVaultName, PARAMETERS.restoreRoleArn, PARAMETERS.restoredClusterIdentifier, PARAMETERS.dbInstanceClass,
    PARAMETERS.restoreDbSubnetGroup, PARAMETERS.restoreDbSecurityGroup, PARAMETERS.restoreDbKmsKey,
  ],
  preconditions: [
    'A completed copy of an Aurora recovery point is in `{{ SecondaryBackupVaultName }}` in {{ SecondaryRegion }} (the `BackupJobFailed` and `BackupCopyJobFailed` alarms are `OK`).',
    '`{{ RestoredClusterIdentifier }}` does not exist in {{ SecondaryRegion }}, and the account has room for one more cluster there.',
    'Record the time of the last committed write on the source (`SELECT max(updated_at)`) when you start: the RPO compares against it.',
  ],
  steps: [
    Step.waitFor({
      name: 'CheckRecoveryPointCompleted', timeout: '5m',
      description: 'The recovery point is a completed copy in the secondary vault (a copy still running or failed cannot be restored).',
      service: 'backup', api: 'DescribeRecoveryPoint',
      params: { BackupVaultName: '{{ SecondaryBackupVaultName }}', RecoveryPointArn: '{{ RecoveryPointArn }}' },
      selector: '$.Status', desiredValues: ['COMPLETED'],
    }),
    Step.awsApi({
      name: 'GetRestoreMetadata', timeout: '5m',
      description: 'Read the configuration the recovery point was taken with (engine, engine version, port, parameter group): the restore job '
        + 'keeps it for every key it does not override, and the drill report shows it.',
      service: 'backup', api: 'GetRecoveryPointRestoreMetadata',
      params: { BackupVaultName: '{{ SecondaryBackupVaultName }}', RecoveryPointArn: '{{ RecoveryPointArn }}' },
    }),
    Step.awsApi({
      name: 'StartRestoreJob', timeout: '10m',
      description: 'Start the AWS Backup restore job: a new Aurora cluster in the isolated subnets of the secondary network, encrypted with the secondary '
        + 'restore key, deletion protection and IAM authentication on.',
      service: 'backup', api: 'StartRestoreJob',
      params: {
        RecoveryPointArn: '{{ RecoveryPointArn }}', IamRoleArn: '{{ RestoreRoleArn }}', ResourceType: 'Aurora',
        Metadata: {
          DBClusterIdentifier: '{{ RestoredClusterIdentifier }}', Engine: DB_ENGINE, DBSubnetGroupName: '{{ RestoreDbSubnetGroupName }}',
          VpcSecurityGroupIds: '["{{ RestoreDbSecurityGroupId }}"]', KmsKeyId: '{{ RestoreDbKmsKeyArn }}',
          DeletionProtection: 'true', EnableIAMDatabaseAuthentication: 'true', CopyTagsToSnapshot: 'true',
        },
      },
      outputs: { RestoreJobId: '$.RestoreJobId' },
    }),
    Step.waitFor({
      name: 'WaitRestoreJobCompleted', timeout: '4h',
      description: 'Wait until the restore job is `COMPLETED` (if it turns `FAILED` or `ABORTED`, stop the drill: `aws backup describe-restore-job` gives the `StatusMessage`).',
      service: 'backup', api: 'DescribeRestoreJob', params: { RestoreJobId: '{{ StartRestoreJob.RestoreJobId }}' },
      selector: '$.Status', desiredValues: ['COMPLETED'],
    }),
    waitClusterAvailable('WaitRestoredClusterAvailable', '{{ RestoredClusterIdentifier }}', '1h'),
    ...createWriterAndWait(DB_ENGINE),
    verifyData,
  ],
  verification: {
    recoveredWhen: 'VerifyRestoredData',
    checks: [
      'RTO: from the drill start to the success of `VerifyRestoredData`: the cluster restored in {{ SecondaryRegion }} answers queries with checked data.',
      'Row counts match the source as of the recovery point; the service\'s smoke queries succeed against the restored writer.',
    ],
    rpo: RpoMeasurement.explicit('the last committed write on the source at the drill start minus `max(updated_at)` in the restored data. With a daily plan and its copy it is at most a day; pass it as `--rpo-seconds`.'),
  },
  failback: [
    'The restore is a copy in {{ SecondaryRegion }}: production is untouched. When the report is written, delete it: '
      + '`aws rds modify-db-cluster --region "$SecondaryRegion" --db-cluster-identifier "$RestoredClusterIdentifier" --no-deletion-protection`, '
      + '`aws rds delete-db-instance --region "$SecondaryRegion" --db-instance-identifier "$RestoredClusterIdentifier-writer"`, then '
      + '`aws rds delete-db-cluster --region "$SecondaryRegion" --db-cluster-identifier "$RestoredClusterIdentifier" --final-db-snapshot-identifier "$RestoredClusterIdentifier-final"`.',
    'For a real recovery in the secondary region instead, continue with the `backup-restore-failover` drill from the restored cluster; keep the cluster until the data owner signs off.',
  ],
  reportFields: ['Recovery point ARN and creation time', 'Restore duration (StartRestoreJob to WaitWriterAvailable)', 'Row counts checked'],
});

/** Point-in-time restore of the Aurora cluster into a new cluster (e.g. to undo a bad write) and verify. */
export const RESTORE_POINT_IN_TIME = new Drill({
  id: 'restore-point-in-time',
  title: 'Point-in-time restore',
  summary: 'Restores the Aurora cluster to a point in time (within the backup retention window) into a new cluster, adds a writer, and verifies '
    + 'the data as of that time, then cuts the service over: the master password synced from the current secret and the RDS Proxy pointed at '
    + 'the restored cluster. This is the recovery from a bad deploy or an accidental delete: restore to just before it.',
  tiers: DrTier.ALL,
  objectives: { rto: '2h', rpo: '5m' },
  region: 'primary',
  parameters: [
    PARAMETERS.clusterIdentifier('primary'),
    {
      name: 'RestoreToTime', description: 'UTC time to restore to, ISO 8601, within the cluster\'s restorable window (`EarliestRestorableTime` to `LatestRestorableTime` of `aws rds describe-db-clusters`).',
      source: ParameterSource.input('2026-01-01T12:00:00Z'),
    },
    ...restoreParameters,
    {
      name: 'DatabaseProxyName', description: 'RDS Proxy the service connects through; the cutover moves its target to the restored cluster.',
      source: ParameterSource.stackOutput('primary', StackOutput.DATABASE_PROXY_NAME),
    },
    {
      name: 'DatabaseSecretArn', description: 'Secrets Manager secret of the master user, which the proxy logs in with.',
      source: ParameterSource.stackOutput('primary', StackOutput.DATABASE_SECRET_ARN),
    },
  ],
  preconditions: [
    '`{{ RestoreToTime }}` lies between `EarliestRestorableTime` and `LatestRestorableTime` of `{{ PrimaryClusterIdentifier }}`.',
    '`{{ RestoredClusterIdentifier }}` does not exist yet.',
    'For the drill, write a marker row just before `{{ RestoreToTime }}` and another just after: the first must be restored, the second not.',
  ],
  steps: [
    Step.awsApi({
      name: 'RestoreClusterToPointInTime', timeout: '10m',
      description: 'Create a new cluster from the source\'s continuous backup as of the restore time.',
      service: 'rds', api: 'RestoreDBClusterToPointInTime',
      params: {
        DBClusterIdentifier: '{{ RestoredClusterIdentifier }}', SourceDBClusterIdentifier: '{{ PrimaryClusterIdentifier }}',
        RestoreToTime: '{{ RestoreToTime }}', RestoreType: 'copy-on-write',
        DBSubnetGroupName: '{{ PrimaryDbSubnetGroupName }}', VpcSecurityGroupIds: ['{{ PrimaryDbSecurityGroupId }}'],
        KmsKeyId: '{{ PrimaryDbKmsKeyArn }}', DeletionProtection: true, EnableIAMDatabaseAuthentication: true, CopyTagsToSnapshot: true,
      },
    }),
    waitClusterAvailable('WaitRestoredClusterAvailable', '{{ RestoredClusterIdentifier }}', '2h'),
    ...createWriterAndWait(DB_ENGINE),
    verifyData,
    Step.approve({
      name: 'ApproveCutover', timeout: '1h',
      description: 'Go/no-go for the cutover: from here the service reads and writes the restored cluster.',
      message: 'Cut the service over to {{ RestoredClusterIdentifier }}: writes to {{ PrimaryClusterIdentifier }} after {{ RestoreToTime }} are not in it, '
        + 'and the restored cluster is not part of the Aurora global database (cross-region replication stops until it is rebuilt).',
    }),
    Step.manual({
      name: 'SyncMasterPassword', timeout: '30m',
      description: 'The restored cluster has the master password of the restore time; the proxy logs in with the current one from Secrets Manager. '
        + 'Set it on the restored cluster, without ever printing it.',
      instructions: 'Run, in one pipeline so the password is never printed or stored (and without `set -x`): '
        + '`aws rds modify-db-cluster --region "$PrimaryRegion" --db-cluster-identifier "$RestoredClusterIdentifier" --apply-immediately '
        + '--master-user-password "$(aws secretsmanager get-secret-value --region "$PrimaryRegion" --secret-id "$DatabaseSecretArn" '
        + '--query SecretString --output text | jq -r .password)" --query DBCluster.Status --output text`; it prints the cluster status only.',
    }),
    waitClusterAvailable('WaitPasswordApplied', '{{ RestoredClusterIdentifier }}', '30m'),
    Step.awsApi({
      name: 'DeregisterOldClusterFromProxy', timeout: '5m',
      description: 'Take the old cluster out of the proxy\'s default target group: the proxy stops sending connections to it.',
      service: 'rds', api: 'DeregisterDBProxyTargets',
      params: { DBProxyName: '{{ DatabaseProxyName }}', TargetGroupName: 'default', DBClusterIdentifiers: ['{{ PrimaryClusterIdentifier }}'] },
    }),
    Step.awsApi({
      name: 'RegisterRestoredClusterWithProxy', timeout: '5m',
      description: 'Make the restored cluster the proxy\'s target: the service, which connects to the proxy endpoint, now uses the restored data.',
      service: 'rds', api: 'RegisterDBProxyTargets',
      params: { DBProxyName: '{{ DatabaseProxyName }}', TargetGroupName: 'default', DBClusterIdentifiers: ['{{ RestoredClusterIdentifier }}'] },
    }),
    Step.manual({
      name: 'VerifyServiceOnRestoredCluster', timeout: '30m',
      description: 'Check the service works through the proxy against the restored cluster.',
      instructions: '`aws rds describe-db-proxy-targets --region "$PrimaryRegion" --db-proxy-name "$DatabaseProxyName"` lists the writer of '
        + '`{{ RestoredClusterIdentifier }}` with `TargetHealth.State` `AVAILABLE`; the service\'s `/ready` and smoke requests succeed and read the restored data.',
    }),
  ],
  verification: {
    recoveredWhen: 'VerifyServiceOnRestoredCluster',
    checks: [
      'RTO: from the drill start to the success of `VerifyServiceOnRestoredCluster`: the service serves the restored data.',
      'The marker row written before `{{ RestoreToTime }}` is present, the one written after is not.',
    ],
    rpo: RpoMeasurement.explicit('`{{ RestoreToTime }}` minus `max(updated_at)` of the restored data: the writes between them were lost (Aurora restores to the second, so this is the gap to the last write before the restore time). Pass it as `--rpo-seconds`.'),
  },
  failback: [
    'The primary stack still declares `{{ PrimaryClusterIdentifier }}` as the proxy target: until the stack is changed to the restored cluster, '
      + 'do not deploy `<service>-primary` (it would point the proxy back at the old cluster).',
    'To undo the cutover: `aws rds deregister-db-proxy-targets --region "$PrimaryRegion" --db-proxy-name "$DatabaseProxyName" --db-cluster-identifiers "$RestoredClusterIdentifier"`, '
      + 'then `aws rds register-db-proxy-targets --region "$PrimaryRegion" --db-proxy-name "$DatabaseProxyName" --db-cluster-identifiers "$PrimaryClusterIdentifier"`.',
    'Keep `{{ PrimaryClusterIdentifier }}` (deletion protection is on) until the data owner signs off; then rebuild the global database from the restored cluster.',
  ],
  reportFields: ['Restore time requested', 'Restore duration (RestoreClusterToPointInTime to WaitWriterAvailable)', 'Marker rows found'],
});
