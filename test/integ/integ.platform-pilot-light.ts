/**
 * Integration test of the platform at one DR tier: MultiRegionPlatform at pilot light, the reference service in
 * us-east-1 (primary; the global stack's region too) with its standby in us-west-2. After a real deployment the
 * assertions check the path a user takes and the recovery the tier promises: `/health` answers 200 through CloudFront,
 * the Aurora Global Database has its writer and the standby region's secondary, an on-demand AWS Backup job of the
 * primary cluster completes, and the primary region's page alarm is OK. Run it for real: README "Integration tests".
 */
import { join } from 'node:path';
import { Annotations, App, Duration } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { DrTier, LivenessProbe, MultiRegionPlatform, PlatformStack, Slo } from '../../constructs';
import { INTEG_OPTIONS, integAccount } from './env';

const app = new App();
const account = integAccount();
const service = 'integplat';
const platform = new MultiRegionPlatform(app, {
  service, account, drTier: DrTier.PILOT_LIGHT,
  primaryRegion: { region: 'us-east-1' },
  secondaryRegion: { region: 'us-west-2' },
  slos: [
    Slo.availability({ service, target: 0.999, periodDays: 30 }),
    Slo.latency({ service, threshold: 0.25, target: 0.99, periodDays: 30 }),
  ],
  // The reference service (built from its Dockerfile at deploy): it serves /health and /ready once its database is up.
  image: ecs.ContainerImage.fromAsset(join(__dirname, '..', '..', 'reference-service')),
  livenessProbe: LivenessProbe.nodeFetch(),
});
const allTopics = [
  platform.primary.observability.topics, ...(platform.secondary ? [platform.secondary.observability.topics] : []), platform.global.topics,
];
for (const topics of allTopics) {
  Annotations.of(topics).acknowledgeWarning('platform:alerting:critical-unsubscribed', 'integration test: the assertions read the alarms, nobody is paged');
}
Annotations.of(platform.global.edge).acknowledgeWarning('platform:edge:default-certificate', 'integration test: no domain, the *.cloudfront.net name');

// Assertions run in us-east-1: the edge, the primary region and the global database's API are all there.
const assertions = new PlatformStack(app, `${service}-assertions`, {
  service, drTier: DrTier.PILOT_LIGHT, regionRole: 'global', env: { account, region: 'us-east-1' },
  availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
});
const stacks = [platform.primaryBase, platform.secondaryBase, platform.primary, ...(platform.secondary ? [platform.secondary] : []), platform.global];
const integ = new IntegTest(app, 'PlatformPilotLight', { testCases: stacks, assertionStack: assertions, ...INTEG_OPTIONS });

// A user's request: CloudFront → WAF → VPC origin → internal load balancer → service → database.
integ.assertions.httpApiCall(`https://${platform.global.edge.distribution.distributionDomainName}/health`)
  .expect(ExpectedResult.objectLike({ status: 200 }))
  .waitForAssertions({ totalTimeout: Duration.minutes(30), interval: Duration.seconds(30) });

// Pilot light's RPO: the primary cluster writes, the standby region's cluster is a secondary of the global database.
integ.assertions.awsApiCall('RDS', 'describeGlobalClusters', { GlobalClusterIdentifier: platform.primary.database.globalCluster?.ref ?? `${service}-global` })
  .expect(ExpectedResult.objectLike({
    GlobalClusters: [Match.objectLike({
      Status: 'available', DeletionProtection: true, StorageEncrypted: true,
      GlobalClusterMembers: Match.arrayWith([Match.objectLike({ IsWriter: true }), Match.objectLike({ IsWriter: false })]),
    })],
  }))
  .waitForAssertions({ totalTimeout: Duration.minutes(60), interval: Duration.minutes(1) });

// The primary's backup plan works: an on-demand job of the cluster into its vault completes.
const backup = platform.primary.backup;
const job = integ.assertions.awsApiCall('Backup', 'startBackupJob', {
  BackupVaultName: backup.vault.backupVaultName, ResourceArn: platform.primary.database.cluster.clusterArn,
  IamRoleArn: backup.backupRole.roleArn, Lifecycle: { DeleteAfterDays: 7 },
});
job.provider.addToRolePolicy({ Effect: 'Allow', Action: ['iam:PassRole'], Resource: [backup.backupRole.roleArn] });
integ.assertions.awsApiCall('Backup', 'describeBackupJob', { BackupJobId: job.getAttString('BackupJobId') })
  .expect(ExpectedResult.objectLike({ State: 'COMPLETED' }))
  .waitForAssertions({ totalTimeout: Duration.hours(2), interval: Duration.minutes(2) });

// Nothing pages: the primary region's page alarm (a composite of the SLO burn rates and golden signals) is OK.
integ.assertions.awsApiCall('CloudWatch', 'describeAlarms', {
  AlarmNames: [platform.primary.observability.monitoring.pageAlarm.alarmName], AlarmTypes: ['CompositeAlarm'],
})
  .expect(ExpectedResult.objectLike({ CompositeAlarms: [Match.objectLike({ StateValue: 'OK' })] }))
  .waitForAssertions({ totalTimeout: Duration.minutes(30), interval: Duration.minutes(1) });

app.synth();
