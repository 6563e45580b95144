import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type { CfnResource } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { MultiAzNetwork } from '../../../constructs/aws/network/multi-az-network';
import { AuroraDatabase } from '../../../constructs/aws/data/aurora-database';
import type { AuroraDatabaseProps } from '../../../constructs/aws/data/aurora-database';
import { DrTier } from '../../../constructs/core/dr-tier';
import { runbookPathFromUrl } from '../../../constructs/core/runbooks';
import { formatFindings, nagFindings, testStack } from '../../helpers/test-stack';

/** The primary's master secret as replicated to eu-central-1 (same name and suffix, the secondary's region). */
const REPLICA_SECRET_ARN = 'arn:aws:secretsmanager:eu-central-1:111111111111:secret:DatabaseClusterSecretD1FB63-AbCdEfGhIjKl-a1B2c3';

/**
 * A test stack with a MultiAzNetwork and an AuroraDatabase `Database` built from `props`; a global secondary gets the
 * replica secret (imported as `ReplicaSecret`) as its proxySecret unless `props` sets one (or `undefined`).
 */
function database(props: Partial<AuroraDatabaseProps>, options: { region?: string; nag?: boolean } = {}) {
  const stack = testStack({ region: options.region, nag: options.nag });
  const network = new MultiAzNetwork(stack, 'Network');
  const proxySecret = props.globalRole === 'secondary' && !('proxySecret' in props)
    ? secretsmanager.Secret.fromSecretCompleteArn(stack, 'ReplicaSecret', REPLICA_SECRET_ARN)
    : undefined;
  const db = new AuroraDatabase(stack, 'Database', { vpc: network.vpc, proxySecret, ...props });
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

    test('secretReplicaRegions replicates the master secret (same secret, a property update) with its region\'s default key', () => {
      // GIVEN
      const plain = database({ globalClusterIdentifier: 'checkout-global' });
      // WHEN
      const replicated = database({ globalClusterIdentifier: 'checkout-global', secretReplicaRegions: ['eu-central-1'] });
      // THEN the replica has no KmsKeyId (aws/secretsmanager of eu-central-1: the customer key cannot leave its region)
      const secrets = (stack: typeof plain.stack) => Template.fromStack(stack).findResources('AWS::SecretsManager::Secret');
      const before = secrets(plain.stack);
      const after = secrets(replicated.stack);
      expect(Object.keys(after)).toEqual(Object.keys(before));
      const [id] = Object.keys(after);
      expect(after[id].Properties.ReplicaRegions).toEqual([{ Region: 'eu-central-1' }]);
      expect(before[id].Properties.ReplicaRegions).toBeUndefined();
      // Nothing else about the secret changes: no name, same key, same policies.
      const rest = { ...(after[id].Properties as Record<string, unknown>) };
      delete rest.ReplicaRegions;
      expect({ ...after[id], Properties: rest }).toEqual(before[id]);
      expect(after[id].Properties.Name).toBeUndefined();
    });
  });

  describe('secondary', () => {
    test('joins the global cluster without master credentials, secret of its own or rotation', () => {
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
      expect(db.secret).toBeUndefined();
    });

    test('clients go through a proxy like the primary\'s, logging in with the replicated secret', () => {
      // GIVEN / WHEN
      const { stack, db } = database({ globalClusterIdentifier: 'checkout-global', globalRole: 'secondary' }, { region: 'eu-central-1' });
      // THEN IAM auth and TLS required, the replica is the proxy's one secret, and the proxy role may read it
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::RDS::DBProxy', 1);
      template.hasResourceProperties('AWS::RDS::DBProxy', {
        EngineFamily: 'POSTGRESQL',
        RequireTLS: true,
        Auth: [Match.objectLike({ AuthScheme: 'SECRETS', IAMAuth: 'REQUIRED', SecretArn: REPLICA_SECRET_ARN })],
      });
      template.hasResourceProperties('AWS::RDS::DBProxyEndpoint', { TargetRole: 'READ_ONLY' });
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: [Match.objectLike({ Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'], Resource: REPLICA_SECRET_ARN })] },
      });
      // Without write forwarding the proxy keeps the service default (100% of max_connections).
      template.hasResourceProperties('AWS::RDS::DBProxyTargetGroup', { ConnectionPoolConfigurationInfo: {} });
      expect(db.proxy).toBeDefined();
      expect(db.clientEndpoint).toBe(db.proxyEndpoint);
      expect(db.clientReadOnlyEndpoint).toBe(db.proxyReadOnlyEndpoint);
      expect(stack.resolve(db.clientEndpoint)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^DatabaseClusterProxy[0-9A-F]{8}$/), 'Endpoint'] });
    });

    test('the network path is the proxy\'s security group, which alone reaches the cluster', () => {
      const { stack, db } = database({ globalClusterIdentifier: 'checkout-global', globalRole: 'secondary' }, { region: 'eu-central-1' });
      const client = new ec2.SecurityGroup(stack, 'Client', { vpc: db.cluster.vpc });
      db.connections.allowDefaultPortFrom(client);
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        FromPort: 5432,
        GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseProxySecurityGroup'), 'GroupId'] },
        SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Client'), 'GroupId'] },
      });
      const clusterSources = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))
        .filter((r) => JSON.stringify(r.Properties.GroupId).includes('DatabaseClusterSecurityGroup'))
        .map((r) => JSON.stringify(r.Properties.SourceSecurityGroupId));
      expect(clusterSources).toEqual([expect.stringContaining('DatabaseProxySecurityGroup')]);
    });

    test('clients get IAM auth through the proxy', () => {
      const { stack, db } = database({ globalClusterIdentifier: 'checkout-global', globalRole: 'secondary' }, { region: 'eu-central-1' });
      const role = new iam.Role(stack, 'AppRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      db.grantConnect(role, 'app');
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^AppRole') }],
        PolicyDocument: {
          Statement: [Match.objectLike({
            Action: 'rds-db:connect',
            Effect: 'Allow',
            Resource: { 'Fn::Join': ['', Match.arrayWith([Match.objectLike({ 'Fn::Select': [6, { 'Fn::Split': [':', { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseClusterProxy'), 'DBProxyArn'] }] }] }), '/app'])] },
          })],
        },
      });
    });

    test('write forwarding for active/active leaves the forwarding quota (25%) of the connections to forwarded writes', () => {
      const { stack } = database({ globalClusterIdentifier: 'checkout-global', globalRole: 'secondary', writeForwarding: true }, { region: 'eu-central-1' });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::RDS::DBCluster', { EnableGlobalWriteForwarding: true });
      template.hasResourceProperties('AWS::RDS::DBProxyTargetGroup', { ConnectionPoolConfigurationInfo: { MaxConnectionsPercent: 75 } });
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
      const alarm = db.addGlobalReplicationLagAlarm({ rpo: Duration.minutes(1) });
      // The alarm is selected by its logical ID (the returned, named alarm), not by position.
      const logicalId = stack.getLogicalId(alarm.node.defaultChild as CfnResource);
      const alarms = Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'AuroraGlobalDBRPOLag' } });
      expect(Object.keys(alarms)).toEqual([logicalId]);
      expect(db.globalReplicationLagAlarm).toBe(alarm);
      const description = (alarms[logicalId] as { Properties: { AlarmDescription: string } }).Properties.AlarmDescription;
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
      ['a global secondary without proxySecret', { globalClusterIdentifier: 'checkout-global', globalRole: 'secondary', proxySecret: undefined },
        "Test/Database: proxySecret (undefined) is required on a global secondary: its RDS Proxy logs in with the primary's master secret, replicated to this region: "
        + "set secretReplicaRegions on the primary's AuroraDatabase to this region and pass that replica here, e.g. "
        + "secretsmanager.Secret.fromSecretCompleteArn(this, 'DatabaseProxySecret', <the primary secret's ARN with this region>)"],
      ['secretReplicaRegions on a global secondary', { globalClusterIdentifier: 'checkout-global', globalRole: 'secondary', secretReplicaRegions: ['eu-west-1'] },
        "Test/Database: secretReplicaRegions ([\"eu-west-1\"]) does not apply to a global secondary: it has no master secret of its own (the primary's is replicated to it): "
        + "set secretReplicaRegions on the primary's AuroraDatabase"],
      ['a replica in the secret\'s own region', { globalClusterIdentifier: 'checkout-global', secretReplicaRegions: ['eu-central-1', 'eu-west-1'] },
        "Test/Database: secretReplicaRegions ([\"eu-central-1\",\"eu-west-1\"]) names the secret's own region (eu-west-1): list other regions only, e.g. the secondary region"],
    ])('%s', (_name, props, message) => {
      expect(() => database(props)).toThrow(message);
    });

    test('proxySecret on a cluster that takes writes', () => {
      const stack = testStack();
      const proxySecret = secretsmanager.Secret.fromSecretCompleteArn(stack, 'ReplicaSecret', REPLICA_SECRET_ARN);
      expect(() => new AuroraDatabase(stack, 'Database', { vpc: new MultiAzNetwork(stack, 'Network').vpc, globalClusterIdentifier: 'checkout-global', proxySecret }))
        .toThrow("Test/Database: proxySecret ('Test/ReplicaSecret') only applies to a global secondary (a cluster that takes writes generates its own master secret for its proxy): drop proxySecret, or set globalRole: 'secondary'");
    });
  });
});
