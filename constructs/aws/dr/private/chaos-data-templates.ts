import { ArnFormat, Duration, Names, Stack, Tags, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { PlatformValidationError } from '../../../core/errors';
import { CHAOS_EXPERIMENTS, CHAOS_TARGET_TAG } from '../chaos-experiments-props';
import type { AuroraFailoverOptions, CacheAzPowerInterruptionOptions } from '../chaos-experiments-props';
import type { ChaosExperimentTemplate } from './chaos-template';
import { requireFisDuration } from './validate-chaos-experiments-props';

/** `AuroraFailover` under `scope` (the `ChaosExperiments`): fails the cluster's writer over with `aws:rds:failover-db-cluster`. */
export function auroraFailoverTemplate(scope: Construct, options: AuroraFailoverOptions): ChaosExperimentTemplate {
  const clusterArn = Stack.of(scope).formatArn({
    service: 'rds', resource: 'cluster', resourceName: options.cluster.clusterIdentifier, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  const meta = CHAOS_EXPERIMENTS.auroraFailover;
  return {
    constructId: 'AuroraFailover',
    props: {
      id: meta.id, outputName: meta.output,
      description: 'Fail the Aurora writer over to a reader in another AZ; clients reconnect to the new writer through the cluster endpoint.',
      actionId: 'aws:rds:failover-db-cluster',
      targetKey: 'Clusters',
      target: { resourceType: 'aws:rds:cluster', resourceArns: [clusterArn], selectionMode: 'ALL' },
      statements: [
        new iam.PolicyStatement({ sid: 'FailoverCluster', actions: ['rds:FailoverDBCluster', 'rds:DescribeDBClusters'], resources: [clusterArn] }),
        new iam.PolicyStatement({ sid: 'ResolveTargets', actions: ['tag:GetResources'], resources: ['*'] }),
      ],
    },
  };
}

/**
 * `CacheAzPowerInterruption` under `scope` (the `ChaosExperiments`): interrupts the power of the replication group's
 * nodes in one zone for `duration` (default 10 minutes) with `aws:elasticache:replicationgroup-interrupt-az-power`.
 * Tags the (Multi-AZ) replication group with `platform:chaos-target`: FIS selects replication groups by tag only.
 */
export function cacheAzPowerInterruptionTemplate(scope: Construct, options: CacheAzPowerInterruptionOptions): ChaosExperimentTemplate {
  const constructId = 'CacheAzPowerInterruption';
  const where = `${scope.node.path}/${constructId}`;
  const group = options.replicationGroup;
  const stack = Stack.of(scope);
  if (group.multiAzEnabled !== true && !Token.isUnresolved(group.multiAzEnabled)) {
    throw new PlatformValidationError(where, 'replicationGroup.multiAzEnabled', group.multiAzEnabled, 'is not true',
      'use a Multi-AZ replication group with automatic failover (DistributedCache defaults): without a replica in another zone there is nothing to fail over to');
  }
  if (Token.isUnresolved(options.availabilityZone) || !/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/.test(options.availabilityZone)) {
    throw new PlatformValidationError(where, 'availabilityZone', options.availabilityZone, 'is not an availability zone name',
      `use a zone name of ${stack.region} such as ${stack.region}a`);
  }
  const duration = requireFisDuration(where, 'duration', options.duration ?? Duration.minutes(10));
  const tagValue = Names.uniqueId(group).slice(-128);
  Tags.of(group).add(CHAOS_TARGET_TAG, tagValue);
  const groupArn = stack.formatArn({
    service: 'elasticache', resource: 'replicationgroup', resourceName: group.ref, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  const meta = CHAOS_EXPERIMENTS.cacheAzPowerInterruption;
  return {
    constructId,
    props: {
      id: meta.id, outputName: meta.output,
      description: `Interrupt the power of the cache nodes in ${options.availabilityZone} for ${duration}; a replica in another zone takes over a primary that was there.`,
      actionId: 'aws:elasticache:replicationgroup-interrupt-az-power',
      actionParameters: { duration },
      targetKey: 'ReplicationGroups',
      target: {
        resourceType: 'aws:elasticache:replicationgroup',
        resourceTags: { [CHAOS_TARGET_TAG]: tagValue },
        parameters: { availabilityZoneIdentifier: options.availabilityZone },
        selectionMode: 'ALL',
      },
      statements: [
        new iam.PolicyStatement({
          sid: 'InterruptCacheAzPower', actions: ['elasticache:InterruptClusterAzPower', 'elasticache:DescribeReplicationGroups'], resources: [groupArn],
        }),
        new iam.PolicyStatement({ sid: 'ResolveTargets', actions: ['tag:GetResources'], resources: ['*'] }),
      ],
    },
  };
}
