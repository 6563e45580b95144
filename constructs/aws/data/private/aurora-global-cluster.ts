import { RemovalPolicy } from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
import type { Construct } from 'constructs';

/**
 * The Aurora Global Database `GlobalCluster` under `scope`, created from `cluster` (its primary): deletion
 * protection on, retained with the stack.
 */
export function createGlobalCluster(scope: Construct, cluster: rds.DatabaseCluster, globalClusterIdentifier: string): rds.CfnGlobalCluster {
  const globalCluster = new rds.CfnGlobalCluster(scope, 'GlobalCluster', {
    globalClusterIdentifier,
    sourceDbClusterIdentifier: cluster.clusterArn,
    deletionProtection: true,
  });
  globalCluster.applyRemovalPolicy(RemovalPolicy.RETAIN);
  return globalCluster;
}

/**
 * Makes `cluster` a secondary of the global database `globalClusterIdentifier`: its storage, users and passwords
 * come from the primary, so it has no master credentials and no secret of its own to rotate (its proxy logs in with
 * the primary's secret replicated to this region).
 */
export function joinGlobalCluster(cluster: rds.DatabaseCluster, globalClusterIdentifier: string, writeForwarding: boolean): void {
  const cfnCluster = cluster.node.defaultChild as rds.CfnDBCluster;
  cfnCluster.globalClusterIdentifier = globalClusterIdentifier;
  cfnCluster.addPropertyDeletionOverride('MasterUsername');
  cfnCluster.addPropertyDeletionOverride('MasterUserPassword');
  cluster.node.tryRemoveChild('Secret');
  if (writeForwarding) cfnCluster.enableGlobalWriteForwarding = true;
}
