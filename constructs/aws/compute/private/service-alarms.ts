import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { GOLDEN_SIGNALS } from '../../../core/observability/golden-signals';
import { createRunbookAlarm, mirrorSignal } from '../../private/runbook-alarm';
import type { ResilientService } from '../resilient-service';

/** Runbook paths of the alarms {@link ResilientService} creates (each a committed `runbooks/<path>.md`). */
const RUNBOOKS = {
  high5xxRate: 'alerts/service/ServiceHigh5xxRate',
  unhealthyTargets: 'alerts/service/ServiceUnhealthyTargets',
  highLatency: 'alerts/service/ServiceHighLatency',
} as const;

/** 5xx share of requests above which the service is failing, and for how long: the core's `HttpErrorRateHigh`. */
const HIGH_5XX_RATE = mirrorSignal(GOLDEN_SIGNALS.errorRatio);

/** The alarms of a `ResilientService`; ECS rolls a deployment back when any of them fires. */
export interface ServiceAlarms {
  readonly high5xxRate: cloudwatch.Alarm;
  readonly unhealthyTargets: cloudwatch.Alarm;
  readonly highLatency: cloudwatch.Alarm;
}

/**
 * The 5xx-rate (critical), unhealthy-target (over both target groups when there are two) and p99-latency (warning)
 * alarms of `service`, built in it (construct IDs `High5xxRateAlarm`, `UnhealthyTargetsAlarm`, `HighLatencyAlarm`)
 * from its metrics, once its load balancer and target groups exist.
 */
export function createServiceAlarms(service: ResilientService, latencySeconds: number): ServiceAlarms {
  const where = service.node.path;
  const high5xxRate = createRunbookAlarm(service, 'High5xxRateAlarm', {
    metric: service.metric5xxRate(),
    threshold: HIGH_5XX_RATE.percent,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: HIGH_5XX_RATE.minutes,
    severity: 'critical',
    summary: `More than ${HIGH_5XX_RATE.percent}% of requests to ${where} answered 5xx for ${HIGH_5XX_RATE.minutes} minutes.`,
    runbook: RUNBOOKS.high5xxRate,
  });

  const green = service.alternateTargetGroup;
  const unhealthy = green
    ? new cloudwatch.MathExpression({
      expression: 'FILL(blue, 0) + FILL(green, 0)',
      usingMetrics: {
        blue: service.metricUnhealthyHostCount(),
        green: green.metrics.unhealthyHostCount({ statistic: 'Maximum', period: Duration.minutes(1) }),
      },
      label: 'Unhealthy targets (both target groups)',
      period: Duration.minutes(1),
    })
    : service.metricUnhealthyHostCount();
  const unhealthyTargets = createRunbookAlarm(service, 'UnhealthyTargetsAlarm', {
    metric: unhealthy,
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 3,
    severity: 'warning',
    summary: `Tasks of ${where} have failed the readiness check for 3 minutes.`,
    runbook: RUNBOOKS.unhealthyTargets,
  });

  const highLatency = createRunbookAlarm(service, 'HighLatencyAlarm', {
    metric: service.metricTargetResponseTime(),
    threshold: latencySeconds,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
    severity: 'warning',
    summary: `p99 response time of ${where} above ${latencySeconds} s in 3 of 5 minutes.`,
    runbook: RUNBOOKS.highLatency,
  });
  return { high5xxRate, unhealthyTargets, highLatency };
}
