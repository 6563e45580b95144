import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { Duration } from 'aws-cdk-lib';
import { GOLDEN_SIGNALS } from '../../../core/observability/golden-signals';
import { createRunbookAlarm, mirrorSignal, runbookAlarmDescription } from '../../private/runbook-alarm';

/** Runbook paths of the alarms an `EdgeDistribution` creates (each a committed `runbooks/<path>.md`). */
const RUNBOOKS = {
  high5xxErrorRate: 'alerts/edge/EdgeHigh5xxErrorRate',
  highOriginLatency: 'alerts/edge/EdgeHighOriginLatency',
  trafficSpike: 'alerts/edge/EdgeTrafficSpike',
} as const;

/** Metrics of an `EdgeDistribution` its alarms are built from. */
export interface EdgeAlarmMetrics {
  /** Share of viewer requests answered 5xx, percent. */
  metric5xxErrorRate(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** p99 origin latency, milliseconds. */
  metricOriginLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
  /** Viewer requests (Sum). */
  metricRequests(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/** What {@link createEdgeAlarms} builds. */
export interface EdgeAlarms {
  /** `High5xxErrorRateAlarm`. */
  readonly high5xxErrorRate: cloudwatch.Alarm;
  /** `HighOriginLatencyAlarm`. */
  readonly highOriginLatency: cloudwatch.Alarm;
  /** `TrafficSpikeAlarm`. */
  readonly trafficSpike: cloudwatch.AnomalyDetectionAlarm;
}

/**
 * The alarms of an `EdgeDistribution`, built in `scope`: `High5xxErrorRateAlarm` (critical, runbook
 * `alerts/edge/EdgeHigh5xxErrorRate`) when more than `errorRateThreshold` percent of viewer requests answer 5xx,
 * and `HighOriginLatencyAlarm` (warning, runbook `alerts/edge/EdgeHighOriginLatency`) when p99 origin latency is
 * above `latencyMs` milliseconds; each in 3 of 5 one-minute periods; and `TrafficSpikeAlarm` (warning, runbook
 * `alerts/edge/EdgeTrafficSpike`) when viewer requests stay above their anomaly band for `GOLDEN_SIGNALS.traffic.for`.
 */
export function createEdgeAlarms(scope: Construct, metrics: EdgeAlarmMetrics, errorRateThreshold: number, latencyMs: number): EdgeAlarms {
  const high5xxErrorRate = createRunbookAlarm(scope, 'High5xxErrorRateAlarm', {
    metric: metrics.metric5xxErrorRate(),
    threshold: errorRateThreshold,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
    severity: 'critical',
    summary: `More than ${errorRateThreshold}% of viewer requests to ${scope.node.path} answered 5xx in 3 of 5 minutes.`,
    runbook: RUNBOOKS.high5xxErrorRate,
  });
  const highOriginLatency = createRunbookAlarm(scope, 'HighOriginLatencyAlarm', {
    metric: metrics.metricOriginLatency(),
    threshold: latencyMs,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
    severity: 'warning',
    summary: `p99 origin latency of ${scope.node.path} above ${latencyMs} ms in 3 of 5 minutes.`,
    runbook: RUNBOOKS.highOriginLatency,
  });
  // The CloudWatch counterpart of the Prometheus HttpTrafficSpike: requests above the upper band of CloudWatch's anomaly
  // model (which learns the daily and weekly pattern) for as long as GOLDEN_SIGNALS.traffic.for.
  const minutes = mirrorSignal({ threshold: 0, for: GOLDEN_SIGNALS.traffic.for }).minutes;
  const trafficSpike = new cloudwatch.AnomalyDetectionAlarm(scope, 'TrafficSpikeAlarm', {
    metric: metrics.metricRequests({ period: Duration.minutes(1) }),
    stdDevs: 3,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD,
    evaluationPeriods: minutes,
    datapointsToAlarm: minutes,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription: runbookAlarmDescription(scope, {
      severity: 'warning',
      summary: `Viewer requests to ${scope.node.path} above the upper band of their anomaly model (3 standard deviations) for ${minutes} minutes.`,
      runbook: RUNBOOKS.trafficSpike,
    }),
  });
  return { high5xxErrorRate, highOriginLatency, trafficSpike };
}
