import { Names } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/**
 * A lowercase identifier derived from the construct path, unique per stack and path, at most 32 characters, so
 * `<id>-default`, `<id>-users` and node IDs (`<id>-0001-001`) stay within ElastiCache's limits (40 and 50).
 */
export function identifierOf(scope: Construct): string {
  return Names.uniqueResourceName(scope, { maxLength: 32, separator: '-', allowedSpecialCharacters: '-' })
    .toLowerCase()
    .replace(/-+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-$/, '');
}

/** `0001`: the node group ID of shard `n` (1-based). */
export function shardId(n: number): string {
  return pad(n, 4);
}

/**
 * The ID of node `n` (1-based) of a shard: `<group>-00n`, or `<group>-000s-00n` in cluster mode (ElastiCache names
 * the nodes so; the CloudWatch metrics carry it as `CacheClusterId`).
 */
export function nodeIdOf(replicationGroupId: string, clusterMode: boolean, shard: number, n: number): string {
  return clusterMode ? `${replicationGroupId}-${shardId(shard)}-${pad(n, 3)}` : `${replicationGroupId}-${pad(n, 3)}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
