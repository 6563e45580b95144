import type * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { allowCloudWatchLogs, createDataKey, createEncryptedLogGroup } from '../private/encryption';
import type { IAuroraDatabase } from './aurora-database-ref';
import type { AuroraDatabaseProps, GlobalDatabaseRole, GlobalReplicationLagAlarmOptions } from './aurora-database-props';
import { acknowledgeAuroraDatabaseFindings } from './private/acknowledge-aurora-database-findings';
import { createGlobalReplicationLagAlarm, createReplicaLagAlarm } from './private/aurora-alarms';
import { MASTER_USERNAME, clusterIdentifierOf, createAuroraCluster } from './private/aurora-cluster';
import { createGlobalCluster, joinGlobalCluster } from './private/aurora-global-cluster';
import { WRITE_FORWARDING_CONNECTIONS_PERCENT, createProxyClientPath, retainAndRotateMasterSecret } from './private/aurora-proxy';
import { createReaderScaling } from './private/aurora-reader-scaling';
import { validateAuroraDatabaseProps, validateGlobalReplicationLagAlarmOptions } from './private/validate-aurora-database-props';

export type { AuroraDatabaseProps, GlobalDatabaseRole, GlobalReplicationLagAlarmOptions } from './aurora-database-props';

/**
 * An Aurora PostgreSQL cluster built to lose nothing and survive an AZ: a writer and readers in distinct AZs
 * with promotion tiers, read-replica auto scaling on reader CPU, an RDS Proxy (IAM auth and TLS required) with
 * a read-only endpoint, storage, secret, logs and Performance Insights encrypted with one rotating customer key,
 * TLS forced by the parameter group, IAM database authentication, a rotated Secrets Manager master secret,
 * deletion protection, snapshot on removal, 14-day point-in-time recovery and the platform backup tag.
 *
 * A global secondary gets the same proxy, logging in with the primary's master secret replicated to its region
 * (`proxySecret`): its read-only endpoint serves reads from the replica at once, its read/write endpoint fails until
 * the cluster is promoted and then sends writes to the new writer, so the clients' settings survive a failover.
 *
 * Clients connect to `proxyEndpoint` (writes) or `proxyReadOnlyEndpoint` (reads) with an IAM token:
 * `database.connections.allowDefaultPortFrom(service)` opens the network, `database.grantConnect(service, 'app')`
 * grants `rds-db:connect`.
 */
export class AuroraDatabase extends Construct implements IAuroraDatabase {
  /** The Aurora cluster. */
  public readonly cluster: rds.DatabaseCluster;
  /** The cluster identifier as a literal (derived from the construct path), for dashboards and drills. */
  public readonly clusterIdentifier: string;
  /**
   * The RDS Proxy in front of the cluster (IAM auth and TLS required). On a global secondary it logs in with
   * `proxySecret`, the primary's master secret replicated to this region.
   */
  public readonly proxy: rds.DatabaseProxy;
  /**
   * The master user secret (generated, KMS-encrypted, rotated every 30 days, replicated to `secretReplicaRegions`).
   * None on a global secondary: its users and data are replicated from the primary, and its proxy holds the
   * primary's secret (`proxySecret`).
   */
  public readonly secret?: secretsmanager.ISecret;
  /** The global database, when this cluster is its primary. */
  public readonly globalCluster?: rds.CfnGlobalCluster;
  /** Role in the global database, when there is one. */
  public readonly globalRole?: GlobalDatabaseRole;
  /** Customer-managed key (rotating, retained) of storage, secret, Performance Insights and logs. */
  public readonly encryptionKey: kms.Key;
  /** Network access on the database port to what clients connect to: the proxy (both endpoints). */
  public readonly connections: ec2.Connections;
  /** Writer endpoint of the cluster (direct, bypassing the proxy). */
  public readonly writerEndpoint: rds.Endpoint;
  /** Load-balanced reader endpoint of the cluster (direct, bypassing the proxy). */
  public readonly readerEndpoint: rds.Endpoint;
  /** Read/write endpoint of the proxy (host name); on a global secondary it takes requests once the cluster is promoted. */
  public readonly proxyEndpoint: string;
  /** Read-only endpoint of the proxy, routing to the readers (host name). */
  public readonly proxyReadOnlyEndpoint: string;
  /**
   * The database user clients sign in as with an IAM token through the proxy: the user whose secret the proxy holds
   * (the master user, the only secret this construct registers with it; on a global secondary the same user,
   * replicated with the data, and its password from the replicated secret).
   */
  public readonly clientUser: string = MASTER_USERNAME;
  /**
   * Host name clients write to: the proxy's read/write endpoint (on a global secondary, usable once the cluster is
   * promoted).
   */
  public readonly clientEndpoint: string;
  /** Host name clients read from: the proxy's read-only endpoint. */
  public readonly clientReadOnlyEndpoint: string;
  /** Log group of the `postgresql` log export (KMS-encrypted, retained). */
  public readonly logGroup: logs.LogGroup;
  /** Application Auto Scaling target of the reader count. */
  public readonly readerScaling: appscaling.ScalableTarget;
  /** Alarm on the replica lag of the readers (runbook `alerts/database/AuroraReplicaLagHigh`). */
  public readonly replicaLagAlarm: cloudwatch.Alarm;
  private globalLagAlarm?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: AuroraDatabaseProps) {
    super(scope, id);
    const where = this.node.path;
    // Validation before anything is built.
    const settings = validateAuroraDatabaseProps(this, props);
    this.globalRole = settings.globalRole;

    // Encryption, then the export's log group: it exists (encrypted, with retention) before the cluster writes to it.
    this.encryptionKey = createDataKey(this, 'Key', `${where} Aurora storage, secret, Performance Insights and logs`);
    allowCloudWatchLogs(this.encryptionKey);
    this.clusterIdentifier = clusterIdentifierOf(this);
    this.logGroup = createEncryptedLogGroup(this, 'PostgresqlLogs', {
      key: this.encryptionKey,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      logGroupName: `/aws/rds/cluster/${this.clusterIdentifier}/postgresql`,
    });

    // The cluster: writer tier 0, readers tiers 1..n, spread over the subnets' AZs.
    const { cluster, instances } = createAuroraCluster(this, {
      props, settings, clusterIdentifier: this.clusterIdentifier, key: this.encryptionKey, logGroup: this.logGroup,
    });
    this.cluster = cluster;
    this.writerEndpoint = cluster.clusterEndpoint;
    this.readerEndpoint = cluster.clusterReadEndpoint;

    // Global database membership, then the clients' way in: the proxy, logging in with this cluster's master secret or,
    // on a global secondary, with the primary's replicated to this region.
    if (settings.globalRole === 'primary' && props.globalClusterIdentifier) {
      this.globalCluster = createGlobalCluster(this, cluster, props.globalClusterIdentifier);
    }
    let proxySecret: secretsmanager.ISecret;
    if (settings.globalRole === 'secondary' && props.globalClusterIdentifier && props.proxySecret) {
      joinGlobalCluster(cluster, props.globalClusterIdentifier, props.writeForwarding ?? false);
      proxySecret = props.proxySecret;
    } else {
      this.secret = retainAndRotateMasterSecret(this, cluster);
      proxySecret = this.secret;
    }
    const path = createProxyClientPath(this, cluster, {
      props,
      clusterIdentifier: this.clusterIdentifier,
      secret: proxySecret,
      // Forwarded writes hold up to this share of the writer's connections (Aurora User Guide, "Using RDS Proxy with
      // Aurora global databases"): the proxy leaves it to them.
      maxConnectionsPercent: props.writeForwarding ? 100 - WRITE_FORWARDING_CONNECTIONS_PERCENT : 100,
    });
    this.proxy = path.proxy;
    this.proxyEndpoint = path.proxy.endpoint;
    this.proxyReadOnlyEndpoint = path.readOnlyEndpoint;
    this.connections = path.connections;
    this.clientEndpoint = this.proxyEndpoint;
    this.clientReadOnlyEndpoint = this.proxyReadOnlyEndpoint;

    this.readerScaling = createReaderScaling(this, cluster, instances, settings);
    this.replicaLagAlarm = createReplicaLagAlarm(this, this);
    acknowledgeAuroraDatabaseFindings({ cluster, instances, proxy: this.proxy, replicaLagAlarm: this.replicaLagAlarm });
  }

  /**
   * Alarm on the cross-region replication lag of this global secondary (runbook
   * `alerts/dr/AuroraGlobalReplicationLagHigh`), once {@link AuroraDatabase.addGlobalReplicationLagAlarm} has added it.
   */
  public get globalReplicationLagAlarm(): cloudwatch.Alarm | undefined {
    return this.globalLagAlarm;
  }

  /**
   * Grant `grantee` `rds-db:connect` as `dbUser` through the proxy (IAM authentication). The network path is
   * opened separately with `connections.allowDefaultPortFrom(...)`; `dbUser` must be a user whose credentials
   * are among the proxy's secrets (the master user {@link AuroraDatabase.clientUser} unless more secrets are added to `proxy`).
   * For direct access to the cluster (IAM database authentication is on), use `cluster.grantConnect`.
   */
  public grantConnect(grantee: iam.IGrantable, dbUser: string): iam.Grant {
    return this.proxy.grantConnect(grantee, dbUser);
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
   * mark this region unhealthy for the Region switch plan. Only on a global secondary; called once. Also readable
   * afterwards as {@link AuroraDatabase.globalReplicationLagAlarm}.
   */
  public addGlobalReplicationLagAlarm(options: GlobalReplicationLagAlarmOptions): cloudwatch.Alarm {
    const rpoMs = validateGlobalReplicationLagAlarmOptions(this.node.path, this.globalRole, this.globalLagAlarm !== undefined, options);
    const alarm = createGlobalReplicationLagAlarm(this, this, options.rpo, rpoMs);
    acknowledgeAuroraDatabaseFindings({ globalReplicationLagAlarm: alarm });
    this.globalLagAlarm = alarm;
    return alarm;
  }
}
