import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { burnRateWindows, windowName } from '../../../core/observability/burn-rate';
import { SLO_ALERT_NAMES } from '../../../core/observability/rules';
import type { Slo } from '../../../core/observability/slo';
import type { IResilientService } from '../../compute/resilient-service-ref';
import { createRunbookAlarm } from '../../private/runbook-alarm';
import type { SloBurnRateAlarm } from '../service-monitoring-props';
import { createRunbookCompositeAlarm } from './alarms';
import { DAY_SECONDS } from './validate-service-monitoring-props';

/** The error ratio of `slo` over `seconds`, as CloudWatch metric math over the load balancer's metrics. */
function errorRatio(service: IResilientService, slo: Slo, seconds: number): cloudwatch.MathExpression {
  const period = Duration.seconds(Math.min(seconds, DAY_SECONDS));
  const label = `${slo.name} error ratio (${windowName(Math.min(seconds, DAY_SECONDS))})`;
  // Metric IDs carry the window so one graph can show several windows.
  const w = `w${seconds}`;
  if (slo.kind === 'availability') {
    return new cloudwatch.MathExpression({
      expression: `IF(requests${w} > 0, (FILL(target5xx${w}, 0) + FILL(elb5xx${w}, 0)) / requests${w}, 0)`,
      usingMetrics: {
        [`requests${w}`]: service.metricRequestCount({ period }),
        [`target5xx${w}`]: service.metricTarget5xxCount({ period }),
        [`elb5xx${w}`]: service.metricElb5xxCount({ period }),
      },
      period,
      label,
    });
  }
  // PR(:t) is the percentage of target responses within t seconds (the histogram's `le` bucket).
  return new cloudwatch.MathExpression({
    expression: `IF(requests${w} > 0, (100 - FILL(fast${w}, 100)) / 100, 0)`,
    usingMetrics: {
      [`requests${w}`]: service.metricRequestCount({ period }),
      [`fast${w}`]: service.metricTargetResponseTime({ period, statistic: cloudwatch.Stats.percentileRank(slo.threshold as number) }),
    },
    period,
    label,
  });
}

/**
 * Per row of the SRE Workbook table 5-8 (`burnRateWindows`), a long-window and a short-window alarm over the SLO's
 * error ratio and the composite that requires both, in `scope/Slo-<name>/<long>-<short>/{Long,Short,Composite}`.
 * The composites are what notifies: the caller routes them.
 */
export function createSloBurnRateAlarms(scope: Construct, service: IResilientService, slo: Slo): SloBurnRateAlarm[] {
  const runbook = `alerts/slo/${SLO_ALERT_NAMES[slo.kind]}`;
  const sloScope = new Construct(scope, `Slo-${slo.name}`);
  return burnRateWindows(slo.periodDays, slo.errorBudget).map((w) => {
    const long = windowName(w.longWindowSeconds);
    const short = windowName(w.shortWindowSeconds);
    const row = new Construct(sloScope, `${long}-${short}`);
    const action = w.severity === 'critical' ? 'page' : 'ticket';
    const half = (id: string, seconds: number, name: string): cloudwatch.Alarm => createRunbookAlarm(row, id, {
      metric: errorRatio(service, slo, seconds),
      threshold: w.threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      // Windows up to a day are one period; longer ones are whole days, each of which must burn.
      evaluationPeriods: Math.max(1, seconds / DAY_SECONDS),
      severity: w.severity,
      summary: `${slo.name} error ratio above ${w.factor}x its budget (${w.threshold}) over ${name}; half of the ${long}/${short} ${action} row, notifies through its composite.`,
      runbook,
    });
    const longAlarm = half('Long', w.longWindowSeconds, long);
    const shortAlarm = half('Short', w.shortWindowSeconds, short);
    const composite = createRunbookCompositeAlarm(row, 'Composite', {
      alarmRule: cloudwatch.AlarmRule.allOf(longAlarm, shortAlarm),
      severity: w.severity,
      summary: `${slo.name} SLO: error budget burning ${w.factor}x too fast over ${long} and ${short} (${action}).`,
      runbook,
    });
    return { slo, window: w, long: longAlarm, short: shortAlarm, composite };
  });
}

/** A graph of the burn rate of `slo` over 5 minutes and 1 hour, with the factors of its page rows as annotations. */
export function burnRateWidget(service: IResilientService, slo: Slo, width: number): cloudwatch.GraphWidget {
  const burn = (seconds: number): cloudwatch.MathExpression => new cloudwatch.MathExpression({
    expression: `ratio${seconds} / ${slo.errorBudget}`,
    usingMetrics: { [`ratio${seconds}`]: errorRatio(service, slo, seconds) },
    period: Duration.seconds(seconds),
    label: `burn rate (${windowName(seconds)})`,
  });
  const windows = burnRateWindows(slo.periodDays, slo.errorBudget).filter((w) => w.severity === 'critical');
  return new cloudwatch.GraphWidget({
    title: `${slo.name} (target ${slo.target * 100}% over ${slo.periodDays}d)`,
    left: [burn(300), burn(3600)],
    leftAnnotations: windows.map((w) => ({ value: w.factor, label: `page ${windowName(w.longWindowSeconds)} (${w.factor}x)` })),
    width,
  });
}
