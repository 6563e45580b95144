/**
 * Integration test of the data tier's constructs: MultiAzNetwork, AuroraDatabase, DistributedCache and BackupPolicy
 * with its cross-region copy vault (BackupCopyVault), in us-east-1 with the copies in us-west-2. After a real
 * deployment the assertions check what only AWS can tell: the cluster and the cache run as configured (encrypted,
 * Multi-AZ, deletion-protected, IAM sign-in, failover), an on-demand AWS Backup job of the cluster completes in the
 * policy's locked vault, and the policy's backup-job alarm is OK. Run it for real: README "Integration tests".
 */
import { Annotations, App, Duration } from 'aws-cdk-lib';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import {
  AuroraDatabase, BackupCopyVault, BackupPolicy, DistributedCache, DrTier, MultiAzNetwork, PlatformStack,
} from '../../constructs';
import { INTEG_OPTIONS, integAccount } from './env';

const app = new App();
const account = integAccount();
const common = { service: 'integdata', drTier: DrTier.BACKUP_RESTORE } as const;

const copies = new PlatformStack(app, 'platform-integ-data-copies', {
  ...common, env: { account, region: 'us-west-2' }, regionRole: 'secondary',
  availabilityZones: ['us-west-2a', 'us-west-2b', 'us-west-2c'],
});
const copyVault = new BackupCopyVault(copies, 'CopyVault');

const stack = new PlatformStack(app, 'platform-integ-data', {
  ...common, env: { account, region: 'us-east-1' }, regionRole: 'primary',
  availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
});
stack.addStackDependency(copies);
const network = new MultiAzNetwork(stack, 'Network', { natGateways: 'one' });
const database = new AuroraDatabase(stack, 'Database', { vpc: network.vpc, readers: 1 });
const cache = new DistributedCache(stack, 'Cache', { vpc: network.vpc });
const backup = new BackupPolicy(stack, 'Backup', { copyDestination: copyVault.copyDestination });
// Cheaper than production on purpose; the test is about what runs, not about surviving an AZ's loss.
Annotations.of(network).acknowledgeWarning('platform:network:single-nat', 'integration test: one NAT gateway keeps the bill down');
Annotations.of(database).acknowledgeWarning('platform:aurora:single-reader', 'integration test: one reader keeps the bill down');

const assertions = new PlatformStack(app, 'platform-integ-data-assertions', {
  ...common, env: { account, region: 'us-east-1' }, regionRole: 'primary',
  availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
});
const integ = new IntegTest(app, 'DataTier', { testCases: [copies, stack], assertionStack: assertions, ...INTEG_OPTIONS });

// The cluster as AWS reports it.
integ.assertions.awsApiCall('RDS', 'describeDBClusters', { DBClusterIdentifier: database.clusterIdentifier })
  .expect(ExpectedResult.objectLike({
    DBClusters: [Match.objectLike({
      Status: 'available', StorageEncrypted: true, DeletionProtection: true, IAMDatabaseAuthenticationEnabled: true,
      BackupRetentionPeriod: 14, MultiAZ: true,
    })],
  }))
  .waitForAssertions({ totalTimeout: Duration.minutes(30), interval: Duration.minutes(1) });

// The cache: failover across zones, TLS and encryption at rest.
integ.assertions.awsApiCall('ElastiCache', 'describeReplicationGroups', { ReplicationGroupId: cache.replicationGroupId })
  .expect(ExpectedResult.objectLike({
    ReplicationGroups: [Match.objectLike({
      Status: 'available', AutomaticFailover: 'enabled', MultiAZ: 'enabled', TransitEncryptionEnabled: true, AtRestEncryptionEnabled: true,
    })],
  }))
  .waitForAssertions({ totalTimeout: Duration.minutes(30), interval: Duration.minutes(1) });

// An on-demand backup of the cluster into the policy's vault, with the policy's role, completes.
const job = integ.assertions.awsApiCall('Backup', 'startBackupJob', {
  BackupVaultName: backup.vault.backupVaultName, ResourceArn: database.cluster.clusterArn, IamRoleArn: backup.backupRole.roleArn,
  Lifecycle: { DeleteAfterDays: 7 },
});
job.provider.addToRolePolicy({ Effect: 'Allow', Action: ['iam:PassRole'], Resource: [backup.backupRole.roleArn] });
integ.assertions.awsApiCall('Backup', 'describeBackupJob', { BackupJobId: job.getAttString('BackupJobId') })
  .expect(ExpectedResult.objectLike({ State: 'COMPLETED' }))
  .waitForAssertions({ totalTimeout: Duration.hours(2), interval: Duration.minutes(2) });

// The policy's alarm on failed backup jobs stays OK.
integ.assertions.awsApiCall('CloudWatch', 'describeAlarms', { AlarmNames: [backup.backupJobFailedAlarm.alarmName] })
  .expect(ExpectedResult.objectLike({ MetricAlarms: [Match.objectLike({ StateValue: 'OK' })] }))
  .waitForAssertions({ totalTimeout: Duration.minutes(20), interval: Duration.minutes(1) });

app.synth();
