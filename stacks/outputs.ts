import { CfnOutput } from 'aws-cdk-lib';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type { Construct } from 'constructs';
import type { RegionalApp } from './regional-app';

/**
 * The outputs the drills (`npm run drill`, `cdk deploy --outputs-file`) and the Region switch plan read from a
 * regional stack. The names are API: constructs/core/drills names them as its parameters' sources.
 */
export function addRegionalOutputs(scope: Construct, app: RegionalApp): void {
  const out = (id: string, value: string, description: string) => new CfnOutput(scope, id, { value, description });
  const cfnCluster = app.database.cluster.node.defaultChild as rds.CfnDBCluster;
  out('DatabaseClusterIdentifier', app.database.clusterIdentifier, 'Aurora cluster of this region');
  out('DatabaseClusterArn', app.database.cluster.clusterArn, 'Aurora cluster ARN (Region switch plan, drills)');
  out('DatabaseSubnetGroupName', cfnCluster.dbSubnetGroupName ?? '', 'Subnet group a restored cluster uses');
  out('DatabaseSecurityGroupId', app.database.cluster.connections.securityGroups[0].securityGroupId, 'Security group a restored cluster uses');
  out('DatabaseKmsKeyArn', app.database.encryptionKey.keyArn, 'Key a restored cluster is encrypted with');
  out('EcsClusterName', app.service.cluster.clusterName, 'ECS cluster of the service');
  out('EcsClusterArn', app.service.cluster.clusterArn, 'ECS cluster ARN (Region switch plan)');
  out('ServiceName', app.service.service.serviceName, 'ECS service');
  out('EcsServiceArn', app.service.service.serviceArn, 'ECS service ARN (Region switch plan)');
  out('TargetGroupArn', app.service.targetGroup.targetGroupArn, 'Target group of the service');
  out('LoadBalancerArn', app.service.loadBalancer.loadBalancerArn, 'Load balancer of the service (zonal shift)');
  if (app.database.proxy) out('DatabaseProxyName', app.database.proxy.dbProxyName, 'RDS Proxy of the database (point-in-time restore cutover)');
  if (app.database.secret) out('DatabaseSecretArn', app.database.secret.secretArn, 'Master user secret the proxy logs in with (never its value)');
  if (app.cache) out('CacheReplicationGroupId', app.cache.replicationGroupId, 'ElastiCache replication group (cache failover drill)');
  if (app.database.globalCluster) {
    out('GlobalClusterIdentifier', app.database.globalCluster.globalClusterIdentifier ?? '', 'Aurora Global Database');
  }
}
