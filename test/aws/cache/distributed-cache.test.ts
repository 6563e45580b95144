import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CacheEngine, DistributedCache } from '../../../constructs/aws/cache/distributed-cache';
import type { DistributedCacheProps } from '../../../constructs/aws/cache/distributed-cache';
import { MultiAzNetwork } from '../../../constructs/aws/network/multi-az-network';
import { runbookPathFromUrl } from '../../../constructs/core/runbooks';
import { parseRunbook } from '../../helpers/runbooks';
import { formatFindings, nagFindings, testStack } from '../../helpers/test-stack';

type ExtraProps = Omit<DistributedCacheProps, 'vpc'>;

/** A test stack with a MultiAzNetwork and a DistributedCache `Cache`; `use` runs before synthesis. */
function cacheStack(props: ExtraProps = {}, use?: (stack: Stack, cache: DistributedCache, vpc: ec2.IVpc) => void):
{ stack: Stack; cache: DistributedCache; template: Template } {
  const stack = testStack();
  const vpc = new MultiAzNetwork(stack, 'Network').vpc;
  const cache = new DistributedCache(stack, 'Cache', { vpc, ...props });
  use?.(stack, cache, vpc);
  return { stack, cache, template: Template.fromStack(stack) };
}

/** Builds the cache in a fresh stack (validation errors are thrown before synthesis). */
function build(props: ExtraProps): void {
  const stack = testStack();
  new DistributedCache(stack, 'Cache', { vpc: new MultiAzNetwork(stack, 'Network').vpc, ...props });
}

interface AlarmProps {
  AlarmDescription: string;
  Threshold: number;
  ComparisonOperator: string;
  EvaluationPeriods: number;
  Metrics: Array<{
    Id: string;
    Expression?: string;
    MetricStat?: { Metric: { MetricName: string; Dimensions: Array<{ Value: string }> }; Stat: string; Period: number };
  }>;
}

function alarms(template: Template): AlarmProps[] {
  return Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((r) => r.Properties as AlarmProps);
}

function alarmFor(template: Template, runbook: string): AlarmProps {
  const found = alarms(template).filter((a) => a.AlarmDescription.endsWith(`/runbooks/alerts/cache/${runbook}.md`));
  expect(found).toHaveLength(1);
  return found[0];
}

describe('DistributedCache', () => {
  let defaults: { stack: Stack; cache: DistributedCache; template: Template };
  beforeAll(() => {
    defaults = cacheStack();
  });

  describe('replication group', () => {
    test('runs Valkey 8.1 on cache.r7g.large with cluster mode off by default', () => {
      defaults.template.resourceCountIs('AWS::ElastiCache::ReplicationGroup', 1);
      defaults.template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        Engine: 'valkey',
        EngineVersion: '8.1',
        CacheNodeType: 'cache.r7g.large',
        ClusterMode: 'disabled',
        Port: 6379,
        AutoMinorVersionUpgrade: true,
      });
    });

    test('a primary and 2 replicas in three distinct AZs, with automatic failover and Multi-AZ', () => {
      defaults.template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        NumCacheClusters: 3,
        PreferredCacheClusterAZs: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
        AutomaticFailoverEnabled: true,
        MultiAZEnabled: true,
      });
    });

    test('cluster mode spreads each shard over distinct AZs and rotates the primaries', () => {
      const { template } = cacheStack({ clusterMode: true, shards: 3, replicasPerShard: 1 });
      template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        ClusterMode: 'enabled',
        NumNodeGroups: 3,
        ReplicasPerNodeGroup: 1,
        NodeGroupConfiguration: [
          { NodeGroupId: '0001', PrimaryAvailabilityZone: 'eu-west-1a', ReplicaAvailabilityZones: ['eu-west-1b'], ReplicaCount: 1 },
          { NodeGroupId: '0002', PrimaryAvailabilityZone: 'eu-west-1b', ReplicaAvailabilityZones: ['eu-west-1c'], ReplicaCount: 1 },
          { NodeGroupId: '0003', PrimaryAvailabilityZone: 'eu-west-1c', ReplicaAvailabilityZones: ['eu-west-1a'], ReplicaCount: 1 },
        ],
        AutomaticFailoverEnabled: true,
        MultiAZEnabled: true,
      });
      template.hasResourceProperties('AWS::ElastiCache::ParameterGroup', {
        Properties: { 'maxmemory-policy': 'allkeys-lru', 'cluster-enabled': 'yes' },
      });
    });

    test('Redis OSS is available through engine', () => {
      const { template } = cacheStack({ engine: CacheEngine.REDIS_7_1 });
      template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { Engine: 'redis', EngineVersion: '7.1' });
      template.hasResourceProperties('AWS::ElastiCache::ParameterGroup', { CacheParameterGroupFamily: 'redis7' });
      template.hasResourceProperties('AWS::ElastiCache::User', { Engine: 'redis', UserName: 'app' });
    });

    test('without automatic failover a single node is allowed, with a warning', () => {
      const { stack, template } = cacheStack({ replicasPerShard: 0, automaticFailover: false });
      template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        NumCacheClusters: 1, AutomaticFailoverEnabled: false, MultiAZEnabled: false,
      });
      Annotations.fromStack(stack).hasWarning('/Test/Cache', Match.stringLikeRegexp('^automaticFailover is false'));
    });

    test('exposes the primary and reader endpoints, or the configuration endpoint in cluster mode', () => {
      const stack = defaults.stack;
      expect(stack.resolve(defaults.cache.endpoint)).toEqual({ 'Fn::GetAtt': [stack.resolve(defaults.cache.replicationGroup.logicalId), 'PrimaryEndPoint.Address'] });
      expect(stack.resolve(defaults.cache.readerEndpoint)).toEqual({ 'Fn::GetAtt': [stack.resolve(defaults.cache.replicationGroup.logicalId), 'ReaderEndPoint.Address'] });
      const clustered = cacheStack({ clusterMode: true });
      expect(clustered.stack.resolve(clustered.cache.endpoint)).toEqual({ 'Fn::GetAtt': [clustered.stack.resolve(clustered.cache.replicationGroup.logicalId), 'ConfigurationEndPoint.Address'] });
      expect(clustered.cache.readerEndpoint).toBeUndefined();
    });

    test('the replication group ID is derived from the construct path and stays stable', () => {
      expect(defaults.cache.replicationGroupId).toMatch(/^test-cache-[0-9a-f]{8}$/);
      defaults.template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { ReplicationGroupId: defaults.cache.replicationGroupId });
      expect(defaults.stack.resolve(defaults.cache.replicationGroup.logicalId)).toBe('Cache18F6EE16');
    });
  });

  describe('nothing lost', () => {
    test('DeletionPolicy and UpdateReplacePolicy Snapshot: a final snapshot on delete or replacement', () => {
      defaults.template.hasResource('AWS::ElastiCache::ReplicationGroup', {
        DeletionPolicy: 'Snapshot',
        UpdateReplacePolicy: 'Snapshot',
      });
    });

    test('daily snapshots kept 15 days in the 03:00-04:00 window, maintenance on sunday 05:00-06:00', () => {
      defaults.template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        SnapshotRetentionLimit: 15,
        SnapshotWindow: '03:00-04:00',
        PreferredMaintenanceWindow: 'sun:05:00-sun:06:00',
      });
    });

    test('snapshotRetention and the windows are configurable', () => {
      const { template } = cacheStack({ snapshotRetention: Duration.days(7), snapshotWindow: '22:30-23:30', preferredMaintenanceWindow: 'wed:01:00-wed:02:30' });
      template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        SnapshotRetentionLimit: 7, SnapshotWindow: '22:30-23:30', PreferredMaintenanceWindow: 'wed:01:00-wed:02:30',
      });
    });

    test('is not tagged for AWS Backup, which does not cover ElastiCache (its snapshots are its backups)', () => {
      const rg = Object.values(defaults.template.findResources('AWS::ElastiCache::ReplicationGroup'))[0];
      const tags = (rg.Properties as { Tags: Array<{ Key: string }> }).Tags.map((t) => t.Key);
      expect(tags).not.toContain('platform:backup');
    });
  });

  describe('encryption', () => {
    test('TLS required in transit and at-rest encryption with the rotating, retained customer key', () => {
      defaults.template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        TransitEncryptionEnabled: true,
        TransitEncryptionMode: 'required',
        AtRestEncryptionEnabled: true,
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CacheKey'), 'Arn'] },
      });
      defaults.template.hasResource('AWS::KMS::Key', {
        Properties: Match.objectLike({ EnableKeyRotation: true, Description: Match.stringLikeRegexp('^Test/Cache ElastiCache') }),
        DeletionPolicy: 'Retain',
      });
    });
  });

  describe('authentication (RBAC)', () => {
    test('a user group holds a disabled default user and the application user', () => {
      defaults.template.resourceCountIs('AWS::ElastiCache::User', 2);
      defaults.template.hasResourceProperties('AWS::ElastiCache::User', {
        UserName: 'default',
        AccessString: 'off -@all',
        Engine: 'valkey',
      });
      defaults.template.hasResourceProperties('AWS::ElastiCache::UserGroup', {
        Engine: 'valkey',
        UserIds: [{ Ref: Match.stringLikeRegexp('^CacheDefaultUser') }, { Ref: Match.stringLikeRegexp('^CacheAppUser') }],
      });
      defaults.template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        UserGroupIds: [{ Ref: Match.stringLikeRegexp('^CacheUserGroup') }],
      });
    });

    test('the application user authenticates with the password generated in Secrets Manager', () => {
      defaults.template.hasResourceProperties('AWS::ElastiCache::User', {
        UserName: 'app',
        AccessString: 'on ~* &* +@all -@dangerous',
        AuthenticationMode: {
          Type: 'password',
          Passwords: [{ 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: Match.stringLikeRegexp('^CacheSecret') }, ':SecretString:password::}}']] }],
        },
      });
    });

    test('the secret is generated, KMS-encrypted with the cache key, retained, and names user and user ARN', () => {
      defaults.template.hasResource('AWS::SecretsManager::Secret', {
        Properties: Match.objectLike({
          KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CacheKey'), 'Arn'] },
          GenerateSecretString: Match.objectLike({
            GenerateStringKey: 'password',
            PasswordLength: 64,
            ExcludePunctuation: true,
            // A literal partition under @aws-cdk/core:enablePartitionLiterals (recommended flags).
            SecretStringTemplate: `{"username":"app","user_arn":"arn:aws:elasticache:eu-west-1:111111111111:user:${defaults.cache.replicationGroupId}-app"}`,
          }),
        }),
        DeletionPolicy: 'Retain',
      });
    });
  });

  describe('network', () => {
    test('nodes run in the isolated subnets of the three AZs', () => {
      defaults.template.hasResourceProperties('AWS::ElastiCache::SubnetGroup', {
        SubnetIds: [1, 2, 3].map((n) => ({ Ref: Match.stringLikeRegexp(`^NetworkVpcIsolatedSubnet${n}`) })),
      });
    });

    test('the security group has no ingress and no egress until connections allow it', () => {
      defaults.template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('^Test/Cache cache nodes'),
        SecurityGroupIngress: Match.absent(),
        SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32' })],
      });
      defaults.template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    });

    test('connections.allowDefaultPortFrom opens the cache port to a peer security group only', () => {
      const { template } = cacheStack({ port: 6380 }, (stack, cache, vpc) => {
        const client = new ec2.SecurityGroup(stack, 'Client', { vpc });
        cache.connections.allowDefaultPortFrom(client);
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        IpProtocol: 'tcp', FromPort: 6380, ToPort: 6380,
        GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CacheSecurityGroup'), 'GroupId'] },
        SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Client'), 'GroupId'] },
      });
    });
  });

  describe('parameters and logs', () => {
    test('maxmemory-policy is allkeys-lru by default and configurable', () => {
      defaults.template.hasResourceProperties('AWS::ElastiCache::ParameterGroup', {
        CacheParameterGroupFamily: 'valkey8',
        Properties: { 'maxmemory-policy': 'allkeys-lru' },
      });
      defaults.template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        CacheParameterGroupName: { Ref: Match.stringLikeRegexp('^CacheParameterGroup') },
      });
      cacheStack({ maxMemoryPolicy: 'volatile-lru' }).template.hasResourceProperties('AWS::ElastiCache::ParameterGroup', {
        Properties: { 'maxmemory-policy': 'volatile-lru' },
      });
    });

    test('slow log and engine log go as JSON to KMS-encrypted, retained log groups', () => {
      defaults.template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        LogDeliveryConfigurations: [
          { DestinationType: 'cloudwatch-logs', LogFormat: 'json', LogType: 'slow-log', DestinationDetails: { CloudWatchLogsDetails: { LogGroup: { Ref: Match.stringLikeRegexp('^CacheSlowLogs') } } } },
          { DestinationType: 'cloudwatch-logs', LogFormat: 'json', LogType: 'engine-log', DestinationDetails: { CloudWatchLogsDetails: { LogGroup: { Ref: Match.stringLikeRegexp('^CacheEngineLogs') } } } },
        ],
      });
      const groups = defaults.template.findResources('AWS::Logs::LogGroup', {
        Properties: { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CacheKey'), 'Arn'] }, RetentionInDays: 90 },
        DeletionPolicy: 'Retain',
      });
      expect(Object.keys(groups).sort()).toEqual([expect.stringMatching(/^CacheEngineLogs/), expect.stringMatching(/^CacheSlowLogs/)]);
    });
  });

  describe('grants and connection settings', () => {
    test('grantConnect lets a role read (and decrypt) the credentials, nothing else', () => {
      const { template } = cacheStack({}, (stack, cache) => {
        cache.grantConnect(new iam.Role(stack, 'App', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') }));
      });
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^App') }],
        PolicyDocument: {
          Statement: [{
            Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
            Effect: 'Allow',
            Resource: { Ref: Match.stringLikeRegexp('^CacheSecret') },
          }],
        },
      });
      // kms:Decrypt through the key policy, restricted to Secrets Manager
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({
          Action: 'kms:Decrypt',
          Principal: { AWS: { 'Fn::GetAtt': [Match.stringLikeRegexp('^App'), 'Arn'] } },
          Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
        })]) },
      });
    });

    test('connectionSettings hands over endpoint, port, secret, TLS and cluster mode', () => {
      const settings = defaults.cache.connectionSettings();
      expect(settings).toEqual({ endpoint: defaults.cache.endpoint, port: 6379, secret: defaults.cache.secret, tls: true, clusterMode: false });
    });
  });

  describe('metrics and alarms', () => {
    test('metrics combine every node of a shard by its CacheClusterId', () => {
      const a = alarmFor(defaults.template, 'CacheEvictionsHigh');
      expect(a.Metrics.find((m) => m.Expression)?.Expression).toBe('SUM([n1, n2, n3])');
      expect(a.Metrics.filter((m) => m.MetricStat).map((m) => m.MetricStat?.Metric.Dimensions[0].Value))
        .toEqual([1, 2, 3].map((n) => `${defaults.cache.replicationGroupId}-00${n}`));
    });

    test('cluster mode: one set of alarms per shard over the node IDs <group>-000s-00n', () => {
      const { template, cache } = cacheStack({ clusterMode: true, shards: 2, replicasPerShard: 1 });
      expect(alarms(template)).toHaveLength(10);
      const shard2 = alarms(template).filter((a) => a.AlarmDescription.includes('shard 2 of Test/Cache') && a.AlarmDescription.includes('CacheMemoryHigh'));
      expect(shard2).toHaveLength(1);
      expect(shard2[0].Metrics.filter((m) => m.MetricStat).map((m) => m.MetricStat?.Metric.Dimensions[0].Value))
        .toEqual([`${cache.replicationGroupId}-0002-001`, `${cache.replicationGroupId}-0002-002`]);
    });

    test.each([
      ['CacheHitRateLow', 'CacheHitRate', 'Average', 'LessThanThreshold', 60, 'IF(MAX([n1, n2, n3]) > 0, MAX([n1, n2, n3]), 100)', 300, 3],
      ['CacheEvictionsHigh', 'Evictions', 'Sum', 'GreaterThanThreshold', 1000, 'SUM([n1, n2, n3])', 300, 3],
      ['CacheMemoryHigh', 'DatabaseMemoryUsagePercentage', 'Maximum', 'GreaterThanThreshold', 90, 'MAX([n1, n2, n3])', 300, 3],
      ['CacheEngineCpuHigh', 'EngineCPUUtilization', 'Maximum', 'GreaterThanThreshold', 80, 'MAX([n1, n2, n3])', 300, 3],
      ['CacheReplicationLagHigh', 'ReplicationLag', 'Maximum', 'GreaterThanThreshold', 1, 'MAX([n1, n2, n3])', 60, 5],
    ])('%s: %s (%s) %s %d as %s, period %d s, %d periods', (runbook, metricName, stat, operator, threshold, expression, period, periods) => {
      const a = alarmFor(defaults.template, runbook);
      expect(a).toMatchObject({ ComparisonOperator: operator, Threshold: threshold, EvaluationPeriods: periods });
      expect(a.AlarmDescription).toMatch(/^\[warning\] /);
      expect(a.Metrics.find((m) => m.Expression)?.Expression).toBe(expression);
      for (const m of a.Metrics.filter((x) => x.MetricStat)) {
        expect(m.MetricStat).toMatchObject({ Metric: { MetricName: metricName }, Stat: stat, Period: period });
      }
    });

    test('shardAlarms names each alarm of a shard; alarms lists them shard by shard', () => {
      // GIVEN a cluster-mode cache of two shards with one replica each
      const { stack, template, cache } = cacheStack({ clusterMode: true, shards: 2, replicasPerShard: 1 });
      const propsOf = (alarm: cloudwatch.Alarm): AlarmProps =>
        template.toJSON().Resources[stack.getLogicalId(alarm.node.defaultChild as CfnElement)].Properties as AlarmProps;
      // THEN shard n's named alarms watch shard n with the runbook of their kind
      expect(Object.keys(cache.shardAlarms)).toEqual(['1', '2']);
      for (const shard of [1, 2]) {
        const named = cache.shardAlarms[shard];
        expect(named.shard).toBe(shard);
        for (const [alarm, runbook] of [
          [named.hitRateAlarm, 'CacheHitRateLow'], [named.evictionsAlarm, 'CacheEvictionsHigh'], [named.memoryAlarm, 'CacheMemoryHigh'],
          [named.engineCpuAlarm, 'CacheEngineCpuHigh'], [named.replicationLagAlarm, 'CacheReplicationLagHigh'],
        ] as const) {
          expect(alarm).toBeDefined();
          const description = propsOf(alarm!).AlarmDescription;
          expect(description).toContain(`shard ${shard} of Test/Cache`);
          expect(description.endsWith(`/runbooks/alerts/cache/${runbook}.md`)).toBe(true);
        }
      }
      const { 1: first, 2: second } = cache.shardAlarms;
      expect(cache.alarms).toEqual([
        first.hitRateAlarm, first.evictionsAlarm, first.memoryAlarm, first.engineCpuAlarm, first.replicationLagAlarm,
        second.hitRateAlarm, second.evictionsAlarm, second.memoryAlarm, second.engineCpuAlarm, second.replicationLagAlarm,
      ]);
    });

    test('without cluster mode shard 1 holds the alarms; without replicas it has no replication-lag alarm', () => {
      expect(defaults.cache.shardAlarms[1].replicationLagAlarm).toBeDefined();
      expect(Object.keys(defaults.cache.shardAlarms)).toEqual(['1']);
      const { cache } = cacheStack({ replicasPerShard: 0, automaticFailover: false });
      expect(cache.shardAlarms[1].replicationLagAlarm).toBeUndefined();
      expect(cache.alarms).toHaveLength(4);
    });

    test('hitRateTargetPercent sets the hit-rate threshold', () => {
      expect(alarmFor(cacheStack({ hitRateTargetPercent: 75 }).template, 'CacheHitRateLow').Threshold).toBe(75);
    });

    test('no replication-lag alarm without replicas', () => {
      const { template } = cacheStack({ replicasPerShard: 0, automaticFailover: false });
      expect(alarms(template).map((a) => runbookPathFromUrl(/Runbook: (\S+)$/.exec(a.AlarmDescription)?.[1] ?? ''))).not.toContain('alerts/cache/CacheReplicationLagHigh');
    });

    test('every alarm links a committed runbook with the alert runbook shape', () => {
      const paths = alarms(defaults.template).map((a) => runbookPathFromUrl(/Runbook: (\S+)$/.exec(a.AlarmDescription)?.[1] ?? ''));
      expect(paths).toHaveLength(5);
      for (const path of paths) {
        expect(path).toBeDefined();
        expect(existsSync(join(__dirname, '..', '..', '..', 'runbooks', `${path}.md`))).toBe(true);
        const { frontMatter, sections } = parseRunbook(path as string);
        expect(frontMatter.id).toBe((path as string).split('/').pop());
        expect(sections).toEqual(expect.arrayContaining(['Meaning', 'Impact', 'Diagnosis', 'Mitigation', 'Escalation']));
      }
    });

    test('metric methods refuse a shard the cache does not have', () => {
      expect(() => defaults.cache.metricCurrConnections({ shard: 2 })).toThrow(
        'Test/Cache: shard (2) must be an integer from 1 to 1: set shard to a whole number between 1 and 1');
    });
  });

  describe('validation', () => {
    test.each<[string, ExtraProps, string]>([
      ['zero replicas with automatic failover', { replicasPerShard: 0 },
        "Test/Cache: replicasPerShard (0) leaves automatic failover no replica to promote: set replicasPerShard to 1 or more (2 keeps a standby after an AZ is lost), or set automaticFailover: false for a single-node development cache"],
      ['more than 5 replicas', { replicasPerShard: 6 },
        'Test/Cache: replicasPerShard (6) must be an integer from 0 to 5: set replicasPerShard to a whole number between 0 and 5'],
      ['no shard', { clusterMode: true, shards: 0 },
        'Test/Cache: shards (0) must be an integer from 1 to 500: set shards to a whole number between 1 and 500'],
      ['more than 500 shards', { clusterMode: true, shards: 501 },
        'Test/Cache: shards (501) must be an integer from 1 to 500: set shards to a whole number between 1 and 500'],
      ['shards without cluster mode', { shards: 2 },
        'Test/Cache: shards (2) needs cluster mode: set clusterMode: true to partition the data over several shards, or use 1 shard'],
      ['cluster mode without automatic failover', { clusterMode: true, automaticFailover: false },
        'Test/Cache: automaticFailover (false) is required by cluster mode: remove automaticFailover (it defaults to true) or set clusterMode: false'],
      ['snapshot retention below 7 days', { snapshotRetention: Duration.days(6) },
        'Test/Cache: snapshotRetention (days) (6) must be an integer from 7 to 35: set snapshotRetention (days) to a whole number between 7 and 35'],
      ['snapshot retention above 35 days', { snapshotRetention: Duration.days(36) },
        'Test/Cache: snapshotRetention (days) (36) must be an integer from 7 to 35: set snapshotRetention (days) to a whole number between 7 and 35'],
      ['unknown engine version', { engine: CacheEngine.valkey('9.9') },
        "Test/Cache: engine ('valkey 9.9') is not a supported value: use one of valkey 7.2, valkey 8.0, valkey 8.1, redis 6.2, redis 7.0, redis 7.1"],
      ['Redis OSS before RBAC', { engine: CacheEngine.redis('5.0') },
        "Test/Cache: engine ('redis 5.0') is not a supported value: use one of valkey 7.2, valkey 8.0, valkey 8.1, redis 6.2, redis 7.0, redis 7.1"],
      ['unknown eviction policy', { maxMemoryPolicy: 'lru' },
        "Test/Cache: maxMemoryPolicy ('lru') is not a supported value: use one of allkeys-lru, allkeys-lfu, allkeys-random, volatile-lru, volatile-lfu, volatile-random, volatile-ttl, noeviction"],
      ['privileged port', { port: 80 },
        'Test/Cache: port (80) must be an integer from 1024 to 65535: set port to a whole number between 1024 and 65535'],
      ['bad maintenance window format', { preferredMaintenanceWindow: 'sunday 05:00-06:00' },
        "Test/Cache: preferredMaintenanceWindow ('sunday 05:00-06:00') is not of the form 'ddd:hh24:mi-ddd:hh24:mi': use a UTC window of at least 60 minutes such as 'sun:05:00-sun:06:00'"],
      ['maintenance window under 60 minutes', { preferredMaintenanceWindow: 'sun:05:00-sun:05:30' },
        "Test/Cache: preferredMaintenanceWindow ('sun:05:00-sun:05:30') is shorter than 60 minutes: use a UTC window of at least 60 minutes such as 'sun:05:00-sun:06:00'"],
      ['bad snapshot window format', { snapshotWindow: '3:00-4:00' },
        "Test/Cache: snapshotWindow ('3:00-4:00') is not of the form 'hh24:mi-hh24:mi': use a UTC window of at least 60 minutes such as '03:00-04:00'"],
      ['snapshot window under 60 minutes', { snapshotWindow: '03:00-03:45' },
        "Test/Cache: snapshotWindow ('03:00-03:45') is shorter than 60 minutes: use a UTC window of at least 60 minutes such as '03:00-04:00'"],
      ['snapshot window overlapping maintenance', { snapshotWindow: '05:30-06:30' },
        "Test/Cache: snapshotWindow ('05:30-06:30') overlaps preferredMaintenanceWindow ('sun:05:00-sun:06:00'): move one of the windows so they do not overlap"],
      ['snapshot window overlapping a maintenance window across midnight', { snapshotWindow: '23:30-00:30', preferredMaintenanceWindow: 'sat:23:00-sun:01:00' },
        "Test/Cache: snapshotWindow ('23:30-00:30') overlaps preferredMaintenanceWindow ('sat:23:00-sun:01:00'): move one of the windows so they do not overlap"],
      ['hit-rate target of 100%', { hitRateTargetPercent: 100 },
        'Test/Cache: hitRateTargetPercent (100) must be between 1 and 99: set hitRateTargetPercent to a value between 1 and 99'],
    ])('%s', (_, props, message) => {
      expect(() => build(props)).toThrow(message);
    });

    test('adjacent windows do not overlap', () => {
      expect(() => build({ snapshotWindow: '04:00-05:00', preferredMaintenanceWindow: 'sun:05:00-sun:06:00' })).not.toThrow();
    });

    const ONE_AZ_FIX = 'use subnets in at least 2 availability zones (MultiAzNetwork builds 3), or set automaticFailover: false for a single-node development cache';
    test.each<[string, string[], ec2.SubnetType[], (vpc: ec2.Vpc) => ExtraProps, string]>([
      ['isolated subnets in one AZ (Multi-AZ in one zone)', ['eu-west-1a'], [ec2.SubnetType.PUBLIC, ec2.SubnetType.PRIVATE_ISOLATED], () => ({}),
        `Test/Cache: vpc ('Test/Vpc') has its isolated subnets in one availability zone (eu-west-1a): Multi-AZ automatic failover needs a replica in another zone: ${ONE_AZ_FIX}`],
      ['vpcSubnets selecting one AZ of three', ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'], [ec2.SubnetType.PUBLIC, ec2.SubnetType.PRIVATE_ISOLATED],
        () => ({ vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED, availabilityZones: ['eu-west-1b'] } }),
        `Test/Cache: vpcSubnets (["eu-west-1b"]) select subnets in one availability zone: Multi-AZ automatic failover needs a replica in another zone: ${ONE_AZ_FIX}`],
      ['no isolated subnets', ['eu-west-1a', 'eu-west-1b'], [ec2.SubnetType.PUBLIC, ec2.SubnetType.PRIVATE_WITH_EGRESS], () => ({}),
        "Test/Cache: vpc ('Test/Vpc') has no isolated subnets, where the cache nodes run by default: use a VPC with PRIVATE_ISOLATED subnets in at least 2 availability zones (MultiAzNetwork builds them in 3), or pass vpcSubnets"],
    ])('a VPC with %s is refused', (_name, availabilityZones, types, extra, message) => {
      // GIVEN a VPC the cache cannot be Multi-AZ in; WHEN a DistributedCache is placed in it; THEN the exact message
      const stack = testStack();
      const vpc = new ec2.Vpc(stack, 'Vpc', {
        availabilityZones,
        natGateways: types.includes(ec2.SubnetType.PRIVATE_WITH_EGRESS) ? 1 : 0,
        subnetConfiguration: types.map((subnetType) => ({ name: subnetType, subnetType })),
      });
      expect(() => new DistributedCache(stack, 'Cache', { vpc, ...extra(vpc) })).toThrow(message);
    });

    test('a single-node development cache (automaticFailover: false) may sit in one AZ', () => {
      const stack = testStack();
      const vpc = new ec2.Vpc(stack, 'Vpc', {
        availabilityZones: ['eu-west-1a'], natGateways: 0,
        subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
      });
      expect(() => new DistributedCache(stack, 'Cache', { vpc, automaticFailover: false, replicasPerShard: 0 })).not.toThrow();
    });
  });

  describe('cdk-nag', () => {
    test('AwsSolutions and NIST 800-53 rev 5 report nothing on a network with a cache', () => {
      const stack = testStack({ nag: true });
      new DistributedCache(stack, 'Cache', { vpc: new MultiAzNetwork(stack, 'Network').vpc });
      expect(formatFindings(nagFindings(stack))).toEqual([]);
    });
  });
});
