import type { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { CacheEngine } from './cache-engine';

/** What a service needs to use a distributed cache: implemented by {@link DistributedCache}. */
export interface IDistributedCache extends ec2.IConnectable {
  /** Host name clients connect to: the primary endpoint (cluster mode off) or the configuration endpoint (cluster mode on). */
  readonly endpoint: string;
  /** Port the cache listens on (TLS). */
  readonly port: number;
  /** Secret of the application user: JSON `{ "username", "password", "user_arn" }`. */
  readonly secret: secretsmanager.ISecret;
  /** Whether clients must use a cluster-aware client (cluster mode on). */
  readonly clusterMode: boolean;
  /** Lets `grantee` read the application user's credentials. */
  grantConnect(grantee: iam.IGrantable): iam.Grant;
}

/** Connection settings to hand to a client: always TLS. */
export interface CacheConnectionSettings {
  /** Host name (primary or configuration endpoint). */
  readonly endpoint: string;
  /** Port. */
  readonly port: number;
  /** The application user's credentials (`username`, `password` keys). */
  readonly secret: secretsmanager.ISecret;
  /** Always true: the cache refuses plain-text connections. */
  readonly tls: true;
  /** Whether a cluster-aware client is needed. */
  readonly clusterMode: boolean;
}

/** Options of the `metricXxx` methods of {@link DistributedCache}. */
export interface CacheMetricOptions extends cloudwatch.MetricOptions {
  /**
   * Shard (node group) the metric covers, 1-based.
   * @default 1
   */
  readonly shard?: number;
}

/** Props of {@link DistributedCache}. */
export interface DistributedCacheProps {
  /** The VPC to run the cache nodes in. */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets of the cache nodes (one per AZ the nodes are spread over).
   * @default - the VPC's isolated subnets (`SubnetType.PRIVATE_ISOLATED`)
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Engine and version.
   * @default CacheEngine.VALKEY_8_1
   */
  readonly engine?: CacheEngine;
  /**
   * Node type (without the `cache.` prefix).
   * @default - r7g.large
   */
  readonly nodeType?: ec2.InstanceType;
  /**
   * Cluster mode: data partitioned over `shards` with a configuration endpoint (clients must be cluster-aware).
   * @default false
   */
  readonly clusterMode?: boolean;
  /**
   * Shards (node groups), 1 to 500; more than 1 needs `clusterMode`.
   * @default 1
   */
  readonly shards?: number;
  /**
   * Replicas per shard, 0 to 5, each in another AZ than its primary when the subnets allow it. Two replicas keep a
   * failover target after one AZ is lost and spread the nodes of a shard over three AZs.
   * @default 2
   */
  readonly replicasPerShard?: number;
  /**
   * Automatic failover to a replica with Multi-AZ. Turning it off (single-node caches for development) warns;
   * cluster mode needs it.
   * @default true
   */
  readonly automaticFailover?: boolean;
  /**
   * Port the nodes listen on (TLS).
   * @default 6379
   */
  readonly port?: number;
  /**
   * Eviction policy (`maxmemory-policy` parameter).
   * @default 'allkeys-lru'
   */
  readonly maxMemoryPolicy?: string;
  /**
   * Retention of the daily automatic snapshots, 7 to 35 whole days.
   * @default Duration.days(15) - the NIST 800-53 rev 5 pack's minimum
   */
  readonly snapshotRetention?: Duration;
  /**
   * Daily snapshot window, `hh24:mi-hh24:mi` UTC, at least 60 minutes, not overlapping the maintenance window.
   * @default '03:00-04:00'
   */
  readonly snapshotWindow?: string;
  /**
   * Weekly maintenance window, `ddd:hh24:mi-ddd:hh24:mi` UTC, at least 60 minutes.
   * @default 'sun:05:00-sun:06:00'
   */
  readonly preferredMaintenanceWindow?: string;
  /**
   * Retention of the slow-log and engine-log groups (KMS-encrypted, retained on stack deletion).
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Cache hit rate (percent, 1 to 99) below which the hit-rate alarm of each shard fires (3 periods of 5 minutes).
   * @default 60 - a shard whose serving node hits less than 60% of lookups for 15 minutes alarms
   */
  readonly hitRateTargetPercent?: number;
}

/**
 * The alarms of one shard (node group) of a {@link DistributedCache}, each linked to its runbook under
 * `alerts/cache/`; every one a warning evaluated on the shard's nodes combined.
 */
export interface CacheShardAlarms {
  /** The shard, 1-based (`0001` in node IDs). */
  readonly shard: number;
  /** `CacheHitRateLow`: hit rate below `hitRateTargetPercent` (default 60) for 3 periods of 5 minutes. */
  readonly hitRateAlarm: cloudwatch.Alarm;
  /** `CacheEvictionsHigh`: more than 1000 keys evicted per 5 minutes for 3 periods. */
  readonly evictionsAlarm: cloudwatch.Alarm;
  /** `CacheMemoryHigh`: data above 90% of `maxmemory` on a node for 3 periods of 5 minutes. */
  readonly memoryAlarm: cloudwatch.Alarm;
  /** `CacheEngineCpuHigh`: engine CPU above 80% on a node for 3 periods of 5 minutes. */
  readonly engineCpuAlarm: cloudwatch.Alarm;
  /** `CacheReplicationLagHigh`: a replica more than 1 s behind for 5 one-minute periods; only with replicas. */
  readonly replicationLagAlarm?: cloudwatch.Alarm;
}
