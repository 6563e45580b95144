import { Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { runbookBaseUrlOf } from './context';
import { parseDuration } from '../../core/duration';
import { runbookUrl } from '../../core/runbooks';

/** Severity of an alarm: `critical` pages, `warning` opens a ticket (DESIGN.md "Alerts"). */
export type AlarmSeverity = 'critical' | 'warning';

/** What every alarm of the platform is built from: one shape, one factory (cdk-monitoring-constructs' habit). */
export interface RunbookAlarmProps {
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  readonly comparisonOperator: cloudwatch.ComparisonOperator;
  readonly evaluationPeriods: number;
  /** @default - evaluationPeriods */
  readonly datapointsToAlarm?: number;
  /** @default TreatMissingData.NOT_BREACHING */
  readonly treatMissingData?: cloudwatch.TreatMissingData;
  readonly severity: AlarmSeverity;
  /** One line: what is wrong, for the page title. */
  readonly summary: string;
  /** Runbook path under runbooks/, without `.md` (e.g. `alerts/service/ServiceHigh5xxRate`). */
  readonly runbook: string;
}

/**
 * A CloudWatch alarm whose `AlarmDescription` starts with the severity and summary and ends with
 * `Runbook: <url>` (DESIGN.md contract). The alarm name is left to CloudFormation so two stacks never collide.
 */
export function createRunbookAlarm(scope: Construct, id: string, props: RunbookAlarmProps): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, id, {
    metric: props.metric,
    threshold: props.threshold,
    comparisonOperator: props.comparisonOperator,
    evaluationPeriods: props.evaluationPeriods,
    datapointsToAlarm: props.datapointsToAlarm ?? props.evaluationPeriods,
    treatMissingData: props.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription: runbookAlarmDescription(scope, props),
  });
}

/**
 * `[<severity>] <summary> Runbook: <url>`: the AlarmDescription of every platform alarm, metric or composite
 * (DESIGN.md contract; `severityOf` reads it back).
 */
export function runbookAlarmDescription(scope: Construct, props: Pick<RunbookAlarmProps, 'severity' | 'summary' | 'runbook'>): string {
  return `[${props.severity}] ${props.summary} Runbook: ${runbookUrl(runbookBaseUrlOf(scope), props.runbook)}`;
}

/**
 * Acknowledges cdk-nag's "alarm without actions" on alarms a construct exposes for the composing stack to route
 * (`AlertingTopics.routeAlarm` over `exposedAs`, e.g. `ResilientService.alarms`): a construct owns no on-call topic.
 * `detail` adds what else reads the alarms.
 */
export function acknowledgeRoutedByComposer(alarms: readonly cloudwatch.Alarm[], exposedAs: string, detail?: string): void {
  const reason = `Notification actions are attached by the stack that owns the on-call topics (AlertingTopics.routeAlarm over ${exposedAs}); a construct owns no topic of its own.${detail ? ` ${detail}` : ''}`;
  for (const alarm of alarms) Validations.of(alarm).acknowledge({ id: 'NIST.800.53.R5-CloudWatchAlarmAction', reason });
}

/** A CloudWatch alarm's view of a core golden-signal declaration (`GOLDEN_SIGNALS.cpu`, ...). */
export interface MirroredSignal {
  /** The threshold as CloudWatch's percent metrics state it (0.8 -> 80). */
  readonly percent: number;
  /** One-minute evaluation periods that make up the alert's `for`. */
  readonly minutes: number;
}

/**
 * Threshold and duration of a CloudWatch alarm that mirrors a Prometheus golden-signal alert, read from the core
 * declaration so the engines cannot drift: evaluation periods of one minute × `minutes` = the rule's `for`.
 */
export function mirrorSignal(signal: { readonly threshold: number; readonly for: string }): MirroredSignal {
  return {
    percent: Number((signal.threshold * 100).toFixed(6)),
    minutes: Math.max(1, Math.round(parseDuration('GOLDEN_SIGNALS', 'for', signal.for) / 60)),
  };
}
