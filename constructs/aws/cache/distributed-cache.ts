import { Annotations, ArnFormat, Duration, Names, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { PlatformValidationError } from '../../core/errors';
import { requireIntegerInRange, requireNumberInRange, requireOneOf } from '../../core/validate';
import { acknowledgeShortLogRetention } from '../private/control-tower';
import { allowCloudWatchLogs, createDataKey, createEncryptedLogGroup } from '../private/encryption';
import { acknowledgeRoutedByComposer, createRunbookAlarm } from '../private/runbook-alarm';

/** Engine versions the construct knows a parameter group family for (ElastiCache node-based clusters with RBAC). */
const SUPPORTED_VERSIONS: Record<string, readonly string[]> = {
  valkey: ['7.2', '8.0', '8.1'],
  redis: ['6.2', '7.0', '7.1'],
};

/**
 * The engine of a {@link DistributedCache}: Valkey (the default) or Redis OSS, at a version ElastiCache runs with
 * role-based access control (Valkey 7.2+, Redis OSS 6.2+).
 */
export class CacheEngine {
  /** Valkey 8.1 (the default). */
  public static readonly VALKEY_8_1 = new CacheEngine('valkey', '8.1');
  /** Valkey 8.0. */
  public static readonly VALKEY_8_0 = new CacheEngine('valkey', '8.0');
  /** Valkey 7.2. */
  public static readonly VALKEY_7_2 = new CacheEngine('valkey', '7.2');
  /** Redis OSS 7.1. */
  public static readonly REDIS_7_1 = new CacheEngine('redis', '7.1');
  /** Redis OSS 6.2. */
  public static readonly REDIS_6_2 = new CacheEngine('redis', '6.2');

  /** Valkey at `version` (`major.minor`); the construct refuses a version it has no parameter group family for. */
  public static valkey(version: string): CacheEngine {
    return new CacheEngine('valkey', version);
  }

  /** Redis OSS at `version` (`major.minor`); the construct refuses a version it has no parameter group family for. */
  public static redis(version: string): CacheEngine {
    return new CacheEngine('redis', version);
  }

  private constructor(
    /** `valkey` or `redis`, as ElastiCache names the engine. */
    public readonly name: 'valkey' | 'redis',
    /** `major.minor`. */
    public readonly version: string,
  ) {}

  /** The parameter group family (`valkey8`, `redis7`, `redis6.x`). */
  public get parameterGroupFamily(): string {
    const major = this.version.split('.')[0];
    return this.name === 'redis' && major === '6' ? 'redis6.x' : `${this.name}${major}`;
  }

  /** `valkey 8.1`. */
  public toString(): string {
    return `${this.name} ${this.version}`;
  }
}

/** Eviction policies of the `maxmemory-policy` parameter. */
const MAXMEMORY_POLICIES = [
  'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'noeviction',
] as const;

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
   * Cache hit rate (percent) below which the hit-rate alarm fires: seed target of the L2 tier.
   * @default 60
   */
  readonly hitRateTargetPercent?: number;
}

/** Runbook paths of the alarms {@link DistributedCache} creates (each a committed `runbooks/<path>.md`). */
const RUNBOOKS = {
  hitRate: 'alerts/cache/CacheHitRateLow',
  evictions: 'alerts/cache/CacheEvictionsHigh',
  memory: 'alerts/cache/CacheMemoryHigh',
  engineCpu: 'alerts/cache/CacheEngineCpuHigh',
  replicationLag: 'alerts/cache/CacheReplicationLagHigh',
} as const;

/** Alarm thresholds (documented in the runbooks). */
const EVICTIONS_PER_5_MINUTES = 1000;
/** Seed: "Memory Usage >90% utilization". */
const MEMORY_PERCENT = 90;
/** Seed: "Saturation: CPU >80%". */
const ENGINE_CPU_PERCENT = 80;
const REPLICATION_LAG_SECONDS = 1;
/** The application user's name in the secret and in the engine's ACL. */
const APP_USERNAME = 'app';
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MINUTES_PER_DAY = 24 * 60;

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
  /** Every alarm the construct created, per shard: hit rate, evictions, memory, engine CPU, replication lag. */
  public readonly alarms: cloudwatch.Alarm[];

  private readonly shards: number;
  private readonly nodesPerShard: number;

  constructor(scope: Construct, id: string, props: DistributedCacheProps) {
    super(scope, id);
    const where = this.node.path;

    // ---- validation, before anything is built
    const engine = props.engine ?? CacheEngine.VALKEY_8_1;
    const supported = Object.entries(SUPPORTED_VERSIONS).flatMap(([name, versions]) => versions.map((v) => `${name} ${v}`));
    requireOneOf(where, 'engine', engine.toString(), supported);
    this.clusterMode = props.clusterMode ?? false;
    this.shards = props.shards ?? 1;
    requireIntegerInRange(where, 'shards', this.shards, 1, 500);
    if (this.shards > 1 && !this.clusterMode) {
      throw new PlatformValidationError(where, 'shards', this.shards, 'needs cluster mode',
        'set clusterMode: true to partition the data over several shards, or use 1 shard');
    }
    const replicas = props.replicasPerShard ?? 2;
    requireIntegerInRange(where, 'replicasPerShard', replicas, 0, 5);
    const automaticFailover = props.automaticFailover ?? true;
    if (automaticFailover && replicas === 0) {
      throw new PlatformValidationError(where, 'replicasPerShard', replicas, 'leaves automatic failover no replica to promote',
        'set replicasPerShard to 1 or more (2 keeps a standby after an AZ is lost), or set automaticFailover: false for a single-node development cache');
    }
    if (!automaticFailover && this.clusterMode) {
      throw new PlatformValidationError(where, 'automaticFailover', false, 'is required by cluster mode',
        'remove automaticFailover (it defaults to true) or set clusterMode: false');
    }
    this.port = props.port ?? 6379;
    requireIntegerInRange(where, 'port', this.port, 1024, 65535);
    const maxMemoryPolicy = requireOneOf(where, 'maxMemoryPolicy', props.maxMemoryPolicy ?? 'allkeys-lru', MAXMEMORY_POLICIES);
    const retentionDays = (props.snapshotRetention ?? Duration.days(15)).toDays({ integral: false });
    requireIntegerInRange(where, 'snapshotRetention (days)', retentionDays, 7, 35);
    const snapshotWindow = props.snapshotWindow ?? '03:00-04:00';
    const maintenanceWindow = props.preferredMaintenanceWindow ?? 'sun:05:00-sun:06:00';
    requireWindows(where, snapshotWindow, maintenanceWindow);
    const hitRateTarget = props.hitRateTargetPercent ?? 60;
    requireNumberInRange(where, 'hitRateTargetPercent', hitRateTarget, 1, 99);
    if (!automaticFailover) {
      Annotations.of(this).addWarningV2('platform:cache:no-failover',
        'automaticFailover is false: a node or AZ failure takes the cache down until ElastiCache replaces the node, and its data is lost since the last snapshot. Use automatic failover with replicas for production.');
    }
    this.nodesPerShard = 1 + replicas;
    requireCacheSubnets(where, props, automaticFailover);

    // ---- identifiers: derived from the path, so node IDs (and their metrics) are known at synth time
    const base = identifierOf(this);
    this.replicationGroupId = base;

    // ---- encryption and logs
    this.encryptionKey = createDataKey(this, 'Key', `${where} ElastiCache data at rest, snapshots, credentials and logs`);
    allowCloudWatchLogs(this.encryptionKey);
    const logRetention = props.logRetention ?? logs.RetentionDays.THREE_MONTHS;
    this.slowLogGroup = createEncryptedLogGroup(this, 'SlowLogs', { key: this.encryptionKey, retention: logRetention });
    this.engineLogGroup = createEncryptedLogGroup(this, 'EngineLogs', { key: this.encryptionKey, retention: logRetention });
    acknowledgeShortLogRetention(this.slowLogGroup, logRetention, 'Cache slow logs', 'logRetention');
    acknowledgeShortLogRetention(this.engineLogGroup, logRetention, 'Cache engine logs', 'logRetention');

    // ---- RBAC: a disabled `default` user (the engine requires one named so) and the application user
    const stack = Stack.of(this);
    const appUserId = `${base}-app`;
    const userArn = stack.formatArn({ service: 'elasticache', resource: 'user', resourceName: appUserId, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: `${where} ElastiCache application user credentials`,
      encryptionKey: this.encryptionKey,
      generateSecretString: {
        // The shape Secrets Manager's ElastiCache user rotation expects.
        secretStringTemplate: stack.toJsonString({ username: APP_USERNAME, user_arn: userArn }),
        generateStringKey: 'password',
        excludePunctuation: true,
        passwordLength: 64,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const defaultUser = new elasticache.CfnUser(this, 'DefaultUser', {
      engine: engine.name,
      userId: `${base}-default`,
      userName: 'default',
      // `off`: nobody can authenticate as this user; `-@all`: it could run no command anyway.
      accessString: 'off -@all',
      authenticationMode: { Type: 'no-password-required' },
    });
    this.appUser = new elasticache.CfnUser(this, 'AppUser', {
      engine: engine.name,
      userId: appUserId,
      userName: APP_USERNAME,
      // Every key and channel, every command except the dangerous ones (FLUSHALL, KEYS, CONFIG, DEBUG, ...).
      accessString: 'on ~* &* +@all -@dangerous',
      authenticationMode: { Type: 'password', Passwords: [this.secret.secretValueFromJson('password').unsafeUnwrap()] },
    });
    this.userGroup = new elasticache.CfnUserGroup(this, 'UserGroup', {
      engine: engine.name,
      userGroupId: `${base}-users`,
      userIds: [defaultUser.ref, this.appUser.ref],
    });

    // ---- network: isolated subnets, a security group with no ingress until connections allow it
    const vpcSubnets = props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    const selected = props.vpc.selectSubnets(vpcSubnets);
    const subnetGroup = new elasticache.CfnSubnetGroup(this, 'SubnetGroup', {
      description: `${where} cache subnets`,
      subnetIds: selected.subnetIds,
    });
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `${where} cache nodes: ingress only from what connections allows`,
      allowAllOutbound: false,
    });
    this.connections = new ec2.Connections({ securityGroups: [securityGroup], defaultPort: ec2.Port.tcp(this.port) });

    this.parameterGroup = new elasticache.CfnParameterGroup(this, 'ParameterGroup', {
      description: `${where} ${engine.toString()}`,
      cacheParameterGroupFamily: engine.parameterGroupFamily,
      properties: {
        'maxmemory-policy': maxMemoryPolicy,
        ...(this.clusterMode ? { 'cluster-enabled': 'yes' } : {}),
      },
    });

    // ---- placement: every shard's primary and replicas in distinct AZs, primaries rotated over the AZs
    const zones = selected.availabilityZones.filter((az) => !Token.isUnresolved(az));
    const zonesOfShard = (shard: number): string[] => Array.from({ length: this.nodesPerShard }, (_, n) => zones[(shard + n) % zones.length]);
    const nodeType = `cache.${(props.nodeType ?? ec2.InstanceType.of(ec2.InstanceClass.R7G, ec2.InstanceSize.LARGE)).toString()}`;
    const logDelivery = (logType: string, group: logs.LogGroup): elasticache.CfnReplicationGroup.LogDeliveryConfigurationRequestProperty => ({
      destinationType: 'cloudwatch-logs',
      destinationDetails: { cloudWatchLogsDetails: { logGroup: group.logGroupName } },
      logFormat: 'json',
      logType,
    });

    this.replicationGroup = new elasticache.CfnReplicationGroup(this, 'Resource', {
      replicationGroupId: base,
      replicationGroupDescription: `${where} ${engine.toString()}`,
      engine: engine.name,
      engineVersion: engine.version,
      cacheNodeType: nodeType,
      port: this.port,
      cacheSubnetGroupName: subnetGroup.ref,
      securityGroupIds: [securityGroup.securityGroupId],
      cacheParameterGroupName: this.parameterGroup.ref,
      clusterMode: this.clusterMode ? 'enabled' : 'disabled',
      automaticFailoverEnabled: automaticFailover,
      multiAzEnabled: automaticFailover,
      ...(this.clusterMode
        ? {
          numNodeGroups: this.shards,
          replicasPerNodeGroup: replicas,
          nodeGroupConfiguration: zones.length === 0 ? undefined : Array.from({ length: this.shards }, (_, s) => {
            const [primary, ...replicaZones] = zonesOfShard(s);
            return { nodeGroupId: shardId(s + 1), primaryAvailabilityZone: primary, replicaAvailabilityZones: replicaZones, replicaCount: replicas };
          }),
        }
        : {
          numCacheClusters: this.nodesPerShard,
          preferredCacheClusterAZs: zones.length === 0 ? undefined : zonesOfShard(0),
        }),
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      atRestEncryptionEnabled: true,
      kmsKeyId: this.encryptionKey.keyArn,
      userGroupIds: [this.userGroup.ref],
      snapshotRetentionLimit: retentionDays,
      snapshotWindow,
      preferredMaintenanceWindow: maintenanceWindow,
      autoMinorVersionUpgrade: true,
      logDeliveryConfigurations: [logDelivery('slow-log', this.slowLogGroup), logDelivery('engine-log', this.engineLogGroup)],
    });
    // DeletionPolicy and UpdateReplacePolicy Snapshot: CloudFormation takes a final snapshot before deleting or replacing.
    this.replicationGroup.applyRemovalPolicy(RemovalPolicy.SNAPSHOT);

    this.endpoint = this.clusterMode
      ? this.replicationGroup.attrConfigurationEndPointAddress
      : this.replicationGroup.attrPrimaryEndPointAddress;
    this.readerEndpoint = this.clusterMode ? undefined : this.replicationGroup.attrReaderEndPointAddress;

    acknowledgeFindings(this);
    this.alarms = this.createAlarms(hitRateTarget, replicas > 0);
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
      const nodeId = this.clusterMode ? `${this.replicationGroupId}-${shardId(shard)}-${pad(n, 3)}` : `${this.replicationGroupId}-${pad(n, 3)}`;
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

  /** Per shard: hit rate, evictions, memory, engine CPU and (with replicas) replication lag. */
  private createAlarms(hitRateTarget: number, withReplicas: boolean): cloudwatch.Alarm[] {
    const alarms: cloudwatch.Alarm[] = [];
    for (let shard = 1; shard <= this.shards; shard++) {
      const prefix = this.clusterMode ? `Shard${shardId(shard)}` : '';
      const of = this.clusterMode ? `shard ${shard} of ${this.node.path}` : this.node.path;
      alarms.push(createRunbookAlarm(this, `${prefix}HitRateAlarm`, {
        metric: this.metricCacheHitRate({ shard }),
        threshold: hitRateTarget,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 3,
        severity: 'warning',
        summary: `Cache hit rate of ${of} below ${hitRateTarget}% for 15 minutes.`,
        runbook: RUNBOOKS.hitRate,
      }));
      alarms.push(createRunbookAlarm(this, `${prefix}EvictionsAlarm`, {
        metric: this.metricEvictions({ shard }),
        threshold: EVICTIONS_PER_5_MINUTES,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        severity: 'warning',
        summary: `More than ${EVICTIONS_PER_5_MINUTES} keys evicted per 5 minutes from ${of} for 15 minutes.`,
        runbook: RUNBOOKS.evictions,
      }));
      alarms.push(createRunbookAlarm(this, `${prefix}MemoryAlarm`, {
        metric: this.metricMemoryUsage({ shard }),
        threshold: MEMORY_PERCENT,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        severity: 'warning',
        summary: `Data uses more than ${MEMORY_PERCENT}% of maxmemory on a node of ${of} for 15 minutes.`,
        runbook: RUNBOOKS.memory,
      }));
      alarms.push(createRunbookAlarm(this, `${prefix}EngineCpuAlarm`, {
        metric: this.metricEngineCpuUtilization({ shard }),
        threshold: ENGINE_CPU_PERCENT,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        severity: 'warning',
        summary: `Engine CPU above ${ENGINE_CPU_PERCENT}% on a node of ${of} for 15 minutes.`,
        runbook: RUNBOOKS.engineCpu,
      }));
      if (withReplicas) {
        alarms.push(createRunbookAlarm(this, `${prefix}ReplicationLagAlarm`, {
          metric: this.metricReplicationLag({ shard, period: Duration.minutes(1) }),
          threshold: REPLICATION_LAG_SECONDS,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 5,
          severity: 'warning',
          summary: `A replica of ${of} lags more than ${REPLICATION_LAG_SECONDS} s behind its primary for 5 minutes.`,
          runbook: RUNBOOKS.replicationLag,
        }));
      }
    }
    acknowledgeRoutedByComposer(alarms, 'DistributedCache.alarms');
    return alarms;
  }
}

/** `0001`: the node group ID of shard `n` (1-based). */
function shardId(n: number): string {
  return pad(n, 4);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * A lowercase identifier derived from the construct path, unique per stack and path, at most 32 characters, so
 * `<id>-default`, `<id>-users` and node IDs (`<id>-0001-001`) stay within ElastiCache's limits (40 and 50).
 */
function identifierOf(scope: Construct): string {
  return Names.uniqueResourceName(scope, { maxLength: 32, separator: '-', allowedSpecialCharacters: '-' })
    .toLowerCase()
    .replace(/-+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-$/, '');
}

/** Validates the daily snapshot and weekly maintenance windows: format, at least 60 minutes, no overlap. */
/**
 * The nodes' subnets exist (by default the VPC's isolated subnets) and, with Multi-AZ, span two AZs at least: a
 * Multi-AZ cache in one zone has no other zone to fail over to.
 */
function requireCacheSubnets(where: string, props: DistributedCacheProps, multiAz: boolean): void {
  if (props.vpcSubnets === undefined && props.vpc.isolatedSubnets.length === 0) {
    throw new PlatformValidationError(where, 'vpc', props.vpc.node.path, 'has no isolated subnets, where the cache nodes run by default',
      'use a VPC with PRIVATE_ISOLATED subnets in at least 2 availability zones (MultiAzNetwork builds them in 3), or pass vpcSubnets');
  }
  const selected = props.vpc.selectSubnets(props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED });
  const zones = [...new Set(selected.availabilityZones)].filter((az) => !Token.isUnresolved(az));
  if (multiAz && zones.length === 1) {
    const fix = 'use subnets in at least 2 availability zones (MultiAzNetwork builds 3), or set automaticFailover: false for a single-node development cache';
    if (props.vpcSubnets === undefined) {
      throw new PlatformValidationError(where, 'vpc', props.vpc.node.path,
        `has its isolated subnets in one availability zone (${zones[0]}): Multi-AZ automatic failover needs a replica in another zone`, fix);
    }
    throw new PlatformValidationError(where, 'vpcSubnets', zones,
      'select subnets in one availability zone: Multi-AZ automatic failover needs a replica in another zone', fix);
  }
}

function requireWindows(where: string, snapshotWindow: string, maintenanceWindow: string): void {
  const daily = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/.exec(snapshotWindow);
  if (!daily) {
    throw new PlatformValidationError(where, 'snapshotWindow', snapshotWindow, "is not of the form 'hh24:mi-hh24:mi'",
      "use a UTC window of at least 60 minutes such as '03:00-04:00'");
  }
  const snapStart = Number(daily[1]) * 60 + Number(daily[2]);
  const snapLength = (Number(daily[3]) * 60 + Number(daily[4]) - snapStart + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  if (snapLength < 60) {
    throw new PlatformValidationError(where, 'snapshotWindow', snapshotWindow, 'is shorter than 60 minutes',
      "use a UTC window of at least 60 minutes such as '03:00-04:00'");
  }
  const weekly = /^(sun|mon|tue|wed|thu|fri|sat):([01]\d|2[0-3]):([0-5]\d)-(sun|mon|tue|wed|thu|fri|sat):([01]\d|2[0-3]):([0-5]\d)$/.exec(maintenanceWindow);
  if (!weekly) {
    throw new PlatformValidationError(where, 'preferredMaintenanceWindow', maintenanceWindow, "is not of the form 'ddd:hh24:mi-ddd:hh24:mi'",
      "use a UTC window of at least 60 minutes such as 'sun:05:00-sun:06:00'");
  }
  const week = 7 * MINUTES_PER_DAY;
  const maintStart = DAYS.indexOf(weekly[1]) * MINUTES_PER_DAY + Number(weekly[2]) * 60 + Number(weekly[3]);
  const maintEnd = DAYS.indexOf(weekly[4]) * MINUTES_PER_DAY + Number(weekly[5]) * 60 + Number(weekly[6]);
  const maintLength = (maintEnd - maintStart + week) % week;
  if (maintLength < 60) {
    throw new PlatformValidationError(where, 'preferredMaintenanceWindow', maintenanceWindow, 'is shorter than 60 minutes',
      "use a UTC window of at least 60 minutes such as 'sun:05:00-sun:06:00'");
  }
  // The snapshot window recurs every day: it overlaps the maintenance window if any of its 7 occurrences does.
  const overlaps = (aStart: number, aLength: number, bStart: number, bLength: number): boolean => {
    const offset = (bStart - aStart + week) % week;
    return offset < aLength || (week - offset) % week < bLength;
  };
  for (let day = 0; day < 7; day++) {
    if (overlaps(maintStart, maintLength, day * MINUTES_PER_DAY + snapStart, snapLength)) {
      throw new PlatformValidationError(where, 'snapshotWindow', snapshotWindow, `overlaps preferredMaintenanceWindow ('${maintenanceWindow}')`,
        'move one of the windows so they do not overlap');
    }
  }
}

/** Findings that are not violations here, acknowledged on the narrowest construct with the reason. */
function acknowledgeFindings(cache: DistributedCache): void {
  Validations.of(cache.replicationGroup).acknowledge(
    {
      id: 'AwsSolutions-AEC5',
      reason: 'The cache listens on the engine default port unless port is set: a non-default port is obscurity, not a control; ingress is closed except to granted security groups, and clients need TLS and the RBAC user password.',
    },
    {
      id: 'AwsSolutions-AEC6',
      reason: 'Authentication is role-based access control (a user group with the default user disabled and a generated-password application user), which replaces the AUTH token this rule looks for; ElastiCache does not allow both.',
    },
  );
  Validations.of(cache.secret).acknowledge(
    {
      id: 'AwsSolutions-SMG4',
      reason: 'No rotation yet: AWS ships no hosted rotation (CloudFormation HostedRotationLambda or CDK HostedRotation) for ElastiCache users; the secret has the shape of the ElastiCache user rotation template (username, password, user_arn) so a rotation function can be attached through DistributedCache.secret.',
    },
    {
      id: 'NIST.800.53.R5-SecretsManagerRotationEnabled',
      reason: 'No rotation yet: AWS ships no hosted rotation for ElastiCache users; the secret has the shape of the ElastiCache user rotation template so one can be attached through DistributedCache.secret.',
    },
  );
}
