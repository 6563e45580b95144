import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import { PlatformValidationError } from '../../../core/errors';
import { requireIntegerInRange, requireNumberInRange, requireOneOf } from '../../../core/validate';
import { CacheEngine } from '../cache-engine';
import type { DistributedCacheProps } from '../distributed-cache-props';

/** Engine versions the construct knows a parameter group family for (ElastiCache node-based clusters with RBAC). */
const SUPPORTED_VERSIONS: Record<string, readonly string[]> = {
  valkey: ['7.2', '8.0', '8.1'],
  redis: ['6.2', '7.0', '7.1'],
};

/** Eviction policies of the `maxmemory-policy` parameter. */
const MAXMEMORY_POLICIES = [
  'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'noeviction',
] as const;

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MINUTES_PER_DAY = 24 * 60;

/** A {@link DistributedCacheProps}, checked and with every default applied (the `@default` of each prop). */
export interface DistributedCacheSettings {
  /** Engine and version (Valkey 8.1 by default). */
  readonly engine: CacheEngine;
  /** Whether cluster mode is on (off by default). */
  readonly clusterMode: boolean;
  /** Shards, 1 to 500 (1 by default). */
  readonly shards: number;
  /** Replicas per shard, 0 to 5 (2 by default). */
  readonly replicasPerShard: number;
  /** Primary plus replicas. */
  readonly nodesPerShard: number;
  /** Automatic failover and Multi-AZ (on by default). */
  readonly automaticFailover: boolean;
  /** TLS port, 1024 to 65535 (6379 by default). */
  readonly port: number;
  /** The `maxmemory-policy` (`allkeys-lru` by default). */
  readonly maxMemoryPolicy: string;
  /** Whole days the automatic snapshots are kept, 7 to 35 (15 by default). */
  readonly snapshotRetentionDays: number;
  /** Daily snapshot window, UTC (`03:00-04:00` by default). */
  readonly snapshotWindow: string;
  /** Weekly maintenance window, UTC (`sun:05:00-sun:06:00` by default). */
  readonly maintenanceWindow: string;
  /** Percent below which the hit-rate alarm fires, 1 to 99 (60 by default). */
  readonly hitRateTarget: number;
}

/**
 * Checks the props of the `DistributedCache` `scope` (engine, shards and replicas, failover, port, eviction policy,
 * snapshot retention, windows, hit-rate target, subnets) and returns them with defaults applied. Every bad input
 * throws a {@link PlatformValidationError} naming the prop, the value and the fix, before anything is built; a cache
 * without automatic failover gets the warning `platform:cache:no-failover`.
 */
export function validateDistributedCacheProps(scope: Construct, props: DistributedCacheProps): DistributedCacheSettings {
  const where = scope.node.path;
  const engine = props.engine ?? CacheEngine.VALKEY_8_1;
  const supported = Object.entries(SUPPORTED_VERSIONS).flatMap(([name, versions]) => versions.map((v) => `${name} ${v}`));
  requireOneOf(where, 'engine', engine.toString(), supported);
  const clusterMode = props.clusterMode ?? false;
  const shards = props.shards ?? 1;
  requireIntegerInRange(where, 'shards', shards, 1, 500);
  if (shards > 1 && !clusterMode) {
    throw new PlatformValidationError(where, 'shards', shards, 'needs cluster mode',
      'set clusterMode: true to partition the data over several shards, or use 1 shard');
  }
  const replicas = props.replicasPerShard ?? 2;
  requireIntegerInRange(where, 'replicasPerShard', replicas, 0, 5);
  const automaticFailover = props.automaticFailover ?? true;
  if (automaticFailover && replicas === 0) {
    throw new PlatformValidationError(where, 'replicasPerShard', replicas, 'leaves automatic failover no replica to promote',
      'set replicasPerShard to 1 or more (2 keeps a standby after an AZ is lost), or set automaticFailover: false for a single-node development cache');
  }
  if (!automaticFailover && clusterMode) {
    throw new PlatformValidationError(where, 'automaticFailover', false, 'is required by cluster mode',
      'remove automaticFailover (it defaults to true) or set clusterMode: false');
  }
  const port = props.port ?? 6379;
  requireIntegerInRange(where, 'port', port, 1024, 65535);
  const maxMemoryPolicy = requireOneOf(where, 'maxMemoryPolicy', props.maxMemoryPolicy ?? 'allkeys-lru', MAXMEMORY_POLICIES);
  const snapshotRetentionDays = (props.snapshotRetention ?? Duration.days(15)).toDays({ integral: false });
  requireIntegerInRange(where, 'snapshotRetention (days)', snapshotRetentionDays, 7, 35);
  const snapshotWindow = props.snapshotWindow ?? '03:00-04:00';
  const maintenanceWindow = props.preferredMaintenanceWindow ?? 'sun:05:00-sun:06:00';
  requireWindows(where, snapshotWindow, maintenanceWindow);
  const hitRateTarget = props.hitRateTargetPercent ?? 60;
  requireNumberInRange(where, 'hitRateTargetPercent', hitRateTarget, 1, 99);
  if (!automaticFailover) {
    Annotations.of(scope).addWarningV2('platform:cache:no-failover',
      'automaticFailover is false: a node or AZ failure takes the cache down until ElastiCache replaces the node, and its data is lost since the last snapshot. Use automatic failover with replicas for production.');
  }
  requireCacheSubnets(where, props, automaticFailover);
  return {
    engine, clusterMode, shards, replicasPerShard: replicas, nodesPerShard: 1 + replicas, automaticFailover, port, maxMemoryPolicy,
    snapshotRetentionDays, snapshotWindow, maintenanceWindow, hitRateTarget,
  };
}

/**
 * The nodes' subnets exist (by default the VPC's isolated subnets) and, with Multi-AZ, span two AZs at least: a
 * Multi-AZ cache in one zone has no other zone to fail over to.
 */
function requireCacheSubnets(where: string, props: DistributedCacheProps, multiAz: boolean): void {
  if (props.vpcSubnets === undefined && props.vpc.isolatedSubnets.length === 0) {
    throw new PlatformValidationError(where, 'vpc', props.vpc.node.path, 'has no isolated subnets, where the cache nodes run by default',
      'use a VPC with PRIVATE_ISOLATED subnets in at least 2 availability zones (MultiAzNetwork builds them in 3), or pass vpcSubnets');
  }
  const selected = props.vpc.selectSubnets(props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED });
  const zones = [...new Set(selected.availabilityZones)].filter((az) => !Token.isUnresolved(az));
  if (multiAz && zones.length === 1) {
    const fix = 'use subnets in at least 2 availability zones (MultiAzNetwork builds 3), or set automaticFailover: false for a single-node development cache';
    if (props.vpcSubnets === undefined) {
      throw new PlatformValidationError(where, 'vpc', props.vpc.node.path,
        `has its isolated subnets in one availability zone (${zones[0]}): Multi-AZ automatic failover needs a replica in another zone`, fix);
    }
    throw new PlatformValidationError(where, 'vpcSubnets', zones,
      'select subnets in one availability zone: Multi-AZ automatic failover needs a replica in another zone', fix);
  }
}

/** Validates the daily snapshot and weekly maintenance windows: format, at least 60 minutes, no overlap. */
function requireWindows(where: string, snapshotWindow: string, maintenanceWindow: string): void {
  const daily = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/.exec(snapshotWindow);
  if (!daily) {
    throw new PlatformValidationError(where, 'snapshotWindow', snapshotWindow, "is not of the form 'hh24:mi-hh24:mi'",
      "use a UTC window of at least 60 minutes such as '03:00-04:00'");
  }
  const snapStart = Number(daily[1]) * 60 + Number(daily[2]);
  const snapLength = (Number(daily[3]) * 60 + Number(daily[4]) - snapStart + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  if (snapLength < 60) {
    throw new PlatformValidationError(where, 'snapshotWindow', snapshotWindow, 'is shorter than 60 minutes',
      "use a UTC window of at least 60 minutes such as '03:00-04:00'");
  }
  const weekly = /^(sun|mon|tue|wed|thu|fri|sat):([01]\d|2[0-3]):([0-5]\d)-(sun|mon|tue|wed|thu|fri|sat):([01]\d|2[0-3]):([0-5]\d)$/.exec(maintenanceWindow);
  if (!weekly) {
    throw new PlatformValidationError(where, 'preferredMaintenanceWindow', maintenanceWindow, "is not of the form 'ddd:hh24:mi-ddd:hh24:mi'",
      "use a UTC window of at least 60 minutes such as 'sun:05:00-sun:06:00'");
  }
  const week = 7 * MINUTES_PER_DAY;
  const maintStart = DAYS.indexOf(weekly[1]) * MINUTES_PER_DAY + Number(weekly[2]) * 60 + Number(weekly[3]);
  const maintEnd = DAYS.indexOf(weekly[4]) * MINUTES_PER_DAY + Number(weekly[5]) * 60 + Number(weekly[6]);
  const maintLength = (maintEnd - maintStart + week) % week;
  if (maintLength < 60) {
    throw new PlatformValidationError(where, 'preferredMaintenanceWindow', maintenanceWindow, 'is shorter than 60 minutes',
      "use a UTC window of at least 60 minutes such as 'sun:05:00-sun:06:00'");
  }
  // The snapshot window recurs every day: it overlaps the maintenance window if any of its 7 occurrences does.
  const overlaps = (aStart: number, aLength: number, bStart: number, bLength: number): boolean => {
    const offset = (bStart - aStart + week) % week;
    return offset < aLength || (week - offset) % week < bLength;
  };
  for (let day = 0; day < 7; day++) {
    if (overlaps(maintStart, maintLength, day * MINUTES_PER_DAY + snapStart, snapLength)) {
      throw new PlatformValidationError(where, 'snapshotWindow', snapshotWindow, `overlaps preferredMaintenanceWindow ('${maintenanceWindow}')`,
        'move one of the windows so they do not overlap');
    }
  }
}
