import { RemovalPolicy, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { DistributedCacheProps } from '../distributed-cache-props';
import { shardId } from './cache-ids';
import type { DistributedCacheSettings } from './validate-distributed-cache-props';

/** Options of {@link buildCacheReplicationGroup}. */
export interface CacheReplicationGroupOptions {
  /** The replication group ID (derived from the construct path). */
  readonly replicationGroupId: string;
  /** Key of data at rest and snapshots. */
  readonly encryptionKey: kms.IKey;
  /** The RBAC user group the nodes authenticate against. */
  readonly userGroup: elasticache.CfnUserGroup;
  /** Destination of the slow log. */
  readonly slowLogGroup: logs.ILogGroup;
  /** Destination of the engine log. */
  readonly engineLogGroup: logs.ILogGroup;
}

/** What {@link buildCacheReplicationGroup} builds. */
export interface CacheReplicationGroup {
  /** The replication group (DeletionPolicy and UpdateReplacePolicy Snapshot). */
  readonly replicationGroup: elasticache.CfnReplicationGroup;
  /** The parameter group (`maxmemory-policy`, cluster mode). */
  readonly parameterGroup: elasticache.CfnParameterGroup;
  /** Network access to the nodes on the cache port. */
  readonly connections: ec2.Connections;
}

/**
 * The nodes of a `DistributedCache`, built in `scope` (construct IDs `SubnetGroup`, `SecurityGroup`,
 * `ParameterGroup`, `Resource`): a subnet group of the selected (by default isolated) subnets, a security group with
 * no ingress until `connections` allows it and no egress, the parameter group, and the replication group with every
 * shard's primary and replicas in distinct AZs (primaries rotated over the AZs), automatic failover and Multi-AZ as
 * set, TLS required, encryption at rest with the key, RBAC, daily snapshots, minor version upgrades and JSON slow and
 * engine logs to CloudWatch Logs. CloudFormation takes a final snapshot before deleting or replacing it.
 */
export function buildCacheReplicationGroup(scope: Construct, props: DistributedCacheProps, settings: DistributedCacheSettings,
  options: CacheReplicationGroupOptions): CacheReplicationGroup {
  const where = scope.node.path;
  const { engine, clusterMode, shards, nodesPerShard } = settings;
  // ---- network: isolated subnets, a security group with no ingress until connections allow it
  const vpcSubnets = props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
  const selected = props.vpc.selectSubnets(vpcSubnets);
  const subnetGroup = new elasticache.CfnSubnetGroup(scope, 'SubnetGroup', {
    description: `${where} cache subnets`,
    subnetIds: selected.subnetIds,
  });
  const securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
    vpc: props.vpc,
    description: `${where} cache nodes: ingress only from what connections allows`,
    allowAllOutbound: false,
  });
  const connections = new ec2.Connections({ securityGroups: [securityGroup], defaultPort: ec2.Port.tcp(settings.port) });

  const parameterGroup = new elasticache.CfnParameterGroup(scope, 'ParameterGroup', {
    description: `${where} ${engine.toString()}`,
    cacheParameterGroupFamily: engine.parameterGroupFamily,
    properties: {
      'maxmemory-policy': settings.maxMemoryPolicy,
      ...(clusterMode ? { 'cluster-enabled': 'yes' } : {}),
    },
  });

  // ---- placement: every shard's primary and replicas in distinct AZs, primaries rotated over the AZs
  const zones = selected.availabilityZones.filter((az) => !Token.isUnresolved(az));
  const zonesOfShard = (shard: number): string[] => Array.from({ length: nodesPerShard }, (_, n) => zones[(shard + n) % zones.length]);
  const nodeType = `cache.${(props.nodeType ?? ec2.InstanceType.of(ec2.InstanceClass.R7G, ec2.InstanceSize.LARGE)).toString()}`;
  const logDelivery = (logType: string, group: logs.ILogGroup): elasticache.CfnReplicationGroup.LogDeliveryConfigurationRequestProperty => ({
    destinationType: 'cloudwatch-logs',
    destinationDetails: { cloudWatchLogsDetails: { logGroup: group.logGroupName } },
    logFormat: 'json',
    logType,
  });

  const replicationGroup = new elasticache.CfnReplicationGroup(scope, 'Resource', {
    replicationGroupId: options.replicationGroupId,
    replicationGroupDescription: `${where} ${engine.toString()}`,
    engine: engine.name,
    engineVersion: engine.version,
    cacheNodeType: nodeType,
    port: settings.port,
    cacheSubnetGroupName: subnetGroup.ref,
    securityGroupIds: [securityGroup.securityGroupId],
    cacheParameterGroupName: parameterGroup.ref,
    clusterMode: clusterMode ? 'enabled' : 'disabled',
    automaticFailoverEnabled: settings.automaticFailover,
    multiAzEnabled: settings.automaticFailover,
    ...(clusterMode
      ? {
        numNodeGroups: shards,
        replicasPerNodeGroup: settings.replicasPerShard,
        nodeGroupConfiguration: zones.length === 0 ? undefined : Array.from({ length: shards }, (_, s) => {
          const [primary, ...replicaZones] = zonesOfShard(s);
          return {
            nodeGroupId: shardId(s + 1), primaryAvailabilityZone: primary, replicaAvailabilityZones: replicaZones,
            replicaCount: settings.replicasPerShard,
          };
        }),
      }
      : {
        numCacheClusters: nodesPerShard,
        preferredCacheClusterAZs: zones.length === 0 ? undefined : zonesOfShard(0),
      }),
    transitEncryptionEnabled: true,
    transitEncryptionMode: 'required',
    atRestEncryptionEnabled: true,
    kmsKeyId: options.encryptionKey.keyArn,
    userGroupIds: [options.userGroup.ref],
    snapshotRetentionLimit: settings.snapshotRetentionDays,
    snapshotWindow: settings.snapshotWindow,
    preferredMaintenanceWindow: settings.maintenanceWindow,
    autoMinorVersionUpgrade: true,
    logDeliveryConfigurations: [logDelivery('slow-log', options.slowLogGroup), logDelivery('engine-log', options.engineLogGroup)],
  });
  // DeletionPolicy and UpdateReplacePolicy Snapshot: CloudFormation takes a final snapshot before deleting or replacing.
  replicationGroup.applyRemovalPolicy(RemovalPolicy.SNAPSHOT);
  return { replicationGroup, parameterGroup, connections };
}
