import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { requireIntegerInRange } from '../../core/validate';
import { allowCloudWatchLogs, createDataKey, createEncryptedLogGroup } from '../private/encryption';
import type {
  CacheConnectionSettings, CacheMetricOptions, CacheShardAlarms, DistributedCacheProps, IDistributedCache,
} from './distributed-cache-props';
import { acknowledgeDistributedCacheFindings } from './private/acknowledge-distributed-cache-findings';
import { alarmsOf, createCacheShardAlarms } from './private/cache-alarms';
import { identifierOf, nodeIdOf } from './private/cache-ids';
import { buildCacheReplicationGroup } from './private/cache-replication-group';
import { buildCacheUsers } from './private/cache-users';
import { validateDistributedCacheProps } from './private/validate-distributed-cache-props';

export { CacheEngine } from './cache-engine';
export type {
  CacheConnectionSettings, CacheMetricOptions, CacheShardAlarms, DistributedCacheProps, IDistributedCache,
} from './distributed-cache-props';

/**
 * An ElastiCache Valkey (or Redis OSS) replication group that survives an AZ and keeps its data: replicas of every
 * shard in other AZs, automatic failover and Multi-AZ, TLS required in transit, encryption at rest with a rotating
 * customer key, role-based access (the `default` user disabled, an application user whose password is generated
 * in Secrets Manager), daily snapshots kept 15 days and a final snapshot on deletion, `allkeys-lru` eviction,
 * slow and engine logs to encrypted log groups, and hit-rate / evictions / memory / engine-CPU / replication-lag
 * alarms with runbooks.
 *
 * Backups: AWS Backup does not cover ElastiCache, so the cache is not tagged for the platform backup plan; its own
 * automatic snapshots (and the final snapshot CloudFormation takes on deletion or replacement) are its backups.
 *
 * Clients connect with TLS to `endpoint`:`port` as the user in `secret`: `cache.connections.allowDefaultPortFrom(service)`
 * opens the network, `cache.grantConnect(role)` lets a role read the credentials.
 */
export class DistributedCache extends Construct implements IDistributedCache {
  /** The replication group. */
  public readonly replicationGroup: elasticache.CfnReplicationGroup;
  /** Network access to the nodes on the cache port: ingress only from what is allowed here. */
  public readonly connections: ec2.Connections;
  /** Credentials of the application user (generated, KMS-encrypted, retained): `username`, `password`, `user_arn`. */
  public readonly secret: secretsmanager.ISecret;
  /** Customer-managed key (rotating, retained) of data at rest, snapshots, the secret and the logs. */
  public readonly encryptionKey: kms.Key;
  /** The RBAC user group: the disabled `default` user and the application user. */
  public readonly userGroup: elasticache.CfnUserGroup;
  /** The application user. */
  public readonly appUser: elasticache.CfnUser;
  /** The parameter group (`maxmemory-policy`, cluster mode). */
  public readonly parameterGroup: elasticache.CfnParameterGroup;
  /** Log group of the slow log (KMS-encrypted, retained). */
  public readonly slowLogGroup: logs.LogGroup;
  /** Log group of the engine log (KMS-encrypted, retained). */
  public readonly engineLogGroup: logs.LogGroup;
  /** Replication group ID (derived from the construct path, stable). */
  public readonly replicationGroupId: string;
  /** Host name clients connect to: primary endpoint (cluster mode off) or configuration endpoint (cluster mode on). */
  public readonly endpoint: string;
  /** Reader endpoint (load-balanced over the replicas); undefined in cluster mode. */
  public readonly readerEndpoint?: string;
  /** Port the nodes listen on. */
  public readonly port: number;
  /** Whether cluster mode is on. */
  public readonly clusterMode: boolean;
  /**
   * The alarms of each shard by shard number (1-based; shard 1 only without cluster mode): hit rate, evictions,
   * memory, engine CPU and, with replicas, replication lag.
   */
  public readonly shardAlarms: Readonly<Record<number, CacheShardAlarms>>;
  /** Every alarm the construct created, shard by shard: the alarms of `shardAlarms` as one list. */
  public readonly alarms: cloudwatch.Alarm[];

  private readonly shards: number;
  private readonly nodesPerShard: number;

  constructor(scope: Construct, id: string, props: DistributedCacheProps) {
    super(scope, id);
    const settings = validateDistributedCacheProps(this, props);
    this.clusterMode = settings.clusterMode;
    this.shards = settings.shards;
    this.nodesPerShard = settings.nodesPerShard;
    this.port = settings.port;

    // Identifiers derived from the path, so node IDs (and their metrics) are known at synth time.
    this.replicationGroupId = identifierOf(this);

    this.encryptionKey = createDataKey(this, 'Key', `${this.node.path} ElastiCache data at rest, snapshots, credentials and logs`);
    allowCloudWatchLogs(this.encryptionKey);
    const logRetention = props.logRetention ?? logs.RetentionDays.THREE_MONTHS;
    this.slowLogGroup = createEncryptedLogGroup(this, 'SlowLogs', { key: this.encryptionKey, retention: logRetention });
    this.engineLogGroup = createEncryptedLogGroup(this, 'EngineLogs', { key: this.encryptionKey, retention: logRetention });

    const users = buildCacheUsers(this, this.replicationGroupId, settings.engine, this.encryptionKey);
    this.secret = users.secret;
    this.appUser = users.appUser;
    this.userGroup = users.userGroup;

    const nodes = buildCacheReplicationGroup(this, props, settings, {
      replicationGroupId: this.replicationGroupId,
      encryptionKey: this.encryptionKey,
      userGroup: this.userGroup,
      slowLogGroup: this.slowLogGroup,
      engineLogGroup: this.engineLogGroup,
    });
    this.replicationGroup = nodes.replicationGroup;
    this.parameterGroup = nodes.parameterGroup;
    this.connections = nodes.connections;
    this.endpoint = this.clusterMode
      ? this.replicationGroup.attrConfigurationEndPointAddress
      : this.replicationGroup.attrPrimaryEndPointAddress;
    this.readerEndpoint = this.clusterMode ? undefined : this.replicationGroup.attrReaderEndPointAddress;

    const shardAlarms: Record<number, CacheShardAlarms> = {};
    for (let shard = 1; shard <= this.shards; shard++) {
      shardAlarms[shard] = createCacheShardAlarms(this, this, {
        shard, clusterMode: this.clusterMode, hitRateTarget: settings.hitRateTarget, withReplicas: settings.replicasPerShard > 0,
      });
    }
    this.shardAlarms = shardAlarms;
    this.alarms = Object.values(shardAlarms).flatMap(alarmsOf);

    acknowledgeDistributedCacheFindings({
      replicationGroup: this.replicationGroup,
      secret: this.secret,
      slowLogGroup: this.slowLogGroup,
      engineLogGroup: this.engineLogGroup,
      logRetention,
      alarms: this.alarms,
    });
  }

  /**
   * Lets `grantee` read the application user's credentials (and decrypt them with the key). The network path is
   * opened separately with `connections.allowDefaultPortFrom(...)`. Password authentication needs no
   * `elasticache:Connect` permission (that one is for IAM-authenticated users), so none is granted.
   */
  public grantConnect(grantee: iam.IGrantable): iam.Grant {
    return this.secret.grantRead(grantee);
  }

  /** Endpoint, port, credentials and TLS flag to hand to a client or a `ResilientService`. */
  public connectionSettings(): CacheConnectionSettings {
    return { endpoint: this.endpoint, port: this.port, secret: this.secret, tls: true, clusterMode: this.clusterMode };
  }

  /**
   * Cache hit rate of a shard in percent: the highest `CacheHitRate` of its nodes (the node serving reads; idle
   * replicas report 0), 100 while no node reports a hit rate (no traffic).
   */
  public metricCacheHitRate(options: CacheMetricOptions = {}): cloudwatch.IMetric {
    return this.aggregate('CacheHitRate', 'Average', 'MAX', options, 'Cache hit rate (%)', 'IF(agg > 0, agg, 100)');
  }

  /** Keys evicted by `maxmemory-policy` in a shard (sum over its nodes). */
  public metricEvictions(options: CacheMetricOptions = {}): cloudwatch.IMetric {
    return this.aggregate('Evictions', 'Sum', 'SUM', options, 'Evictions');
  }

  /** Percent of `maxmemory` used by data, highest node of a shard (`DatabaseMemoryUsagePercentage`). */
  public metricMemoryUsage(options: CacheMetricOptions = {}): cloudwatch.IMetric {
    return this.aggregate('DatabaseMemoryUsagePercentage', 'Maximum', 'MAX', options, 'Memory used by data (%)');
  }

  /** Host CPU utilization, highest node of a shard (`CPUUtilization`). */
  public metricCpuUtilization(options: CacheMetricOptions = {}): cloudwatch.IMetric {
    return this.aggregate('CPUUtilization', 'Maximum', 'MAX', options, 'Host CPU (%)');
  }

  /** CPU of the engine thread, highest node of a shard (`EngineCPUUtilization`). */
  public metricEngineCpuUtilization(options: CacheMetricOptions = {}): cloudwatch.IMetric {
    return this.aggregate('EngineCPUUtilization', 'Maximum', 'MAX', options, 'Engine CPU (%)');
  }

  /** Seconds the replicas of a shard lag behind its primary, highest replica (`ReplicationLag`). */
  public metricReplicationLag(options: CacheMetricOptions = {}): cloudwatch.IMetric {
    return this.aggregate('ReplicationLag', 'Maximum', 'MAX', options, 'Replication lag (s)');
  }

  /** Client connections of a shard, sum over its nodes (`CurrConnections`). */
  public metricCurrConnections(options: CacheMetricOptions = {}): cloudwatch.IMetric {
    return this.aggregate('CurrConnections', 'Average', 'SUM', options, 'Client connections');
  }

  /**
   * The metric `metricName` of every node of a shard (node IDs are `<group>-00n`, or `<group>-000s-00n` in cluster
   * mode), combined with `fn` in one math expression (at most 6 nodes per shard: within the 10 metrics of an alarm).
   */
  private aggregate(metricName: string, statistic: string, fn: 'MAX' | 'SUM', options: CacheMetricOptions, label: string, wrap?: string): cloudwatch.IMetric {
    const { shard = 1, ...metricOptions } = options;
    requireIntegerInRange(this.node.path, 'shard', shard, 1, this.shards);
    const period = metricOptions.period ?? Duration.minutes(5);
    const usingMetrics: Record<string, cloudwatch.IMetric> = {};
    for (let n = 1; n <= this.nodesPerShard; n++) {
      const nodeId = nodeIdOf(this.replicationGroupId, this.clusterMode, shard, n);
      usingMetrics[`n${n}`] = new cloudwatch.Metric({
        namespace: 'AWS/ElastiCache',
        metricName,
        dimensionsMap: { CacheClusterId: nodeId },
        statistic,
        ...metricOptions,
        period,
      });
    }
    const combined = `${fn}([${Object.keys(usingMetrics).join(', ')}])`;
    return new cloudwatch.MathExpression({
      expression: wrap ? wrap.replace(/agg/g, combined) : combined,
      usingMetrics,
      label: metricOptions.label ?? (this.shards > 1 ? `${label}, shard ${shard}` : label),
      period,
    });
  }
}
