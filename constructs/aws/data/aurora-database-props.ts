import type { Duration } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

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
  /**
   * Regions the generated master secret is replicated to (Secrets Manager replicas, same name and ARN suffix, kept
   * in step with every rotation; each encrypted with its region's `aws/secretsmanager` key, since this construct's
   * customer key cannot leave its region). A global secondary's proxy logs in with the replica in its region. Not for
   * `globalRole: 'secondary'` (it has no secret of its own).
   * @default - no replicas
   */
  readonly secretReplicaRegions?: string[];
  /**
   * The secret the RDS Proxy of a global secondary logs in with: the primary's master secret as replicated to this
   * region (`secretReplicaRegions` on the primary), e.g.
   * `secretsmanager.Secret.fromSecretCompleteArn(this, 'DatabaseProxySecret', <the primary secret's ARN in this region>)`.
   * The secondary's users and passwords are the primary's, replicated with the storage. Required with
   * `globalRole: 'secondary'`, and only there.
   * @default - none: a cluster that takes writes generates, rotates and registers its own master secret
   */
  readonly proxySecret?: secretsmanager.ISecret;
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
