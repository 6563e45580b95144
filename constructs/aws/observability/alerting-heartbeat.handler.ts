/**
 * Dead man's switch, the recording half (bundled by esbuild, AWS SDK v3 from the Lambda runtime): Alertmanager sends
 * the always-firing `Watchdog` alert to the heartbeat SNS topic every few minutes; each notification that is not a
 * `resolved` one becomes one `AlertingHeartbeat` data point. A CloudWatch alarm pages when the points stop.
 */
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { SNSEvent } from 'aws-lambda';
import { HEARTBEAT_METRIC } from './private/heartbeat-metric';

/** Configuration (environment variables in Lambda). */
export interface HeartbeatConfig {
  /** Metric namespace. */
  readonly namespace: string;
  /** Value of the `Source` dimension: which Alertmanager the heartbeats come from. */
  readonly source: string;
}

/** What one invocation recorded. */
export interface HeartbeatOutcome {
  readonly heartbeats: number;
  readonly ignored: number;
}

/**
 * Whether an SNS message is a heartbeat: the heartbeat receiver's message is the notification's status (`firing` or
 * `resolved`); a resolved Watchdog means Prometheus stopped evaluating it, which is no heartbeat.
 */
export function isHeartbeat(message: string | undefined): boolean {
  return (message ?? '').trim().toLowerCase() !== 'resolved';
}

/** The handler over a CloudWatch client and configuration. */
export function createHandler(cloudwatch: CloudWatchClient, config: HeartbeatConfig,
  now: () => Date = () => new Date()): (event: SNSEvent) => Promise<HeartbeatOutcome> {
  return async (event) => {
    const records = event.Records ?? [];
    const heartbeats = records.filter((r) => isHeartbeat(r.Sns?.Message)).length;
    if (heartbeats > 0) {
      await cloudwatch.send(new PutMetricDataCommand({
        Namespace: config.namespace,
        MetricData: [{ MetricName: HEARTBEAT_METRIC, Dimensions: [{ Name: 'Source', Value: config.source }], Value: heartbeats, Unit: 'Count', Timestamp: now() }],
      }));
    }
    return { heartbeats, ignored: records.length - heartbeats };
  };
}

let lambdaHandler: ((event: SNSEvent) => Promise<HeartbeatOutcome>) | undefined;

/** Lambda entry point. A failure is not retried into a queue: missing heartbeats are exactly what the alarm pages on. */
export async function handler(event: SNSEvent): Promise<HeartbeatOutcome> {
  const namespace = process.env.METRIC_NAMESPACE;
  const source = process.env.HEARTBEAT_SOURCE;
  if (!namespace || !source) throw new Error('environment variables METRIC_NAMESPACE and HEARTBEAT_SOURCE must be set');
  lambdaHandler ??= createHandler(new CloudWatchClient({}), { namespace, source });
  const outcome = await lambdaHandler(event);
  console.log(JSON.stringify(outcome));
  return outcome;
}
