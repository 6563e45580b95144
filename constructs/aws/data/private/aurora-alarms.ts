import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { createRunbookAlarm } from '../../private/runbook-alarm';

/** Consecutive one-minute maxima above the RPO before the lag alarm fires (one spike is not a breach). */
const GLOBAL_LAG_EVALUATION_MINUTES = 3;

/** Metrics of an AuroraDatabase its alarms are built from. */
export interface AuroraAlarmMetrics {
  metricReplicaLag(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  metricGlobalRpoLag(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/**
 * `ReplicaLagAlarm` under `scope` (warning, runbook `alerts/database/AuroraReplicaLagHigh`): reader lag above
 * 1000 ms on the one-minute maximum for 5 consecutive minutes.
 */
export function createReplicaLagAlarm(scope: Construct, metrics: AuroraAlarmMetrics): cloudwatch.Alarm {
  return createRunbookAlarm(scope, 'ReplicaLagAlarm', {
    metric: metrics.metricReplicaLag({ period: Duration.minutes(1) }),
    threshold: 1000,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 5,
    severity: 'warning',
    summary: `Aurora replica lag of ${scope.node.path} above 1 s for 5 minutes: reads are stale and failover may lose the lagging reader's warm cache.`,
    runbook: 'alerts/database/AuroraReplicaLagHigh',
  });
}

/**
 * `GlobalReplicationLagAlarm` under `scope` (warning, runbook `alerts/dr/AuroraGlobalReplicationLagHigh`): the
 * one-minute maximum of `AuroraGlobalDBRPOLag` above `rpoMs` (the RPO `rpo` in milliseconds) for 3 consecutive
 * minutes.
 */
export function createGlobalReplicationLagAlarm(scope: Construct, metrics: AuroraAlarmMetrics, rpo: Duration, rpoMs: number): cloudwatch.Alarm {
  return createRunbookAlarm(scope, 'GlobalReplicationLagAlarm', {
    metric: metrics.metricGlobalRpoLag({ period: Duration.minutes(1) }),
    threshold: rpoMs,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: GLOBAL_LAG_EVALUATION_MINUTES,
    severity: 'warning',
    summary: `Aurora Global Database lag of ${scope.node.path} above the RPO (${rpo.toHumanString()}) for ${GLOBAL_LAG_EVALUATION_MINUTES} minutes: a regional failover now would lose more writes than the RPO allows.`,
    runbook: 'alerts/dr/AuroraGlobalReplicationLagHigh',
  });
}
