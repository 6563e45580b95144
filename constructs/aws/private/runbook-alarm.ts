import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { runbookBaseUrlOf } from './context';
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
  const url = runbookUrl(runbookBaseUrlOf(scope), props.runbook);
  return new cloudwatch.Alarm(scope, id, {
    metric: props.metric,
    threshold: props.threshold,
    comparisonOperator: props.comparisonOperator,
    evaluationPeriods: props.evaluationPeriods,
    datapointsToAlarm: props.datapointsToAlarm ?? props.evaluationPeriods,
    treatMissingData: props.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription: `[${props.severity}] ${props.summary} Runbook: ${url}`,
  });
}
