import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type { CfnResource, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AuroraDatabase } from '../../../constructs/aws/data/aurora-database';
import type { AuroraDatabaseProps } from '../../../constructs/aws/data/aurora-database-props';
import type { IAuroraDatabase } from '../../../constructs/aws/data/aurora-database-ref';
import { MultiAzNetwork } from '../../../constructs/aws/network/multi-az-network';
import { runbookPathFromUrl } from '../../../constructs/core/runbooks';
import { formatFindings, nagFindings, testStack } from '../../helpers/test-stack';

type ExtraProps = Omit<AuroraDatabaseProps, 'vpc'>;

/**
 * A test stack with a MultiAzNetwork and an AuroraDatabase `Database` built from `props`; `use` runs before the
 * template is synthesized.
 */
function databaseStack(props: ExtraProps = {}, use?: (stack: Stack, database: AuroraDatabase) => void):
{ stack: Stack; database: AuroraDatabase; template: Template } {
  const stack = testStack();
  const vpc = new MultiAzNetwork(stack, 'Network').vpc;
  const database = new AuroraDatabase(stack, 'Database', { vpc, ...props });
  use?.(stack, database);
  return { stack, database, template: Template.fromStack(stack) };
}

/** Builds the database in a fresh stack (for validation errors, before synthesis). */
function build(props: ExtraProps): void {
  const stack = testStack();
  new AuroraDatabase(stack, 'Database', { vpc: new MultiAzNetwork(stack, 'Network').vpc, ...props });
}

describe('AuroraDatabase', () => {
  // One synthesis of the defaults shared by the read-only assertions below (synthesis dominates test time).
  let defaults: { stack: Stack; database: AuroraDatabase; template: Template };
  beforeAll(() => {
    defaults = databaseStack();
  });

  describe('cluster and instances', () => {
    test('runs Aurora PostgreSQL 16 in the isolated subnets', () => {
      // GIVEN / WHEN default props
      // THEN
      defaults.template.resourceCountIs('AWS::RDS::DBCluster', 1);
      defaults.template.hasResourceProperties('AWS::RDS::DBCluster', {
        Engine: 'aurora-postgresql',
        EngineVersion: Match.stringLikeRegexp('^16\\.'),
        Port: 5432,
      });
      defaults.template.hasResourceProperties('AWS::RDS::DBSubnetGroup', {
        SubnetIds: Match.arrayWith([{ Ref: Match.stringLikeRegexp('^NetworkVpcIsolatedSubnet1') }]),
      });
    });

    test('creates a writer and 2 readers of r7g.large in distinct AZs with promotion tiers 0, 1, 2', () => {
      // GIVEN / WHEN default props
      // THEN
      defaults.template.resourceCountIs('AWS::RDS::DBInstance', 3);
      const instances = Object.values(defaults.template.findResources('AWS::RDS::DBInstance'))
        .map((r) => r.Properties as { AvailabilityZone: string; PromotionTier: number; DBInstanceClass: string; PubliclyAccessible: boolean });
      expect(instances.map((i) => i.PromotionTier).sort()).toEqual([0, 1, 2]);
      expect(new Set(instances.map((i) => i.AvailabilityZone)).size).toBe(3);
      expect(instances.every((i) => i.DBInstanceClass === 'db.r7g.large' && i.PubliclyAccessible === false)).toBe(true);
      defaults.template.hasResourceProperties('AWS::RDS::DBInstance', { PromotionTier: 0, AvailabilityZone: 'eu-west-1a' });
    });

    test('readers sets the number of reader instances and instanceType their class', () => {
      // GIVEN / WHEN
      const { template } = databaseStack({ readers: 4, maxReaders: 6, instanceType: new ec2.InstanceType('r6g.xlarge') });
      // THEN
      template.resourceCountIs('AWS::RDS::DBInstance', 5);
      template.hasResourceProperties('AWS::RDS::DBInstance', { PromotionTier: 4, DBInstanceClass: 'db.r6g.xlarge' });
    });

    test('Serverless v2 capacities make every instance db.serverless with the given ACU range', () => {
      // GIVEN / WHEN
      const { template } = databaseStack({ serverlessV2MinCapacity: 1, serverlessV2MaxCapacity: 32 });
      // THEN
      template.hasResourceProperties('AWS::RDS::DBCluster', {
        ServerlessV2ScalingConfiguration: { MinCapacity: 1, MaxCapacity: 32 },
      });
      const classes = Object.values(template.findResources('AWS::RDS::DBInstance'))
        .map((r) => (r.Properties as { DBInstanceClass: string }).DBInstanceClass);
      expect(classes).toEqual(['db.serverless', 'db.serverless', 'db.serverless']);
    });

    test('warns when fewer than 2 readers are configured', () => {
      // GIVEN / WHEN
      const { stack } = databaseStack({ readers: 1 });
      // THEN
      Annotations.fromStack(stack).hasWarning('/Test/Database', Match.stringLikeRegexp('readers is 1: after a failover'));
    });

    test('does not warn with the default 2 readers', () => {
      Annotations.fromStack(defaults.stack).hasNoWarning('/Test/Database', Match.stringLikeRegexp('readers is'));
    });
  });

  describe('read-replica auto scaling', () => {
    test('registers the reader count of the cluster from readers to maxReaders', () => {
      defaults.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        ServiceNamespace: 'rds',
        ScalableDimension: 'rds:cluster:ReadReplicaCount',
        ResourceId: { 'Fn::Join': ['', ['cluster:', { Ref: Match.stringLikeRegexp('^DatabaseCluster') }]] },
        MinCapacity: 2,
        MaxCapacity: 5,
        // A literal partition under @aws-cdk/core:enablePartitionLiterals (recommended flags).
        RoleARN: 'arn:aws:iam::111111111111:role/aws-service-role/rds.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_RDSCluster',
      });
    });

    test('tracks the readers average CPU at 70% by default', () => {
      defaults.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          PredefinedMetricSpecification: { PredefinedMetricType: 'RDSReaderAverageCPUUtilization' },
          TargetValue: 70,
        },
      });
    });

    test('maxReaders and readerCpuTargetPercent are applied', () => {
      // GIVEN / WHEN
      const { template } = databaseStack({ readers: 3, maxReaders: 15, readerCpuTargetPercent: 55 });
      // THEN
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 3, MaxCapacity: 15 });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 55 }),
      });
    });

    test('scaling starts only after the declared instances exist', () => {
      const targets = defaults.template.findResources('AWS::ApplicationAutoScaling::ScalableTarget');
      const dependsOn = Object.values(targets)[0].DependsOn as string[];
      expect(dependsOn).toEqual(expect.arrayContaining([
        expect.stringMatching(/^DatabaseClusterWriter/),
        expect.stringMatching(/^DatabaseClusterReader1/),
        expect.stringMatching(/^DatabaseClusterReader2/),
      ]));
    });
  });

  describe('RDS Proxy', () => {
    test('requires IAM authentication and TLS, in the isolated subnets', () => {
      defaults.template.resourceCountIs('AWS::RDS::DBProxy', 1);
      defaults.template.hasResourceProperties('AWS::RDS::DBProxy', {
        EngineFamily: 'POSTGRESQL',
        RequireTLS: true,
        Auth: [Match.objectLike({ AuthScheme: 'SECRETS', IAMAuth: 'REQUIRED' })],
        DBProxyName: Match.stringLikeRegexp('^test-database-[0-9a-f]{8}-proxy$'),
        VpcSubnetIds: Match.arrayWith([{ Ref: Match.stringLikeRegexp('^NetworkVpcIsolatedSubnet') }]),
      });
    });

    test('has a read-only endpoint on the proxy security group', () => {
      defaults.template.resourceCountIs('AWS::RDS::DBProxyEndpoint', 1);
      defaults.template.hasResourceProperties('AWS::RDS::DBProxyEndpoint', {
        TargetRole: 'READ_ONLY',
        DBProxyName: { Ref: Match.stringLikeRegexp('^DatabaseClusterProxy') },
        VpcSecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseProxySecurityGroup'), 'GroupId'] }],
      });
    });

    test('exposes both proxy endpoints', () => {
      const stack = defaults.stack;
      expect(stack.resolve(defaults.database.proxyEndpoint)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^DatabaseClusterProxy[0-9A-F]{8}$/), 'Endpoint'] });
      expect(stack.resolve(defaults.database.proxyReadOnlyEndpoint)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^DatabaseClusterProxyReadOnlyEndpoint/), 'Endpoint'] });
    });
  });

  describe('encryption and nothing lost', () => {
    test('encrypts storage with a rotating, retained customer-managed key', () => {
      defaults.template.hasResource('AWS::KMS::Key', {
        Properties: Match.objectLike({ EnableKeyRotation: true, Description: Match.stringLikeRegexp('^Test/Database Aurora') }),
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      defaults.template.hasResourceProperties('AWS::RDS::DBCluster', {
        StorageEncrypted: true,
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseKey'), 'Arn'] },
      });
    });

    test('the cluster and its instances are snapshotted/kept on removal, with deletion protection', () => {
      defaults.template.hasResource('AWS::RDS::DBCluster', {
        Properties: Match.objectLike({ DeletionProtection: true, DeleteAutomatedBackups: false, CopyTagsToSnapshot: true }),
        DeletionPolicy: 'Snapshot',
        UpdateReplacePolicy: 'Snapshot',
      });
    });

    test('keeps automated backups 14 days in a fixed window by default', () => {
      defaults.template.hasResourceProperties('AWS::RDS::DBCluster', {
        BackupRetentionPeriod: 14,
        PreferredBackupWindow: '02:00-03:00',
        PreferredMaintenanceWindow: 'sun:04:00-sun:05:00',
      });
    });

    test('backupRetention is applied in days', () => {
      const { template } = databaseStack({ backupRetention: Duration.days(35) });
      template.hasResourceProperties('AWS::RDS::DBCluster', { BackupRetentionPeriod: 35 });
    });

    test('only the DB cluster carries the backup tag the AWS Backup plan selects on', () => {
      defaults.template.hasResourceProperties('AWS::RDS::DBCluster', {
        Tags: Match.arrayWith([{ Key: 'platform:backup', Value: 'default' }]),
      });
      defaults.template.hasResourceProperties('AWS::RDS::DBInstance', {
        Tags: Match.not(Match.arrayWith([Match.objectLike({ Key: 'platform:backup' })])),
      });
    });

    test('stateful logical IDs are stable', () => {
      const ids = Object.keys(defaults.template.toJSON().Resources as Record<string, unknown>);
      expect(ids).toEqual(expect.arrayContaining([
        'DatabaseKey5E5D9547', 'DatabaseCluster5B53A178', 'DatabaseClusterWriterD43085C6',
        'DatabaseClusterReader1D8B76102', 'DatabaseClusterReader26C65DE14', 'DatabasePostgresqlLogs0EEFD61B',
      ]));
    });
  });

  describe('access and TLS', () => {
    test('forces TLS through the cluster parameter group', () => {
      defaults.template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
        Family: 'aurora-postgresql16',
        Parameters: { 'rds.force_ssl': '1' },
      });
    });

    test('enables IAM database authentication', () => {
      defaults.template.hasResourceProperties('AWS::RDS::DBCluster', { EnableIAMDatabaseAuthentication: true });
    });

    test('the master user is not the engine default (Control Tower CT.RDS.PR.21 rejects admin and postgres)', () => {
      defaults.template.hasResourceProperties('AWS::RDS::DBCluster', { MasterUsername: 'platformadmin' });
    });

    test('stores generated master credentials in Secrets Manager under the key, retained', () => {
      defaults.template.hasResource('AWS::SecretsManager::Secret', {
        Properties: Match.objectLike({
          GenerateSecretString: Match.objectLike({ SecretStringTemplate: '{"username":"platformadmin"}' }),
          KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseKey'), 'Arn'] },
        }),
        DeletionPolicy: 'Retain',
      });
    });

    test('rotates the master secret every 30 days with the single-user rotation application', () => {
      defaults.template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
        RotationRules: { ScheduleExpression: 'rate(30 days)' },
      });
      defaults.template.hasResourceProperties('AWS::Serverless::Application', {
        Parameters: Match.objectLike({ kmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseKey'), 'Arn'] } }),
      });
    });

    test('the proxy security group has no ingress until connections allows it', () => {
      // GIVEN default props: no ingress on the proxy security group
      const proxySg = Object.entries(defaults.template.findResources('AWS::EC2::SecurityGroup'))
        .find(([id]) => id.startsWith('DatabaseProxySecurityGroup'));
      expect(proxySg?.[1].Properties.SecurityGroupIngress).toBeUndefined();
      // WHEN
      const { template } = databaseStack({}, (stack, database) => {
        const client = new ec2.SecurityGroup(stack, 'Client', { vpc: database.cluster.vpc });
        database.connections.allowDefaultPortFrom(client);
      });
      // THEN
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        FromPort: 5432,
        ToPort: 5432,
        GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseProxySecurityGroup'), 'GroupId'] },
        SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Client'), 'GroupId'] },
      });
    });

    test('the cluster admits only the proxy and the rotation function', () => {
      const ingress = Object.values(defaults.template.findResources('AWS::EC2::SecurityGroupIngress'))
        .map((r) => r.Properties as { GroupId: { 'Fn::GetAtt': string[] }; SourceSecurityGroupId: { 'Fn::GetAtt': string[] } })
        .filter((p) => p.GroupId['Fn::GetAtt'][0].startsWith('DatabaseClusterSecurityGroup'))
        .map((p) => p.SourceSecurityGroupId['Fn::GetAtt'][0].replace(/[0-9A-F]{8}$/, ''));
      expect(ingress.sort()).toEqual(['DatabaseClusterRotationSingleUserSecurityGroup', 'DatabaseProxySecurityGroup']);
      const clusterSg = Object.entries(defaults.template.findResources('AWS::EC2::SecurityGroup'))
        .find(([id]) => id.startsWith('DatabaseClusterSecurityGroup'));
      expect(clusterSg?.[1].Properties.SecurityGroupIngress).toBeUndefined();
    });

    test('grantConnect grants rds-db:connect on the proxy for the db user', () => {
      // GIVEN / WHEN
      const { template } = databaseStack({}, (stack, database) => {
        const role = new iam.Role(stack, 'App', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
        database.grantConnect(role, 'app');
      });
      // THEN
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^App') }],
        PolicyDocument: {
          Statement: [Match.objectLike({
            Action: 'rds-db:connect',
            Resource: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':dbuser:'), '/app'])] },
          })],
        },
      });
    });
  });

  describe('logs and insights', () => {
    test('exports postgresql logs to a KMS-encrypted, retained log group with 1 year retention', () => {
      defaults.template.hasResource('AWS::RDS::DBCluster', {
        Properties: Match.objectLike({ EnableCloudwatchLogsExports: ['postgresql'], DBClusterIdentifier: 'test-database-2a4228c6' }),
        DependsOn: Match.arrayWith([Match.stringLikeRegexp('^DatabasePostgresqlLogs')]),
      });
      defaults.template.hasResource('AWS::Logs::LogGroup', {
        Properties: Match.objectLike({
          LogGroupName: '/aws/rds/cluster/test-database-2a4228c6/postgresql',
          RetentionInDays: 365,
          KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseKey'), 'Arn'] },
        }),
        DeletionPolicy: 'Retain',
      });
    });

    test('no log retention custom resource Lambda is created', () => {
      defaults.template.resourceCountIs('Custom::LogRetention', 0);
      const functions = Object.keys(defaults.template.findResources('AWS::Lambda::Function'));
      expect(functions.filter((id) => id.startsWith('Database'))).toEqual([]);
    });

    test('enables Database Insights (advanced) with Performance Insights under the key', () => {
      defaults.template.hasResourceProperties('AWS::RDS::DBCluster', {
        DatabaseInsightsMode: 'advanced',
        PerformanceInsightsEnabled: true,
        PerformanceInsightsRetentionPeriod: 465,
        PerformanceInsightsKmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DatabaseKey'), 'Arn'] },
      });
    });

    test('enables enhanced monitoring every 60 s on each instance', () => {
      const intervals = Object.values(defaults.template.findResources('AWS::RDS::DBInstance'))
        .map((r) => (r.Properties as { MonitoringInterval: number }).MonitoringInterval);
      expect(intervals).toEqual([60, 60, 60]);
    });
  });

  describe('metrics and alarms', () => {
    test.each([
      ['metricCpuUtilization', 'CPUUtilization', 'Average'],
      ['metricDatabaseConnections', 'DatabaseConnections', 'Average'],
      ['metricReplicaLag', 'AuroraReplicaLag', 'Maximum'],
      ['metricFreeableMemory', 'FreeableMemory', 'Average'],
    ] as const)('%s is %s (%s) of the cluster', (method, metricName, statistic) => {
      const metric = defaults.database[method]();
      expect(metric.namespace).toBe('AWS/RDS');
      expect(metric.metricName).toBe(metricName);
      expect(metric.statistic).toBe(statistic);
      expect(defaults.stack.resolve(metric.dimensions)).toEqual({ DBClusterIdentifier: { Ref: 'DatabaseCluster5B53A178' } });
    });

    test('alarms on replica lag above 1 s for 5 minutes with a runbook link', () => {
      defaults.template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
      defaults.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'AuroraReplicaLag',
        Statistic: 'Maximum',
        Threshold: 1000,
        EvaluationPeriods: 5,
        Period: 60,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmDescription: Match.stringLikeRegexp('^\\[warning\\] .* Runbook: https://.*/runbooks/alerts/database/AuroraReplicaLagHigh\\.md$'),
      });
    });

    test('the one alarm is the named field replicaLagAlarm; a regional cluster has no global replication lag alarm', () => {
      const { stack, database, template } = defaults;
      const alarms = template.findResources('AWS::CloudWatch::Alarm');
      expect(Object.keys(alarms)).toEqual([stack.getLogicalId(database.replicaLagAlarm.node.defaultChild as CfnResource)]);
      expect(database.globalReplicationLagAlarm).toBeUndefined();
    });

    test('is read through IAuroraDatabase: the client endpoints are the proxy\'s, the user the master user', () => {
      const database: IAuroraDatabase = defaults.database;
      expect(database.clientEndpoint).toBe(defaults.database.proxyEndpoint);
      expect(database.clientReadOnlyEndpoint).toBe(defaults.database.proxyReadOnlyEndpoint);
      expect(database.clientUser).toBe('platformadmin');
      expect(database.proxy).toBe(defaults.database.proxy);
      expect(database.secret).toBeDefined();
      expect(database.globalCluster).toBeUndefined();
      expect(database.clusterIdentifier).toMatch(/^test-database-[a-z0-9]{8}$/);
      expect(database.node.path).toBe('Test/Database');
    });

    test('every alarm links a committed runbook', () => {
      const descriptions = Object.values(defaults.template.findResources('AWS::CloudWatch::Alarm'))
        .map((r) => (r.Properties as { AlarmDescription: string }).AlarmDescription);
      for (const description of descriptions) {
        const path = runbookPathFromUrl(description.replace(/^.*Runbook: /, ''));
        expect(path).toBeDefined();
        expect(existsSync(join(__dirname, '../../../runbooks', `${path}.md`))).toBe(true);
      }
    });
  });

  describe('validation', () => {
    const P = 'Test/Database';
    test.each<[string, ExtraProps, string]>([
      ['readers 0', { readers: 0 },
        `${P}: readers (0) must be an integer from 1 to 15: set readers to a whole number between 1 and 15`],
      ['readers 16', { readers: 16, maxReaders: 15 },
        `${P}: readers (16) must be an integer from 1 to 15: set readers to a whole number between 1 and 15`],
      ['maxReaders below readers', { readers: 3, maxReaders: 2 },
        `${P}: maxReaders (2) is below readers (3): raise maxReaders or lower readers`],
      ['maxReaders 16', { maxReaders: 16 },
        `${P}: maxReaders (16) must be an integer from 1 to 15: set maxReaders to a whole number between 1 and 15`],
      ['readerCpuTargetPercent 95', { readerCpuTargetPercent: 95 },
        `${P}: readerCpuTargetPercent (95) must be between 10 and 90: set readerCpuTargetPercent to a value between 10 and 90`],
      ['readerCpuTargetPercent 5', { readerCpuTargetPercent: 5 },
        `${P}: readerCpuTargetPercent (5) must be between 10 and 90: set readerCpuTargetPercent to a value between 10 and 90`],
      ['backupRetention 0', { backupRetention: Duration.days(0) },
        `${P}: backupRetention (days) (0) must be an integer from 1 to 35: set backupRetention (days) to a whole number between 1 and 35`],
      ['backupRetention 36', { backupRetention: Duration.days(36) },
        `${P}: backupRetention (days) (36) must be an integer from 1 to 35: set backupRetention (days) to a whole number between 1 and 35`],
      ['backupRetention 36 hours', { backupRetention: Duration.hours(36) },
        `${P}: backupRetention (days) (1.5) must be an integer from 1 to 35: set backupRetention (days) to a whole number between 1 and 35`],
      ['serverless min above max', { serverlessV2MinCapacity: 8, serverlessV2MaxCapacity: 4 },
        `${P}: serverlessV2MaxCapacity (4) is below serverlessV2MinCapacity (8): raise serverlessV2MaxCapacity or lower serverlessV2MinCapacity`],
      ['serverless min not a half step', { serverlessV2MinCapacity: 0.7, serverlessV2MaxCapacity: 4 },
        `${P}: serverlessV2MinCapacity (0.7) must be from 0 to 256 in steps of 0.5: set serverlessV2MinCapacity to a value such as 0.5, 8 or 16.5`],
      ['serverless max above 256', { serverlessV2MaxCapacity: 300 },
        `${P}: serverlessV2MaxCapacity (300) must be from 1 to 256 in steps of 0.5: set serverlessV2MaxCapacity to a value such as 2, 8 or 16.5`],
      ['serverless max 0.5', { serverlessV2MinCapacity: 0, serverlessV2MaxCapacity: 0.5 },
        `${P}: serverlessV2MaxCapacity (0.5) must be from 1 to 256 in steps of 0.5: set serverlessV2MaxCapacity to a value such as 2, 8 or 16.5`],
      ['instanceType with serverless', { instanceType: new ec2.InstanceType('r7g.large'), serverlessV2MaxCapacity: 8 },
        `${P}: instanceType ('r7g.large') is set together with serverlessV2MinCapacity/serverlessV2MaxCapacity: set instanceType for provisioned instances or the Serverless v2 capacities, not both`],
    ])('%s is rejected', (_name, props, message) => {
      expect(() => build(props)).toThrow(message);
    });

    test('errors are raised before anything is added to the tree', () => {
      const stack = testStack();
      const vpc = new MultiAzNetwork(stack, 'Network').vpc;
      expect(() => new AuroraDatabase(stack, 'Database', { vpc, readers: 0 })).toThrow(/readers \(0\)/);
      expect(stack.node.findChild('Database').node.children).toHaveLength(0);
    });
  });

  describe('cdk-nag', () => {
    test('AwsSolutions and NIST 800-53 rev 5 report no unacknowledged findings', () => {
      // GIVEN
      const stack = testStack({ nag: true });
      const vpc = new MultiAzNetwork(stack, 'Network').vpc;
      // WHEN
      new AuroraDatabase(stack, 'Database', { vpc });
      // THEN
      expect(formatFindings(nagFindings(stack))).toEqual([]);
    });
  });
});
