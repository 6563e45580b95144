import { Duration, Names, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import type { Construct, IConstruct } from 'constructs';
import { markForBackup } from '../../private/stateful';
import type { AuroraDatabaseProps } from '../aurora-database-props';
import type { AuroraDatabaseSettings } from './validate-aurora-database-props';

/**
 * The master user of the generated secret: not the engine's default (`postgres`), the first name an attacker
 * tries (AWS Control Tower CT.RDS.PR.21). Letters only, within every engine's 16-character limit. Changing it
 * replaces the cluster: it is fixed for the life of the platform.
 */
export const MASTER_USERNAME = 'platformadmin';
/** The engine's default port, which the cluster and the proxy listen on. */
export const POSTGRES_PORT = 5432;

/** The subnets of the cluster instances and the proxy: the given ones, else the VPC's isolated subnets. */
export function subnetsOf(props: AuroraDatabaseProps): ec2.SubnetSelection {
  return props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
}

/**
 * A cluster identifier derived from the construct path (stable, unique per stack and path, lowercase as RDS
 * stores it): the log group of the export can then be created, encrypted, before the cluster.
 */
export function clusterIdentifierOf(scope: Construct): string {
  return Names.uniqueResourceName(scope, { maxLength: 63, separator: '-', allowedSpecialCharacters: '-' })
    .toLowerCase()
    .replace(/-+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-$/, '');
}

/** Options of {@link createAuroraCluster}. */
export interface AuroraClusterOptions {
  readonly props: AuroraDatabaseProps;
  readonly settings: AuroraDatabaseSettings;
  readonly clusterIdentifier: string;
  /** Key of storage, the generated secret and Performance Insights. */
  readonly key: kms.IKey;
  /** Log group of the `postgresql` export, created before the cluster writes to it. */
  readonly logGroup: logs.ILogGroup;
}

/** What {@link createAuroraCluster} built. */
export interface AuroraCluster {
  readonly cluster: rds.DatabaseCluster;
  /** The DB cluster resource. */
  readonly cfnCluster: rds.CfnDBCluster;
  /** The writer and reader constructs, in that order. */
  readonly instances: IConstruct[];
}

/**
 * The Aurora PostgreSQL cluster `Cluster` under `scope`: writer (promotion tier 0) and readers (tiers 1..n) spread
 * over the subnets' AZs, TLS forced, IAM authentication, deletion protection, snapshot on removal, automated
 * backups, Database Insights (advanced), the platform backup tag on the DB cluster only; the generated master secret
 * is replicated to `secretReplicaRegions`.
 */
export function createAuroraCluster(scope: Construct, options: AuroraClusterOptions): AuroraCluster {
  const { props, settings, key } = options;
  const vpcSubnets = subnetsOf(props);
  const zones = props.vpc.selectSubnets(vpcSubnets).availabilityZones.filter((az) => !Token.isUnresolved(az));
  const zoneOf = (index: number): string | undefined => (zones.length > 0 ? zones[index % zones.length] : undefined);
  const instanceType = props.instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.R7G, ec2.InstanceSize.LARGE);
  const serverless = settings.serverless;
  // Performance Insights per instance as on the cluster (Database Insights advanced mode), so nothing is overridden.
  const insights = {
    enablePerformanceInsights: true,
    performanceInsightRetention: rds.PerformanceInsightRetention.MONTHS_15,
    performanceInsightEncryptionKey: key,
  };
  const writer = serverless
    ? rds.ClusterInstance.serverlessV2('Writer', { ...insights, availabilityZone: zoneOf(0), publiclyAccessible: false })
    : rds.ClusterInstance.provisioned('Writer', { ...insights, instanceType, promotionTier: 0, availabilityZone: zoneOf(0), publiclyAccessible: false });
  const readerIds = Array.from({ length: settings.readers }, (_, i) => `Reader${i + 1}`);
  const readers = readerIds.map((readerId, i) => {
    const common = { ...insights, availabilityZone: zoneOf(i + 1), publiclyAccessible: false };
    // Serverless v2 readers scale with the writer (tier 1) so any of them can take over at full capacity.
    return serverless
      ? rds.ClusterInstance.serverlessV2(readerId, { ...common, scaleWithWriter: true })
      : rds.ClusterInstance.provisioned(readerId, { ...common, instanceType, promotionTier: i + 1 });
  });

  const cluster = new rds.DatabaseCluster(scope, 'Cluster', {
    engine: rds.DatabaseClusterEngine.auroraPostgres({ version: props.engineVersion ?? rds.AuroraPostgresEngineVersion.VER_16_13 }),
    clusterIdentifier: options.clusterIdentifier,
    port: POSTGRES_PORT,
    writer,
    readers,
    serverlessV2MinCapacity: serverless?.min,
    serverlessV2MaxCapacity: serverless?.max,
    vpc: props.vpc,
    vpcSubnets,
    // Replicas (if any) are encrypted with their region's aws/secretsmanager key: a customer key cannot leave its region.
    credentials: rds.Credentials.fromGeneratedSecret(MASTER_USERNAME, {
      encryptionKey: key,
      replicaRegions: props.secretReplicaRegions?.map((region) => ({ region })),
    }),
    storageEncryptionKey: key,
    iamAuthentication: true,
    parameters: { 'rds.force_ssl': '1' },
    deletionProtection: true,
    removalPolicy: RemovalPolicy.SNAPSHOT,
    backup: { retention: Duration.days(settings.backupRetentionDays), preferredWindow: props.preferredBackupWindow ?? '02:00-03:00' },
    preferredMaintenanceWindow: props.preferredMaintenanceWindow ?? 'sun:04:00-sun:05:00',
    copyTagsToSnapshot: true,
    deleteAutomatedBackups: false,
    cloudwatchLogsExports: ['postgresql'],
    monitoringInterval: Duration.seconds(60),
    databaseInsightsMode: rds.DatabaseInsightsMode.ADVANCED,
    performanceInsightRetention: rds.PerformanceInsightRetention.MONTHS_15,
    performanceInsightEncryptionKey: key,
    autoMinorVersionUpgrade: true,
    instanceUpdateBehaviour: rds.InstanceUpdateBehaviour.ROLLING,
  });
  const cfnCluster = cluster.node.defaultChild as rds.CfnDBCluster;
  // Only the DB cluster resource: the whole construct would pull the proxy role (granted on the key) into a cycle.
  cfnCluster.node.addDependency(options.logGroup);
  // The backup plan selects the cluster (Aurora backs up at cluster level), not its instances or proxy.
  markForBackup(cfnCluster);
  const instances = ['Writer', ...readerIds].map((child) => cluster.node.findChild(child));
  return { cluster, cfnCluster, instances };
}
