import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { IConstruct } from 'constructs';

/**
 * What consumers read from an {@link AuroraDatabase}: the cluster and its endpoints, the network and IAM way in,
 * the key, and the metrics and alarm monitoring builds on (`ServiceMonitoring.monitorDatabase`). Implemented by
 * `AuroraDatabase`; a test or another engine can hand in its own implementation.
 */
export interface IAuroraDatabase extends IConstruct, ec2.IConnectable {
  /** The Aurora cluster. */
  readonly cluster: rds.IDatabaseCluster;
  /** The cluster identifier as a literal (derived from the construct path), for dashboards and drills. */
  readonly clusterIdentifier: string;
  /** Network access on the database port to what clients connect to (AuroraDatabase: its proxy, both endpoints). */
  readonly connections: ec2.Connections;
  /** Customer-managed key (rotating, retained) of storage, secret, Performance Insights and logs. */
  readonly encryptionKey: kms.IKey;
  /**
   * Host name clients write to (AuroraDatabase: its proxy's read/write endpoint, which on a global secondary takes
   * writes once the cluster is promoted).
   */
  readonly clientEndpoint: string;
  /** Host name clients read from (AuroraDatabase: its proxy's read-only endpoint). */
  readonly clientReadOnlyEndpoint: string;
  /** The database user clients sign in as with an IAM token (see {@link IAuroraDatabase.grantConnect}). */
  readonly clientUser: string;
  /**
   * The RDS Proxy in front of the cluster (AuroraDatabase always has one, on a global secondary too); an
   * implementation without one leaves it undefined.
   */
  readonly proxy?: rds.IDatabaseProxy;
  /**
   * The master user secret; none on a global secondary (users and data are replicated from the primary, and its
   * proxy logs in with the primary's secret replicated to its region).
   */
  readonly secret?: secretsmanager.ISecret;
  /** The global database, when this cluster is its primary. */
  readonly globalCluster?: rds.CfnGlobalCluster;
  /** Alarm on the replica lag of the readers (runbook `alerts/database/AuroraReplicaLagHigh`). */
  readonly replicaLagAlarm: cloudwatch.Alarm;

  /** CPU utilization of the cluster's instances (percent, average over 5 minutes). */
  metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Open database connections (average over 5 minutes). */
  metricDatabaseConnections(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Lag of the readers behind the writer, `AuroraReplicaLag` in milliseconds (maximum over 5 minutes). */
  metricReplicaLag(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Freeable memory of the instances in bytes (average over 5 minutes). */
  metricFreeableMemory(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /**
   * How far a global secondary is behind the primary for user transactions, `AuroraGlobalDBRPOLag` in milliseconds
   * (maximum over 5 minutes); published by the secondary cluster only.
   */
  metricGlobalRpoLag(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /**
   * Grant `grantee` `rds-db:connect` as `dbUser` (IAM authentication) on what clients connect to (AuroraDatabase: its
   * proxy). The network path is opened separately with `connections.allowDefaultPortFrom(...)`.
   */
  grantConnect(grantee: iam.IGrantable, dbUser: string): iam.Grant;
}
