import { Duration, Stack } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type { Construct, IConstruct } from 'constructs';
import type { AuroraDatabaseSettings } from './validate-aurora-database-props';

/**
 * Read-replica auto scaling of `cluster` on the readers' average CPU (`ReaderScaling` under `scope`): from
 * `readers` to `maxReaders` replicas, scale-out cooldown 5 minutes, scale-in 15 minutes, started once every
 * declared instance (`instances`) exists.
 */
export function createReaderScaling(scope: Construct, cluster: rds.DatabaseCluster, instances: IConstruct[],
  settings: Pick<AuroraDatabaseSettings, 'readers' | 'maxReaders' | 'readerCpuTargetPercent'>): appscaling.ScalableTarget {
  const stack = Stack.of(scope);
  const readerScaling = new appscaling.ScalableTarget(scope, 'ReaderScaling', {
    serviceNamespace: appscaling.ServiceNamespace.RDS,
    scalableDimension: 'rds:cluster:ReadReplicaCount',
    resourceId: `cluster:${cluster.clusterIdentifier}`,
    minCapacity: settings.readers,
    maxCapacity: settings.maxReaders,
    // Application Auto Scaling uses (and creates on first use) its service-linked role for RDS clusters.
    role: iam.Role.fromRoleArn(scope, 'ReaderScalingRole',
      `arn:${stack.partition}:iam::${stack.account}:role/aws-service-role/rds.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_RDSCluster`,
      { mutable: false }),
  });
  // Scaling starts once every declared instance exists.
  readerScaling.node.addDependency(cluster.node.defaultChild as IConstruct, ...instances);
  readerScaling.scaleToTrackMetric('ReaderCpu', {
    predefinedMetric: appscaling.PredefinedMetric.RDS_READER_AVERAGE_CPU_UTILIZATION,
    targetValue: settings.readerCpuTargetPercent,
    scaleOutCooldown: Duration.minutes(5),
    scaleInCooldown: Duration.minutes(15),
  });
  return readerScaling;
}
