import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { createRunbookAlarm } from '../../private/runbook-alarm';
import type { CacheMetricOptions, CacheShardAlarms } from '../distributed-cache-props';
import { shardId } from './cache-ids';

/** Runbook paths of the alarms a `DistributedCache` creates (each a committed `runbooks/<path>.md`). */
const RUNBOOKS = {
  hitRate: 'alerts/cache/CacheHitRateLow',
  evictions: 'alerts/cache/CacheEvictionsHigh',
  memory: 'alerts/cache/CacheMemoryHigh',
  engineCpu: 'alerts/cache/CacheEngineCpuHigh',
  replicationLag: 'alerts/cache/CacheReplicationLagHigh',
} as const;

/** Keys evicted per 5 minutes above which the evictions alarm fires (runbook `alerts/cache/CacheEvictionsHigh`). */
const EVICTIONS_PER_5_MINUTES = 1000;
/** Percent of `maxmemory` used by data above which the memory alarm fires (runbook `alerts/cache/CacheMemoryHigh`). */
const MEMORY_PERCENT = 90;
/** Engine-thread CPU percent above which the engine CPU alarm fires (runbook `alerts/cache/CacheEngineCpuHigh`). */
const ENGINE_CPU_PERCENT = 80;
/** Seconds a replica may lag its primary before the replication-lag alarm fires (runbook `alerts/cache/CacheReplicationLagHigh`). */
const REPLICATION_LAG_SECONDS = 1;

/** Metrics of a `DistributedCache` its alarms are built from. */
export interface CacheAlarmMetrics {
  /** Hit rate of a shard, percent. */
  metricCacheHitRate(options?: CacheMetricOptions): cloudwatch.IMetric;
  /** Keys evicted from a shard. */
  metricEvictions(options?: CacheMetricOptions): cloudwatch.IMetric;
  /** Percent of `maxmemory` used by data, highest node of a shard. */
  metricMemoryUsage(options?: CacheMetricOptions): cloudwatch.IMetric;
  /** Engine-thread CPU, highest node of a shard. */
  metricEngineCpuUtilization(options?: CacheMetricOptions): cloudwatch.IMetric;
  /** Seconds the replicas of a shard lag, highest replica. */
  metricReplicationLag(options?: CacheMetricOptions): cloudwatch.IMetric;
}

/** Options of {@link createCacheShardAlarms}. */
export interface CacheShardAlarmOptions {
  /** The shard, 1-based. */
  readonly shard: number;
  /** Whether the cache runs in cluster mode (alarm IDs then carry the shard: `Shard0001HitRateAlarm`). */
  readonly clusterMode: boolean;
  /** Percent below which the hit-rate alarm fires. */
  readonly hitRateTarget: number;
  /** Whether the shard has replicas (the replication-lag alarm needs them). */
  readonly withReplicas: boolean;
}

/**
 * The warning alarms of one shard, built in `scope` (IDs `HitRateAlarm`, `EvictionsAlarm`, `MemoryAlarm`,
 * `EngineCpuAlarm`, `ReplicationLagAlarm`, prefixed `Shard000n` in cluster mode): hit rate below `hitRateTarget`
 * percent, more than 1000 evictions per 5 minutes, data above 90% of `maxmemory`, engine CPU above 80% (each for 3
 * periods of 5 minutes) and, with replicas, replication lag above 1 s for 5 one-minute periods.
 */
export function createCacheShardAlarms(scope: Construct, metrics: CacheAlarmMetrics, options: CacheShardAlarmOptions): CacheShardAlarms {
  const { shard, clusterMode, hitRateTarget } = options;
  const prefix = clusterMode ? `Shard${shardId(shard)}` : '';
  const of = clusterMode ? `shard ${shard} of ${scope.node.path}` : scope.node.path;
  const { LESS_THAN_THRESHOLD: below, GREATER_THAN_THRESHOLD: above } = cloudwatch.ComparisonOperator;
  // The four per-node warnings: three 5-minute periods (15 minutes) past the threshold.
  const warning15m = (id: string, metric: cloudwatch.IMetric, threshold: number, comparisonOperator: cloudwatch.ComparisonOperator,
    summary: string, runbook: string): cloudwatch.Alarm =>
    createRunbookAlarm(scope, `${prefix}${id}`, { metric, threshold, comparisonOperator, evaluationPeriods: 3, severity: 'warning', summary, runbook });
  const hitRateAlarm = warning15m('HitRateAlarm', metrics.metricCacheHitRate({ shard }), hitRateTarget, below,
    `Cache hit rate of ${of} below ${hitRateTarget}% for 15 minutes.`, RUNBOOKS.hitRate);
  const evictionsAlarm = warning15m('EvictionsAlarm', metrics.metricEvictions({ shard }), EVICTIONS_PER_5_MINUTES, above,
    `More than ${EVICTIONS_PER_5_MINUTES} keys evicted per 5 minutes from ${of} for 15 minutes.`, RUNBOOKS.evictions);
  const memoryAlarm = warning15m('MemoryAlarm', metrics.metricMemoryUsage({ shard }), MEMORY_PERCENT, above,
    `Data uses more than ${MEMORY_PERCENT}% of maxmemory on a node of ${of} for 15 minutes.`, RUNBOOKS.memory);
  const engineCpuAlarm = warning15m('EngineCpuAlarm', metrics.metricEngineCpuUtilization({ shard }), ENGINE_CPU_PERCENT, above,
    `Engine CPU above ${ENGINE_CPU_PERCENT}% on a node of ${of} for 15 minutes.`, RUNBOOKS.engineCpu);
  const replicationLagAlarm = !options.withReplicas ? undefined : createRunbookAlarm(scope, `${prefix}ReplicationLagAlarm`, {
    metric: metrics.metricReplicationLag({ shard, period: Duration.minutes(1) }),
    threshold: REPLICATION_LAG_SECONDS,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 5,
    severity: 'warning',
    summary: `A replica of ${of} lags more than ${REPLICATION_LAG_SECONDS} s behind its primary for 5 minutes.`,
    runbook: RUNBOOKS.replicationLag,
  });
  return { shard, hitRateAlarm, evictionsAlarm, memoryAlarm, engineCpuAlarm, replicationLagAlarm };
}

/** The alarms of a shard as a list, in the order they are built (replication lag last, when there is one). */
export function alarmsOf(shardAlarms: CacheShardAlarms): cloudwatch.Alarm[] {
  const { hitRateAlarm, evictionsAlarm, memoryAlarm, engineCpuAlarm, replicationLagAlarm } = shardAlarms;
  return [hitRateAlarm, evictionsAlarm, memoryAlarm, engineCpuAlarm, ...(replicationLagAlarm ? [replicationLagAlarm] : [])];
}
