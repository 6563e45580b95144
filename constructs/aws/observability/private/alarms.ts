import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import type { AlarmSeverity } from '../../private/runbook-alarm';
import { runbookAlarmDescription } from '../../private/runbook-alarm';

/** Props of {@link createRunbookCompositeAlarm}: the composite counterpart of `RunbookAlarmProps`. */
export interface RunbookCompositeAlarmProps {
  readonly alarmRule: cloudwatch.IAlarmRule;
  readonly severity: AlarmSeverity;
  /** One line: what is wrong, for the page title. */
  readonly summary: string;
  /** Runbook path under runbooks/, without `.md`. */
  readonly runbook: string;
}

/** A composite alarm whose description has the same shape as every metric alarm: `[severity] summary Runbook: <url>`. */
export function createRunbookCompositeAlarm(scope: Construct, id: string, props: RunbookCompositeAlarmProps): cloudwatch.CompositeAlarm {
  return new cloudwatch.CompositeAlarm(scope, id, {
    alarmRule: props.alarmRule,
    alarmDescription: runbookAlarmDescription(scope, props),
  });
}

/**
 * The severity an alarm of the platform declares at the start of its description (`[critical] ...`), or undefined
 * for an alarm that was not built by the platform's factories (imported, or a plain `cloudwatch.Alarm`).
 */
export function severityOf(alarm: cloudwatch.IAlarm): AlarmSeverity | undefined {
  const cfn = alarm.node.defaultChild;
  const description = cfn instanceof cloudwatch.CfnAlarm || cfn instanceof cloudwatch.CfnCompositeAlarm ? cfn.alarmDescription : undefined;
  const m = typeof description === 'string' ? /^\[(critical|warning)\] /.exec(description) : null;
  return m ? (m[1] as AlarmSeverity) : undefined;
}
