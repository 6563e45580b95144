import { CfnOutput } from 'aws-cdk-lib';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type { Construct } from 'constructs';
import type { RegionalApp } from './regional-app';
import { StackOutput } from '../../core/stack-outputs';

/**
 * The outputs the drills (`npm run drill`, `cdk deploy --outputs-file`) and the Region switch plan read from a
 * regional stack, under the names of the drill-to-stack contract (StackOutput, constructs/core/stack-outputs.ts).
 */
export function addRegionalOutputs(scope: Construct, app: RegionalApp): void {
  const out = (id: string, value: string, description: string) => new CfnOutput(scope, id, { value, description });
  const cfnCluster = app.database.cluster.node.defaultChild as rds.CfnDBCluster;
  out(StackOutput.DATABASE_CLUSTER_IDENTIFIER, app.database.clusterIdentifier, 'Aurora cluster of this region');
  out(StackOutput.DATABASE_CLUSTER_ARN, app.database.cluster.clusterArn, 'Aurora cluster ARN (Region switch plan, drills)');
  out(StackOutput.DATABASE_SUBNET_GROUP_NAME, cfnCluster.dbSubnetGroupName ?? '', 'Subnet group a restored cluster uses');
  out(StackOutput.DATABASE_SECURITY_GROUP_ID, app.database.cluster.connections.securityGroups[0].securityGroupId, 'Security group a restored cluster uses');
  out(StackOutput.DATABASE_KMS_KEY_ARN, app.database.encryptionKey.keyArn, 'Key a restored cluster is encrypted with');
  out(StackOutput.ECS_CLUSTER_NAME, app.service.cluster.clusterName, 'ECS cluster of the service');
  out(StackOutput.ECS_CLUSTER_ARN, app.service.cluster.clusterArn, 'ECS cluster ARN (Region switch plan)');
  out(StackOutput.SERVICE_NAME, app.service.service.serviceName, 'ECS service');
  out(StackOutput.ECS_SERVICE_ARN, app.service.service.serviceArn, 'ECS service ARN (Region switch plan)');
  out(StackOutput.TARGET_GROUP_ARN, app.service.targetGroup.targetGroupArn, 'Target group of the service');
  out(StackOutput.LOAD_BALANCER_ARN, app.service.loadBalancer.loadBalancerArn, 'Load balancer of the service (zonal shift)');
  if (app.database.proxy) out(StackOutput.DATABASE_PROXY_NAME, app.database.proxy.dbProxyName, 'RDS Proxy of the database (point-in-time restore cutover)');
  if (app.database.secret) out(StackOutput.DATABASE_SECRET_ARN, app.database.secret.secretArn, 'Master user secret the proxy logs in with (never its value)');
  if (app.cache) out(StackOutput.CACHE_REPLICATION_GROUP_ID, app.cache.replicationGroupId, 'ElastiCache replication group (cache failover drill)');
  if (app.database.globalCluster) {
    out(StackOutput.GLOBAL_CLUSTER_IDENTIFIER, app.database.globalCluster.globalClusterIdentifier ?? '', 'Aurora Global Database');
  }
}
