import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type { CfnResource } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { MultiAzNetwork } from '../../../constructs/aws/network/multi-az-network';
import { AuroraDatabase } from '../../../constructs/aws/data/aurora-database';
import type { AuroraDatabaseProps } from '../../../constructs/aws/data/aurora-database';
import { DrTier } from '../../../constructs/core/dr-tier';
import { runbookPathFromUrl } from '../../../constructs/core/runbooks';
import { formatFindings, nagFindings, testStack } from '../../helpers/test-stack';

function database(props: Partial<AuroraDatabaseProps>, options: { region?: string; nag?: boolean } = {}) {
  const stack = testStack({ region: options.region, nag: options.nag });
  const network = new MultiAzNetwork(stack, 'Network');
  const db = new AuroraDatabase(stack, 'Database', { vpc: network.vpc, ...props });
  return { stack, db };
}

describe('AuroraDatabase in an Aurora Global Database', () => {
  describe('primary', () => {
    test('creates the global cluster from this cluster, retained and protected', () => {
      // GIVEN / WHEN
      const { stack, db } = database({ globalClusterIdentifier: 'checkout-global' });
      // THEN
      const template = Template.fromStack(stack);
      template.hasResource('AWS::RDS::GlobalCluster', {
        Properties: {
          GlobalClusterIdentifier: 'checkout-global',
          SourceDBClusterIdentifier: { 'Fn::Join': Match.anyValue() },
          DeletionProtection: true,
        },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      expect(db.globalRole).toBe('primary');
      expect(db.proxy).toBeDefined();
      expect(db.clientEndpoint).toBe(db.proxyEndpoint);
    });
  });

  describe('secondary', () => {
    test('joins the global cluster without master credentials, secret, rotation or proxy', () => {
      // GIVEN / WHEN
      const { stack, db } = database({ globalClusterIdentifier: 'checkout-global', globalRole: 'secondary' }, { region: 'eu-central-1' });
      // THEN
      const template = Template.fromStack(stack);
      template.hasResource('AWS::RDS::DBCluster', {
        Properties: Match.objectLike({
          GlobalClusterIdentifier: 'checkout-global',
          MasterUsername: Match.absent(),
          MasterUserPassword: Match.absent(),
          StorageEncrypted: true,
          KmsKeyId: Match.anyValue(),
          DeletionProtection: true,
        }),
        DeletionPolicy: 'Snapshot',
      });
      template.resourceCountIs('AWS::RDS::GlobalCluster', 0);
      template.resourceCountIs('AWS::SecretsManager::Secret', 0);
      template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
      template.resourceCountIs('AWS::RDS::DBProxy', 0);
      expect(db.secret).toBeUndefined();
      expect(db.proxy).toBeUndefined();
      expect(db.clientEndpoint).toBe(db.writerEndpoint.hostname);
    });

    test('clients get IAM auth on the cluster itself', () => {
      const { stack, db } = database({ globalClusterIdentifier: 'checkout-global', globalRole: 'secondary' }, { region: 'eu-central-1' });
      const role = new iam.Role(stack, 'AppRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      db.grantConnect(role, 'app');
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: [Match.objectLike({ Action: 'rds-db:connect', Effect: 'Allow' })] },
      });
    });

    test('write forwarding for active/active', () => {
      const { stack } = database({ globalClusterIdentifier: 'checkout-global', globalRole: 'secondary', writeForwarding: true }, { region: 'eu-central-1' });
      Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBCluster', { EnableGlobalWriteForwarding: true });
    });

    test('a pilot-light secondary may run no readers', () => {
      const { stack } = database({ globalClusterIdentifier: 'checkout-global', globalRole: 'secondary', readers: 0 }, { region: 'eu-central-1' });
      Template.fromStack(stack).resourceCountIs('AWS::RDS::DBInstance', 1);
    });

    test('cdk-nag AwsSolutions and NIST 800-53 rev 5 report nothing unacknowledged', () => {
      const { stack } = database({ globalClusterIdentifier: 'checkout-global', globalRole: 'secondary' }, { region: 'eu-central-1', nag: true });
      expect(formatFindings(nagFindings(stack))).toEqual([]);
    });
  });

  describe('cross-region replication lag alarm', () => {
    const secondary = (options: { nag?: boolean } = {}) => database({ globalClusterIdentifier: 'checkout-global', globalRole: 'secondary' }, { region: 'eu-central-1', ...options });

    test.each(DrTier.ALL.filter((t) => t.replicatesContinuously).map((t) => [t.id, t.envelope.rpoSeconds] as const))(
      '%s: the threshold is the tier\'s RPO (%i s) in milliseconds', (_tier, rpoSeconds) => {
        // GIVEN
        const { stack, db } = secondary();
        // WHEN
        db.addGlobalReplicationLagAlarm({ rpo: Duration.seconds(rpoSeconds) });
        // THEN
        const cluster = stack.resolve((db.cluster.node.defaultChild as CfnResource).logicalId);
        Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/RDS',
          MetricName: 'AuroraGlobalDBRPOLag',
          Dimensions: [{ Name: 'DBClusterIdentifier', Value: { Ref: cluster } }],
          Statistic: 'Maximum',
          Period: 60,
          Threshold: rpoSeconds * 1000,
          ComparisonOperator: 'GreaterThanThreshold',
          EvaluationPeriods: 3,
          DatapointsToAlarm: 3,
          TreatMissingData: 'notBreaching',
        });
      });

    test('the description starts with the severity and ends with a runbook that exists', () => {
      const { stack, db } = secondary();
      db.addGlobalReplicationLagAlarm({ rpo: Duration.minutes(1) });
      const alarms = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'AuroraGlobalDBRPOLag' } }));
      expect(alarms).toHaveLength(1);
      const description = (alarms[0] as { Properties: { AlarmDescription: string } }).Properties.AlarmDescription;
      expect(description).toMatch(/^\[warning\] Aurora Global Database lag of Test\/Database above the RPO \(1 minute\) for 3 minutes: /);
      const path = runbookPathFromUrl(/Runbook: (\S+)$/.exec(description)![1]);
      expect(path).toBe('alerts/dr/AuroraGlobalReplicationLagHigh');
      expect(existsSync(join(__dirname, '..', '..', '..', 'runbooks', `${path}.md`))).toBe(true);
    });

    test('cdk-nag AwsSolutions and NIST 800-53 rev 5 report nothing unacknowledged', () => {
      const { stack, db } = secondary({ nag: true });
      db.addGlobalReplicationLagAlarm({ rpo: Duration.minutes(1) });
      expect(formatFindings(nagFindings(stack))).toEqual([]);
    });

    test.each<[string, (db: AuroraDatabase) => void, Partial<AuroraDatabaseProps>, string]>([
      ['on a global primary', (db) => db.addGlobalReplicationLagAlarm({ rpo: Duration.minutes(1) }), { globalClusterIdentifier: 'checkout-global' },
        "Test/Database: globalRole ('primary') publishes no cross-region replication lag: AuroraGlobalDBRPOLag comes from a global secondary: call addGlobalReplicationLagAlarm() on the AuroraDatabase with globalRole: 'secondary'"],
      ['on a regional cluster', (db) => db.addGlobalReplicationLagAlarm({ rpo: Duration.minutes(1) }), {},
        "Test/Database: globalRole ('none (a regional cluster)') publishes no cross-region replication lag: AuroraGlobalDBRPOLag comes from a global secondary: call addGlobalReplicationLagAlarm() on the AuroraDatabase with globalRole: 'secondary'"],
      ['twice', (db) => { db.addGlobalReplicationLagAlarm({ rpo: Duration.minutes(1) }); db.addGlobalReplicationLagAlarm({ rpo: Duration.minutes(1) }); },
        { globalClusterIdentifier: 'checkout-global', globalRole: 'secondary' },
        'Test/Database: addGlobalReplicationLagAlarm() (2) calls: the replication lag alarm already exists: call addGlobalReplicationLagAlarm() once, with the RPO of the DR tier'],
      ['an RPO under a second', (db) => db.addGlobalReplicationLagAlarm({ rpo: Duration.millis(500) }), { globalClusterIdentifier: 'checkout-global', globalRole: 'secondary' },
        'Test/Database: rpo (milliseconds) (500) is below 1 second (Aurora Global Database replicates with typical lag under a second): pass the RPO of the DR tier, e.g. Duration.seconds(60)'],
    ])('refused %s', (_name, call, props, message) => {
      const { db } = database(props, { region: 'eu-central-1' });
      expect(() => call(db)).toThrow(message);
    });
  });

  describe('bad input', () => {
    test.each<[string, Partial<AuroraDatabaseProps>, string]>([
      ['a role without a global database', { globalRole: 'secondary' },
        "Test/Database: globalRole ('secondary') needs globalClusterIdentifier: set globalClusterIdentifier to the Aurora Global Database name, or drop globalRole"],
      ['write forwarding on a primary', { globalClusterIdentifier: 'checkout-global', writeForwarding: true },
        "Test/Database: writeForwarding (true) only applies to a global secondary (the primary takes writes itself): set globalRole: 'secondary' on the cluster in the other region, or drop writeForwarding"],
      ['a malformed identifier', { globalClusterIdentifier: 'checkout--global' },
        "Test/Database: globalClusterIdentifier ('checkout--global') is not a valid global cluster identifier: use 1-63 letters, digits and single dashes, starting with a letter, e.g. checkout-global"],
      ['a regional cluster without readers', { readers: 0 },
        'Test/Database: readers (0) must be an integer from 1 to 15: set readers to a whole number between 1 and 15'],
    ])('%s', (_name, props, message) => {
      expect(() => database(props)).toThrow(message);
    });
  });
});
