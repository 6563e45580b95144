import { Annotations, Duration, Names, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { IConstruct } from 'constructs';
import { PlatformValidationError } from '../../core/errors';
import { requireIntegerInRange, requireMinNotAboveMax, requireNumberInRange } from '../../core/validate';
import { allowCloudWatchLogs, createDataKey, createEncryptedLogGroup } from '../private/encryption';
import { acknowledgeRoutedByComposer, createRunbookAlarm } from '../private/runbook-alarm';
import { markForBackup } from '../private/stateful';

/** Aurora allows at most 15 replicas per cluster. */
const MAX_AURORA_REPLICAS = 15;
/**
 * The master user of the generated secret: not the engine's default (`postgres`), the first name an attacker
 * tries (AWS Control Tower CT.RDS.PR.21). Letters only, within every engine's 16-character limit. Changing it
 * replaces the cluster: it is fixed for the life of the platform.
 */
const MASTER_USERNAME = 'platformadmin';
/** The engine's default port, which the cluster and the proxy listen on. */
const POSTGRES_PORT = 5432;

/** Props of {@link AuroraDatabase}. */
export interface AuroraDatabaseProps {
  /** The VPC to run the cluster and the proxy in. */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets of the cluster instances and the proxy.
   * @default - the VPC's isolated subnets (`SubnetType.PRIVATE_ISOLATED`)
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Aurora PostgreSQL engine version.
   * @default AuroraPostgresEngineVersion.VER_16_13
   */
  readonly engineVersion?: rds.AuroraPostgresEngineVersion;
  /**
   * Instance type of the writer and the readers (provisioned instances). Mutually exclusive with the
   * Serverless v2 capacities.
   * @default - r7g.large, unless a Serverless v2 capacity is set
   */
  readonly instanceType?: ec2.InstanceType;
  /**
   * Minimum Aurora capacity units of each Serverless v2 instance, 0 to 256 in steps of 0.5. Setting either
   * capacity makes every instance Serverless v2.
   * @default - provisioned instances; 0.5 when only `serverlessV2MaxCapacity` is set
   */
  readonly serverlessV2MinCapacity?: number;
  /**
   * Maximum Aurora capacity units of each Serverless v2 instance, 1 to 256 in steps of 0.5.
   * @default - provisioned instances; 16 when only `serverlessV2MinCapacity` is set
   */
  readonly serverlessV2MaxCapacity?: number;
  /**
   * Reader instances created with the cluster, 1 to 15; each is a failover target in another AZ than the writer
   * when the subnets allow it.
   * @default 2
   */
  readonly readers?: number;
  /**
   * Upper bound of the reader count Aurora Auto Scaling may reach (`readers` is the lower bound), at most 15.
   * @default - 5, or `readers` when that is higher
   */
  readonly maxReaders?: number;
  /**
   * Average reader CPU utilization (percent, 10 to 90) that read-replica auto scaling keeps.
   * @default 70
   */
  readonly readerCpuTargetPercent?: number;
  /**
   * Retention of automated backups (point-in-time recovery window), 1 to 35 whole days.
   * @default Duration.days(14)
   */
  readonly backupRetention?: Duration;
  /**
   * Daily automated backup window, `hh24:mi-hh24:mi` UTC, at least 30 minutes, not overlapping the maintenance window.
   * @default '02:00-03:00'
   */
  readonly preferredBackupWindow?: string;
  /**
   * Weekly maintenance window, `ddd:hh24:mi-ddd:hh24:mi` UTC.
   * @default 'sun:04:00-sun:05:00'
   */
  readonly preferredMaintenanceWindow?: string;
  /**
   * Retention of the exported `postgresql` log group (KMS-encrypted, retained on stack deletion).
   * @default RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Name of the Aurora Global Database this cluster belongs to (cross-region replication, RPO ~1 s). With
   * `globalRole: 'primary'` this cluster creates it; with `'secondary'` it joins it as a read-only replica
   * in another region.
   * @default - a regional cluster, no global database
   */
  readonly globalClusterIdentifier?: string;
  /**
   * Role of this cluster in the global database.
   * @default 'primary' when `globalClusterIdentifier` is set
   */
  readonly globalRole?: GlobalDatabaseRole;
  /**
   * Forward writes issued on this secondary to the primary (active/active reads and occasional writes in
   * both regions). Only for `globalRole: 'secondary'`.
   * @default false
   */
  readonly writeForwarding?: boolean;
}

/** Role of a cluster in an Aurora Global Database. */
export type GlobalDatabaseRole = 'primary' | 'secondary';

/** Options of {@link AuroraDatabase.addGlobalReplicationLagAlarm}. */
export interface GlobalReplicationLagAlarmOptions {
  /**
   * The recovery point objective the global database must keep (e.g. the DR tier's RPO), 1 second or more. The alarm
   * fires when this secondary is further behind the primary than the RPO: a regional failover then would lose more
   * writes than the objective allows.
   */
  readonly rpo: Duration;
}

/** Consecutive one-minute maxima above the RPO before the lag alarm fires (one spike is not a breach). */
const GLOBAL_LAG_EVALUATION_MINUTES = 3;

/**
 * An Aurora PostgreSQL cluster built to lose nothing and survive an AZ: a writer and readers in distinct AZs
 * with promotion tiers, read-replica auto scaling on reader CPU, an RDS Proxy (IAM auth and TLS required) with
 * a read-only endpoint, storage, secret, logs and Performance Insights encrypted with one rotating customer key,
 * TLS forced by the parameter group, IAM database authentication, a rotated Secrets Manager master secret,
 * deletion protection, snapshot on removal, 14-day point-in-time recovery and the platform backup tag.
 *
 * Clients connect to `proxyEndpoint` (writes) or `proxyReadOnlyEndpoint` (reads) with an IAM token:
 * `database.connections.allowDefaultPortFrom(service)` opens the network, `database.grantConnect(service, 'app')`
 * grants `rds-db:connect`.
 */
export class AuroraDatabase extends Construct {
  /** The Aurora cluster. */
  public readonly cluster: rds.DatabaseCluster;
  /** The cluster identifier as a literal (derived from the construct path), for dashboards and drills. */
  public readonly clusterIdentifier: string;
  /** The RDS Proxy in front of the cluster (none on a global secondary: clients use IAM auth on the cluster). */
  public readonly proxy?: rds.DatabaseProxy;
  /**
   * The master user secret (generated, KMS-encrypted, rotated every 30 days). None on a global secondary: its
   * users and data are replicated from the primary, and clients authenticate with IAM.
   */
  public readonly secret?: secretsmanager.ISecret;
  /** The global database, when this cluster is its primary. */
  public readonly globalCluster?: rds.CfnGlobalCluster;
  /** Role in the global database, when there is one. */
  public readonly globalRole?: GlobalDatabaseRole;
  /** Customer-managed key (rotating, retained) of storage, secret, Performance Insights and logs. */
  public readonly encryptionKey: kms.Key;
  /**
   * Network access on the database port to what clients connect to: the proxy (both endpoints), or the cluster
   * itself on a global secondary.
   */
  public readonly connections: ec2.Connections;
  /** Writer endpoint of the cluster (direct, bypassing the proxy). */
  public readonly writerEndpoint: rds.Endpoint;
  /** Load-balanced reader endpoint of the cluster (direct, bypassing the proxy). */
  public readonly readerEndpoint: rds.Endpoint;
  /** Read/write endpoint of the proxy (host name), when there is a proxy. */
  public readonly proxyEndpoint?: string;
  /** Read-only endpoint of the proxy, routing to the readers (host name), when there is a proxy. */
  public readonly proxyReadOnlyEndpoint?: string;
  /**
   * The database user clients sign in as with an IAM token: through the proxy, the user whose secret the proxy holds
   * (the master user, the only secret this construct registers with it); on a global secondary, the same replicated
   * user, which needs the `rds_iam` role in the database to sign in to the cluster directly (see {@link grantConnect}).
   */
  public readonly clientUser: string = MASTER_USERNAME;
  /** Host name clients write to: the proxy's read/write endpoint, or the cluster endpoint of a global secondary. */
  public readonly clientEndpoint: string;
  /** Host name clients read from: the proxy's read-only endpoint, or the reader endpoint of a global secondary. */
  public readonly clientReadOnlyEndpoint: string;
  /** Log group of the `postgresql` log export (KMS-encrypted, retained). */
  public readonly logGroup: logs.LogGroup;
  /** Application Auto Scaling target of the reader count. */
  public readonly readerScaling: appscaling.ScalableTarget;
  /** Alarm on the replica lag of the readers (runbook `alerts/database/AuroraReplicaLagHigh`). */
  public readonly replicaLagAlarm: cloudwatch.Alarm;
  private globalReplicationLagAlarm?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: AuroraDatabaseProps) {
    super(scope, id);
    const where = this.node.path;

    // ---- validation, before anything is built
    const globalRole = globalRoleOf(where, props);
    const secondary = globalRole === 'secondary';
    const readers = props.readers ?? 2;
    // A global secondary may run its writer-to-be alone (pilot light): replication needs no reader.
    requireIntegerInRange(where, 'readers', readers, secondary ? 0 : 1, MAX_AURORA_REPLICAS);
    const maxReaders = props.maxReaders ?? Math.max(5, readers);
    requireIntegerInRange(where, 'maxReaders', maxReaders, 1, MAX_AURORA_REPLICAS);
    requireMinNotAboveMax(where, 'readers', readers, 'maxReaders', maxReaders);
    this.globalRole = globalRole;
    const readerCpuTargetPercent = props.readerCpuTargetPercent ?? 70;
    requireNumberInRange(where, 'readerCpuTargetPercent', readerCpuTargetPercent, 10, 90);
    const retentionDays = (props.backupRetention ?? Duration.days(14)).toDays({ integral: false });
    requireIntegerInRange(where, 'backupRetention (days)', retentionDays, 1, 35);
    const serverless = serverlessCapacity(where, props);
    if (readers < 2 && !secondary) {
      Annotations.of(this).addWarningV2('platform:aurora:single-reader',
        `readers is ${readers}: after a failover the cluster runs without a standby until a new reader is up. Use 2 or more readers for production.`);
    }

    // ---- encryption
    this.encryptionKey = createDataKey(this, 'Key', `${where} Aurora storage, secret, Performance Insights and logs`);
    allowCloudWatchLogs(this.encryptionKey);

    // ---- logs: the export's log group exists (encrypted, with retention) before the cluster writes to it
    const clusterIdentifier = clusterIdentifierOf(this);
    this.clusterIdentifier = clusterIdentifier;
    this.logGroup = createEncryptedLogGroup(this, 'PostgresqlLogs', {
      key: this.encryptionKey,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      logGroupName: `/aws/rds/cluster/${clusterIdentifier}/postgresql`,
    });

    // ---- instances: writer tier 0, readers tiers 1..n, spread over the subnets' AZs
    const vpcSubnets = props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    const zones = props.vpc.selectSubnets(vpcSubnets).availabilityZones.filter((az) => !Token.isUnresolved(az));
    const zoneOf = (index: number): string | undefined => (zones.length > 0 ? zones[index % zones.length] : undefined);
    const instanceType = props.instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.R7G, ec2.InstanceSize.LARGE);
    // Performance Insights per instance as on the cluster (Database Insights advanced mode), so nothing is overridden.
    const insights = {
      enablePerformanceInsights: true,
      performanceInsightRetention: rds.PerformanceInsightRetention.MONTHS_15,
      performanceInsightEncryptionKey: this.encryptionKey,
    };
    const writer = serverless
      ? rds.ClusterInstance.serverlessV2('Writer', { ...insights, availabilityZone: zoneOf(0), publiclyAccessible: false })
      : rds.ClusterInstance.provisioned('Writer', { ...insights, instanceType, promotionTier: 0, availabilityZone: zoneOf(0), publiclyAccessible: false });
    const readerInstances = Array.from({ length: readers }, (_, i) => {
      const readerId = `Reader${i + 1}`;
      const common = { ...insights, availabilityZone: zoneOf(i + 1), publiclyAccessible: false };
      // Serverless v2 readers scale with the writer (tier 1) so any of them can take over at full capacity.
      return serverless
        ? rds.ClusterInstance.serverlessV2(readerId, { ...common, scaleWithWriter: true })
        : rds.ClusterInstance.provisioned(readerId, { ...common, instanceType, promotionTier: i + 1 });
    });

    this.cluster = new rds.DatabaseCluster(this, 'Cluster', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: props.engineVersion ?? rds.AuroraPostgresEngineVersion.VER_16_13 }),
      clusterIdentifier,
      port: POSTGRES_PORT,
      writer,
      readers: readerInstances,
      serverlessV2MinCapacity: serverless?.min,
      serverlessV2MaxCapacity: serverless?.max,
      vpc: props.vpc,
      vpcSubnets,
      credentials: rds.Credentials.fromGeneratedSecret(MASTER_USERNAME, { encryptionKey: this.encryptionKey }),
      storageEncryptionKey: this.encryptionKey,
      iamAuthentication: true,
      parameters: { 'rds.force_ssl': '1' },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
      backup: { retention: Duration.days(retentionDays), preferredWindow: props.preferredBackupWindow ?? '02:00-03:00' },
      preferredMaintenanceWindow: props.preferredMaintenanceWindow ?? 'sun:04:00-sun:05:00',
      copyTagsToSnapshot: true,
      deleteAutomatedBackups: false,
      cloudwatchLogsExports: ['postgresql'],
      monitoringInterval: Duration.seconds(60),
      databaseInsightsMode: rds.DatabaseInsightsMode.ADVANCED,
      performanceInsightRetention: rds.PerformanceInsightRetention.MONTHS_15,
      performanceInsightEncryptionKey: this.encryptionKey,
      autoMinorVersionUpgrade: true,
      instanceUpdateBehaviour: rds.InstanceUpdateBehaviour.ROLLING,
    });
    const cfnCluster = this.cluster.node.defaultChild as rds.CfnDBCluster;
    // Only the DB cluster resource: the whole construct would pull the proxy role (granted on the key) into a cycle.
    cfnCluster.node.addDependency(this.logGroup);
    // The backup plan selects the cluster (Aurora backs up at cluster level), not its instances or proxy.
    markForBackup(cfnCluster);
    this.writerEndpoint = this.cluster.clusterEndpoint;
    this.readerEndpoint = this.cluster.clusterReadEndpoint;
    const instances = ['Writer', ...readerInstances.map((_, i) => `Reader${i + 1}`)].map((child) => this.cluster.node.findChild(child));

    if (globalRole === 'primary' && props.globalClusterIdentifier) {
      this.globalCluster = new rds.CfnGlobalCluster(this, 'GlobalCluster', {
        globalClusterIdentifier: props.globalClusterIdentifier,
        sourceDbClusterIdentifier: this.cluster.clusterArn,
        deletionProtection: true,
      });
      this.globalCluster.applyRemovalPolicy(RemovalPolicy.RETAIN);
    }
    if (secondary) {
      // A secondary joins the global database: its storage, users and passwords come from the primary, so it
      // has no master credentials, no secret of its own to rotate, and no proxy holding such a secret.
      cfnCluster.globalClusterIdentifier = props.globalClusterIdentifier;
      cfnCluster.addPropertyDeletionOverride('MasterUsername');
      cfnCluster.addPropertyDeletionOverride('MasterUserPassword');
      this.cluster.node.tryRemoveChild('Secret');
      if (props.writeForwarding) cfnCluster.enableGlobalWriteForwarding = true;
      acknowledgeClusterFindings(this.cluster, instances);
      // The cluster's own security group, with the port as a literal so rules opened on it are evaluable.
      this.connections = new ec2.Connections({
        securityGroups: this.cluster.connections.securityGroups,
        defaultPort: ec2.Port.tcp(POSTGRES_PORT),
      });
      this.clientEndpoint = this.writerEndpoint.hostname;
      this.clientReadOnlyEndpoint = this.readerEndpoint.hostname;
    } else {
      const primary = this.primaryClientPath(props, instances);
      this.secret = primary.secret;
      this.proxy = primary.proxy;
      this.proxyEndpoint = primary.proxy.endpoint;
      this.proxyReadOnlyEndpoint = primary.readOnlyEndpoint;
      this.connections = primary.connections;
      this.clientEndpoint = this.proxyEndpoint;
      this.clientReadOnlyEndpoint = this.proxyReadOnlyEndpoint;
    }

    this.readerScaling = this.addReaderScaling(cfnCluster, instances, readers, maxReaders, readerCpuTargetPercent);
    this.replicaLagAlarm = this.addReplicaLagAlarm();
  }

  /** Master secret (retained, rotated) and the RDS Proxy with its read-only endpoint: the clients' way in. */
  private primaryClientPath(props: AuroraDatabaseProps, instances: IConstruct[]) {
    const where = this.node.path;
    const clusterIdentifier = clusterIdentifierOf(this);
    const vpcSubnets = props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    if (!this.cluster.secret) {
      throw new Error(`${where}: the cluster has no secret although credentials were generated (aws-cdk-lib contract changed)`);
    }
    const secret = this.cluster.secret;
    // The master password outlives the stack like the snapshot it opens (`cluster.secret` is the attachment).
    const generatedSecret = this.cluster.node.tryFindChild('Secret');
    if (!(generatedSecret instanceof rds.DatabaseSecret)) {
      throw new Error(`${where}: the generated DatabaseSecret was not found under the cluster (aws-cdk-lib contract changed)`);
    }
    generatedSecret.applyRemovalPolicy(RemovalPolicy.RETAIN);
    // Single-user rotation through the Secrets Manager SAR application (AWS::Serverless transform, resolved by
    // CloudFormation at deploy time): synthesizes offline, runs in the cluster's subnets, reaches Secrets Manager
    // through the VPC's interface endpoint. The L2 opens the cluster's port to the rotation function only.
    this.cluster.addRotationSingleUser({ automaticallyAfter: Duration.days(30) });

    // ---- proxy: IAM auth and TLS required, a read/write and a read-only endpoint on one security group
    const proxySecurityGroup = new ec2.SecurityGroup(this, 'ProxySecurityGroup', {
      vpc: props.vpc,
      description: `${where} RDS Proxy: ingress only from what connections.allowDefaultPortFrom() allows`,
    });
    const proxy = this.cluster.addProxy('Proxy', {
      vpc: props.vpc,
      vpcSubnets,
      securityGroups: [proxySecurityGroup],
      secrets: [secret],
      iamAuth: true,
      requireTLS: true,
      clientPasswordAuthType: rds.ClientPasswordAuthType.POSTGRES_SCRAM_SHA_256,
      dbProxyName: `${clusterIdentifier.slice(0, 54).replace(/-$/, '')}-proxy`,
    });
    acknowledgeProxyFindings(proxy);
    acknowledgeClusterFindings(this.cluster, instances);
    const readOnlyEndpoint = proxy.addEndpoint('ReadOnlyEndpoint', {
      vpc: props.vpc,
      vpcSubnets,
      securityGroups: [proxySecurityGroup],
      targetRole: rds.ProxyEndpointTargetRole.READ_ONLY,
    });
    const connections = new ec2.Connections({
      securityGroups: [proxySecurityGroup],
      defaultPort: ec2.Port.tcp(POSTGRES_PORT),
    });
    return { secret, proxy, readOnlyEndpoint: readOnlyEndpoint.endpoint, connections };
  }

  /** Read-replica auto scaling on the readers' average CPU. */
  private addReaderScaling(cfnCluster: rds.CfnDBCluster, instances: IConstruct[], readers: number, maxReaders: number, targetPercent: number): appscaling.ScalableTarget {
    const stack = Stack.of(this);
    const readerScaling = new appscaling.ScalableTarget(this, 'ReaderScaling', {
      serviceNamespace: appscaling.ServiceNamespace.RDS,
      scalableDimension: 'rds:cluster:ReadReplicaCount',
      resourceId: `cluster:${this.cluster.clusterIdentifier}`,
      minCapacity: readers,
      maxCapacity: maxReaders,
      // Application Auto Scaling uses (and creates on first use) its service-linked role for RDS clusters.
      role: iam.Role.fromRoleArn(this, 'ReaderScalingRole',
        `arn:${stack.partition}:iam::${stack.account}:role/aws-service-role/rds.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_RDSCluster`,
        { mutable: false }),
    });
    // Scaling starts once every declared instance exists.
    readerScaling.node.addDependency(cfnCluster, ...instances);
    readerScaling.scaleToTrackMetric('ReaderCpu', {
      predefinedMetric: appscaling.PredefinedMetric.RDS_READER_AVERAGE_CPU_UTILIZATION,
      targetValue: targetPercent,
      scaleOutCooldown: Duration.minutes(5),
      scaleInCooldown: Duration.minutes(15),
    });
    return readerScaling;
  }

  /** Alarm on reader lag (observability proper comes with the monitoring facade). */
  private addReplicaLagAlarm(): cloudwatch.Alarm {
    const where = this.node.path;
    const alarm = createRunbookAlarm(this, 'ReplicaLagAlarm', {
      metric: this.metricReplicaLag({ period: Duration.minutes(1) }),
      threshold: 1000,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 5,
      severity: 'warning',
      summary: `Aurora replica lag of ${where} above 1 s for 5 minutes: reads are stale and failover may lose the lagging reader's warm cache.`,
      runbook: 'alerts/database/AuroraReplicaLagHigh',
    });
    acknowledgeRoutedByComposer([alarm], 'AuroraDatabase.replicaLagAlarm');
    return alarm;
  }

  /**
   * Grant `grantee` `rds-db:connect` as `dbUser` through the proxy (IAM authentication). The network path is
   * opened separately with `connections.allowDefaultPortFrom(...)`; `dbUser` must be a user whose credentials
   * are among the proxy's secrets (the master user `postgres` unless more secrets are added to `proxy`).
   * For direct access to the cluster (IAM database authentication is on), use `cluster.grantConnect`.
   */
  public grantConnect(grantee: iam.IGrantable, dbUser: string): iam.Grant {
    return this.proxy ? this.proxy.grantConnect(grantee, dbUser) : this.cluster.grantConnect(grantee, dbUser);
  }

  /** CPU utilization of the cluster's instances (percent, average over 5 minutes). */
  public metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metricCPUUtilization(props);
  }

  /** Open database connections (average over 5 minutes). */
  public metricDatabaseConnections(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metricDatabaseConnections(props);
  }

  /** Lag of the readers behind the writer, `AuroraReplicaLag` in milliseconds (maximum over 5 minutes). */
  public metricReplicaLag(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metric('AuroraReplicaLag', { statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  /** Freeable memory of the instances in bytes (average over 5 minutes). */
  public metricFreeableMemory(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metricFreeableMemory(props);
  }

  /**
   * How far this global secondary is behind the primary for user transactions, `AuroraGlobalDBRPOLag` in
   * milliseconds (namespace `AWS/RDS`, dimension `DBClusterIdentifier` of this secondary cluster; maximum over
   * 5 minutes). Published in the secondary region only, by the secondary cluster.
   */
  public metricGlobalRpoLag(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metric('AuroraGlobalDBRPOLag', { statistic: cloudwatch.Stats.MAXIMUM, ...props });
  }

  /**
   * Alarm (warning, runbook `alerts/dr/AuroraGlobalReplicationLagHigh`) when this global secondary lags the primary
   * by more than `rpo`: the threshold is the RPO itself in milliseconds, on the one-minute maximum of
   * `AuroraGlobalDBRPOLag` (the lag of user transactions, what a failover loses), for 3 consecutive minutes.
   * Warning, not critical: the service is not impaired, the recovery point is; a page-level composite would also
   * mark this region unhealthy for the Region switch plan. Only on a global secondary; called once.
   */
  public addGlobalReplicationLagAlarm(options: GlobalReplicationLagAlarmOptions): cloudwatch.Alarm {
    const where = this.node.path;
    if (this.globalRole !== 'secondary') {
      throw new PlatformValidationError(where, 'globalRole', this.globalRole ?? 'none (a regional cluster)',
        'publishes no cross-region replication lag: AuroraGlobalDBRPOLag comes from a global secondary',
        "call addGlobalReplicationLagAlarm() on the AuroraDatabase with globalRole: 'secondary'");
    }
    if (this.globalReplicationLagAlarm) {
      throw new PlatformValidationError(where, 'addGlobalReplicationLagAlarm()', 2, 'calls: the replication lag alarm already exists',
        'call addGlobalReplicationLagAlarm() once, with the RPO of the DR tier');
    }
    const rpoMs = options.rpo.toMilliseconds();
    if (!Number.isInteger(rpoMs) || rpoMs < 1000) {
      throw new PlatformValidationError(where, 'rpo (milliseconds)', rpoMs, 'is below 1 second (Aurora Global Database replicates with typical lag under a second)',
        'pass the RPO of the DR tier, e.g. Duration.seconds(60)');
    }
    const alarm = createRunbookAlarm(this, 'GlobalReplicationLagAlarm', {
      metric: this.metricGlobalRpoLag({ period: Duration.minutes(1) }),
      threshold: rpoMs,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: GLOBAL_LAG_EVALUATION_MINUTES,
      severity: 'warning',
      summary: `Aurora Global Database lag of ${where} above the RPO (${options.rpo.toHumanString()}) for ${GLOBAL_LAG_EVALUATION_MINUTES} minutes: a regional failover now would lose more writes than the RPO allows.`,
      runbook: 'alerts/dr/AuroraGlobalReplicationLagHigh',
    });
    acknowledgeRoutedByComposer([alarm], 'the return value of AuroraDatabase.addGlobalReplicationLagAlarm()');
    this.globalReplicationLagAlarm = alarm;
    return alarm;
  }
}

/** The validated global-database role, or undefined for a regional cluster. */
function globalRoleOf(where: string, props: AuroraDatabaseProps): GlobalDatabaseRole | undefined {
  if (props.globalClusterIdentifier === undefined) {
    if (props.globalRole !== undefined || props.writeForwarding !== undefined) {
      const prop = props.globalRole !== undefined ? 'globalRole' : 'writeForwarding';
      throw new PlatformValidationError(where, prop, props[prop], 'needs globalClusterIdentifier',
        'set globalClusterIdentifier to the Aurora Global Database name, or drop ' + prop);
    }
    return undefined;
  }
  if (!/^[a-zA-Z][a-zA-Z0-9-]{0,62}$/.test(props.globalClusterIdentifier) || /--|-$/.test(props.globalClusterIdentifier)) {
    throw new PlatformValidationError(where, 'globalClusterIdentifier', props.globalClusterIdentifier, 'is not a valid global cluster identifier',
      'use 1-63 letters, digits and single dashes, starting with a letter, e.g. checkout-global');
  }
  const role = props.globalRole ?? 'primary';
  if (role !== 'primary' && role !== 'secondary') {
    throw new PlatformValidationError(where, 'globalRole', role, 'is not a global database role', 'use primary or secondary');
  }
  if (props.writeForwarding && role !== 'secondary') {
    throw new PlatformValidationError(where, 'writeForwarding', true, 'only applies to a global secondary (the primary takes writes itself)',
      "set globalRole: 'secondary' on the cluster in the other region, or drop writeForwarding");
  }
  return role;
}

/** Validated Serverless v2 capacities, or undefined for provisioned instances. */
function serverlessCapacity(where: string, props: AuroraDatabaseProps): { min: number; max: number } | undefined {
  if (props.serverlessV2MinCapacity === undefined && props.serverlessV2MaxCapacity === undefined) return undefined;
  if (props.instanceType !== undefined) {
    throw new PlatformValidationError(where, 'instanceType', props.instanceType.toString(),
      'is set together with serverlessV2MinCapacity/serverlessV2MaxCapacity',
      'set instanceType for provisioned instances or the Serverless v2 capacities, not both');
  }
  const min = props.serverlessV2MinCapacity ?? 0.5;
  const max = props.serverlessV2MaxCapacity ?? Math.max(16, min);
  requireHalfStep(where, 'serverlessV2MinCapacity', min, 0);
  requireHalfStep(where, 'serverlessV2MaxCapacity', max, 1);
  requireMinNotAboveMax(where, 'serverlessV2MinCapacity', min, 'serverlessV2MaxCapacity', max);
  return { min, max };
}

/** An ACU value from `lowest` to 256 in steps of 0.5. */
function requireHalfStep(where: string, prop: string, value: number, lowest: number): void {
  if (!Number.isFinite(value) || value < lowest || value > 256 || !Number.isInteger(value * 2)) {
    throw new PlatformValidationError(where, prop, value, `must be from ${lowest} to 256 in steps of 0.5`,
      `set ${prop} to a value such as ${lowest === 0 ? '0.5' : '2'}, 8 or 16.5`);
  }
}

/**
 * A cluster identifier derived from the construct path (stable, unique per stack and path, lowercase as RDS
 * stores it): the log group of the export can then be created, encrypted, before the cluster.
 */
function clusterIdentifierOf(scope: Construct): string {
  return Names.uniqueResourceName(scope, { maxLength: 63, separator: '-', allowedSpecialCharacters: '-' })
    .toLowerCase()
    .replace(/-+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-$/, '');
}

/**
 * Findings on the L2's children that are not violations here, acknowledged on the narrowest construct.
 * `instances` are the writer and reader constructs.
 */
function acknowledgeClusterFindings(cluster: rds.DatabaseCluster, instances: IConstruct[]): void {
  Validations.of(cluster.node.defaultChild as IConstruct).acknowledge({
    id: 'AwsSolutions-RDS11',
    reason: 'PostgreSQL listens on its default port 5432; a non-default port is obscurity, not a control: ingress is closed except to the proxy and the rotation function, and clients need an IAM token and TLS.',
  });
  if (cluster.monitoringRole) {
    Validations.of(cluster.monitoringRole).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]',
      reason: 'Enhanced monitoring role: AmazonRDSEnhancedMonitoringRole is the AWS managed policy made for exactly this role (RDSOSMetrics log streams only) and tracks service changes.',
    });
  }
  for (const instance of instances) {
    Validations.of(instance.node.defaultChild ?? instance).acknowledge({
      id: 'CloudFormation-Validate::W3010',
      reason: 'Instances are pinned to distinct zones on purpose (writer and readers never share an AZ); the zones come from the platform config, not a lookup.',
    });
    Validations.of(instance).acknowledge({
      id: 'NIST.800.53.R5-RDSInBackupPlan',
      reason: 'Aurora is backed up per cluster, not per instance: the DB cluster carries the platform:backup tag the platform AWS Backup plan selects on (a tag selection cdk-nag cannot resolve), plus 1-35 days of automated PITR backups.',
    });
  }
  // Ingress rules the L2 opens on the cluster port (taken from the cluster's Endpoint.Port attribute) for the proxy and
  // the rotation function: sources are security groups, never CIDRs, but the rules cannot evaluate a token port.
  const clusterSecurityGroup = cluster.connections.securityGroups[0];
  for (const rule of clusterSecurityGroup?.node.children ?? []) {
    if (rule instanceof ec2.CfnSecurityGroupIngress) {
      for (const id of ['NIST.800.53.R5-EC2RestrictedCommonPorts', 'NIST.800.53.R5-EC2RestrictedSSH']) {
        Validations.of(rule).acknowledge({
          id,
          reason: 'Ingress on the PostgreSQL port (5432, rendered as a GetAtt of the cluster port) from a security group of this construct only, never from a CIDR; the rule cannot evaluate the intrinsic port.',
        });
      }
    }
  }
}

/** The L2 proxy role's inline policy. */
function acknowledgeProxyFindings(proxy: rds.DatabaseProxy): void {
  const policy = proxy.node.tryFindChild('IAMRole')?.node.tryFindChild('DefaultPolicy');
  if (policy) {
    Validations.of(policy).acknowledge({
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason: "The proxy role's policy is generated by the L2 and scoped to this cluster's one secret and its key (secretsmanager:GetSecretValue/DescribeSecret, kms:Decrypt); a managed policy would be shared and broader.",
    });
  }
}
