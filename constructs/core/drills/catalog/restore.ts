/** Restore drills: from a backup recovery point, and to a point in time. Both restore into a new cluster. */
import { DrTier } from '../../dr-tier';
import { Drill } from '../drill';
import { ParameterSource } from '../parameters';
import { Step } from '../steps';
import { RpoMeasurement } from '../verification';
import { DB_ENGINE, P, createWriterAndWait, waitClusterAvailable } from './common';

const restoreParameters = [
  P.restoredClusterIdentifier, P.dbInstanceClass, P.dbSubnetGroup('primary'), P.dbSecurityGroup('primary'), P.dbKmsKey('primary'),
];

const verifyData = Step.manual({
  name: 'VerifyRestoredData', timeout: '1h',
  description: 'Check the restored data and record the newest write it holds.',
  instructions: 'Connect to the writer of `{{ RestoredClusterIdentifier }}` (IAM authentication, from a host in the VPC) and run the service\'s '
    + 'data checks: row counts of the main tables against the source, and `SELECT max(updated_at)` of the most written table: '
    + 'that timestamp is the restored point used for the RPO.',
});

const cleanUp = [
  'The restore is a copy: production is untouched. When the report is written, delete it: '
    + '`aws rds modify-db-cluster --db-cluster-identifier "$RestoredClusterIdentifier" --no-deletion-protection`, '
    + '`aws rds delete-db-instance --db-instance-identifier "$RestoredClusterIdentifier-writer"`, then '
    + '`aws rds delete-db-cluster --db-cluster-identifier "$RestoredClusterIdentifier" --final-db-snapshot-identifier "$RestoredClusterIdentifier-final"`.',
  'For a real recovery instead: point the service at the restored cluster (redeploy the primary stack with it), verify, and keep the old cluster until the data owner signs off.',
];

/** Restore the Aurora cluster from an AWS Backup recovery point into a new cluster and verify the data. */
export const RESTORE_FROM_BACKUP = new Drill({
  id: 'restore-from-backup',
  title: 'Restore from backup',
  summary: 'Restores the Aurora cluster from an AWS Backup recovery point (a cluster snapshot in the primary vault) into a new cluster, adds a writer, '
    + 'and verifies the data. Proves backups restore, within the RTO, with the data loss the backup schedule allows.',
  tiers: DrTier.ALL,
  objectives: { rto: '4h', rpo: '1d' },
  region: 'primary',
  parameters: [
    {
      name: 'RecoveryPointArn',
      description: 'ARN of the recovery point to restore (newest completed one: `aws backup list-recovery-points-by-backup-vault --backup-vault-name "$BackupVaultName" --by-resource-type Aurora`).',
      source: ParameterSource.input('arn:aws:rds:eu-west-1:111111111111:cluster-snapshot:awsbackup:job-0123abcd'),
    },
    { name: 'BackupVaultName', description: 'Backup vault of the primary region.', source: ParameterSource.stackOutput('primary', 'BackupVaultName') },
    ...restoreParameters,
  ],
  preconditions: [
    'A completed recovery point of the Aurora cluster exists in `{{ BackupVaultName }}` (the `BackupJobFailed` alarm is `OK`).',
    '`{{ RestoredClusterIdentifier }}` does not exist yet, and the account has room for one more cluster.',
    'Record the time of the last committed write on the source (`SELECT max(updated_at)`) when you start: the RPO compares against it.',
  ],
  steps: [
    Step.awsApi({
      name: 'RestoreDatabaseCluster', timeout: '10m',
      description: 'Restore the recovery point into a new cluster in the database subnets, encrypted with the database key, deletion protection on.',
      service: 'rds', api: 'RestoreDBClusterFromSnapshot',
      params: {
        DBClusterIdentifier: '{{ RestoredClusterIdentifier }}', SnapshotIdentifier: '{{ RecoveryPointArn }}', Engine: DB_ENGINE,
        DBSubnetGroupName: '{{ PrimaryDbSubnetGroupName }}', VpcSecurityGroupIds: ['{{ PrimaryDbSecurityGroupId }}'],
        KmsKeyId: '{{ PrimaryDbKmsKeyArn }}', DeletionProtection: true, EnableIAMDatabaseAuthentication: true, CopyTagsToSnapshot: true,
      },
    }),
    waitClusterAvailable('WaitRestoredClusterAvailable', '{{ RestoredClusterIdentifier }}', '4h'),
    ...createWriterAndWait(DB_ENGINE),
    verifyData,
  ],
  verification: {
    recoveredWhen: 'VerifyRestoredData',
    checks: [
      'RTO: from the drill start to the success of `VerifyRestoredData`: the restored cluster answers queries with checked data.',
      'Row counts match the source as of the recovery point; the service\'s smoke queries succeed against the restored writer.',
    ],
    rpo: RpoMeasurement.explicit('the last committed write on the source at the drill start minus `max(updated_at)` in the restored data. With a daily plan it is at most a day; pass it as `--rpo-seconds`.'),
  },
  failback: cleanUp,
  reportFields: ['Recovery point ARN and creation time', 'Restore duration (RestoreDatabaseCluster to WaitWriterAvailable)', 'Row counts checked'],
});

/** Point-in-time restore of the Aurora cluster into a new cluster (e.g. to undo a bad write) and verify. */
export const RESTORE_POINT_IN_TIME = new Drill({
  id: 'restore-point-in-time',
  title: 'Point-in-time restore',
  summary: 'Restores the Aurora cluster to a point in time (within the backup retention window) into a new cluster, adds a writer, and verifies '
    + 'the data as of that time. This is the recovery from a bad deploy or an accidental delete: restore to just before it.',
  tiers: DrTier.ALL,
  objectives: { rto: '2h', rpo: '5m' },
  region: 'primary',
  parameters: [
    P.clusterIdentifier('primary'),
    {
      name: 'RestoreToTime', description: 'UTC time to restore to, ISO 8601, within the cluster\'s restorable window (`EarliestRestorableTime` to `LatestRestorableTime` of `aws rds describe-db-clusters`).',
      source: ParameterSource.input('2026-01-01T12:00:00Z'),
    },
    ...restoreParameters,
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
  ],
  verification: {
    recoveredWhen: 'VerifyRestoredData',
    checks: [
      'RTO: from the drill start to the success of `VerifyRestoredData`.',
      'The marker row written before `{{ RestoreToTime }}` is present, the one written after is not.',
    ],
    rpo: RpoMeasurement.explicit('`{{ RestoreToTime }}` minus `max(updated_at)` of the restored data: the writes between them were lost (Aurora restores to the second, so this is the gap to the last write before the restore time). Pass it as `--rpo-seconds`.'),
  },
  failback: cleanUp,
  reportFields: ['Restore time requested', 'Restore duration (RestoreClusterToPointInTime to WaitWriterAvailable)', 'Marker rows found'],
});
