import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { PlatformValidationError } from '../../core/errors';
import { allowCloudWatchLogs } from '../private/encryption';
import { ONE_MINUTE, createPlatformFunction, handlerBeside } from '../private/platform-function';
import { createRunbookAlarm } from '../private/runbook-alarm';
import type { AlertingTopics } from './alerting-topics';
import { HEARTBEAT_METRIC, HEARTBEAT_METRIC_NAMESPACE } from './private/heartbeat-metric';

export { HEARTBEAT_METRIC_NAMESPACE } from './private/heartbeat-metric';

/** Runbook of the heartbeat alarm. */
export const HEARTBEAT_RUNBOOK = 'alerts/platform/AlertingHeartbeatMissing';

/** Props of {@link AlertingHeartbeat}. */
export interface AlertingHeartbeatProps {
  /** The topics: the heartbeat topic shares their key, and the silence alarm pages through the critical one. */
  readonly topics: AlertingTopics;
  /**
   * Minutes without a heartbeat before the alarm pages (Alertmanager re-sends the Watchdog every 5 minutes), 6 to 60.
   * @default 10
   */
  readonly silenceMinutes?: number;
  /**
   * Retention of the function's logs.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * A dead man's switch for the alerting pipeline that does not depend on it: Alertmanager (Amazon Managed Service for
 * Prometheus, `ManagedPrometheus` with `heartbeatTopic`) sends the always-firing `Watchdog` alert to `topic` every 5
 * minutes; a small function records each as the `AlertingHeartbeat` metric, and `alarm` (critical, missing data
 * breaching) pages through the critical topic when no heartbeat arrived for `silenceMinutes`: Prometheus, its rule
 * evaluation or Alertmanager is broken, so every other alert is silent too.
 */
export class AlertingHeartbeat extends Construct {
  /** The topic Alertmanager's heartbeat receiver publishes to. */
  public readonly topic: sns.Topic;
  /** The function recording heartbeats. */
  public readonly recorder: nodejs.NodejsFunction;
  /** Pages when heartbeats stop. */
  public readonly alarm: cloudwatch.Alarm;
  /** The `Source` dimension of the metric. */
  public readonly source: string;

  constructor(scope: Construct, id: string, props: AlertingHeartbeatProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const silence = props.silenceMinutes ?? 10;
    if (!Number.isInteger(silence) || silence < 6 || silence > 60) {
      throw new PlatformValidationError(this.node.path, 'silenceMinutes', silence, 'must be a whole number of minutes from 6 to 60',
        'leave room for the 5-minute Watchdog repeat: e.g. 10');
    }
    const key = props.topics.key;
    this.source = `${stack.stackName}/${this.node.id}`;
    this.topic = new sns.Topic(this, 'Topic', { displayName: `${this.node.path} Watchdog heartbeats`.slice(-100), masterKey: key, enforceSSL: true });
    this.topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowManagedPrometheus',
      principals: [new iam.ServicePrincipal('aps.amazonaws.com')],
      actions: ['sns:Publish', 'sns:GetTopicAttributes'],
      resources: [this.topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:aps:${stack.region}:${stack.account}:workspace/*` },
      },
    }));
    allowCloudWatchLogs(key);
    const recorder = createPlatformFunction(this, 'Recorder', {
      handler: handlerBeside(__dirname, 'alerting-heartbeat'),
      description: 'records each Alertmanager Watchdog heartbeat as a CloudWatch metric',
      environment: { METRIC_NAMESPACE: HEARTBEAT_METRIC_NAMESPACE, HEARTBEAT_SOURCE: this.source },
      key,
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      reservedConcurrency: 2,
      timeout: ONE_MINUTE,
      statements: [new iam.PolicyStatement({
        sid: 'PutHeartbeatMetric',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': HEARTBEAT_METRIC_NAMESPACE } },
      })],
      outsideVpcReason: 'The function only writes one CloudWatch metric and holds no data.',
      noDeadLetterQueueReason: 'A heartbeat the function fails to record is what the silence alarm pages on; a queue of lost heartbeats would be read by nobody.',
    });
    this.recorder = recorder.fn;
    Validations.of(recorder.policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'cloudwatch:PutMetricData has no resource-level permissions; the statement is limited to the heartbeat namespace by the cloudwatch:namespace condition.',
    });
    this.topic.addSubscription(new subscriptions.LambdaSubscription(this.recorder));

    this.alarm = createRunbookAlarm(this, 'SilenceAlarm', {
      metric: new cloudwatch.Metric({
        namespace: HEARTBEAT_METRIC_NAMESPACE, metricName: HEARTBEAT_METRIC, dimensionsMap: { Source: this.source },
        statistic: cloudwatch.Stats.SUM, period: Duration.minutes(1),
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: silence,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      severity: 'critical',
      summary: `No alerting heartbeat (the Watchdog of ${this.source}) for ${silence} minutes: Prometheus or Alertmanager is broken, so no alert reaches anyone.`,
      runbook: HEARTBEAT_RUNBOOK,
    });
    props.topics.routeAlarm(this.alarm, 'critical');
  }
}
