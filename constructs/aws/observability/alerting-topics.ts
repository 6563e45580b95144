import { Annotations, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { PlatformValidationError } from '../../core/errors';
import { createDataKey } from '../private/encryption';
import type { AlarmSeverity } from '../private/runbook-alarm';
import type { AlertingTopicsProps, ChatChannel } from './alerting-topics-props';
import { severityOf } from './private/alarms';
import { addChatChannels, subscribeReceivers } from './private/alert-subscriptions';

export type { AlarmSeverity } from '../private/runbook-alarm';
export type { AlertingTopicsProps, ChatChannel } from './alerting-topics-props';

/** Id of the warning that the critical (page) topic has no subscriber. */
const CRITICAL_UNSUBSCRIBED = 'platform:alerting:critical-unsubscribed';

/**
 * One encrypted SNS topic per routed severity: `critical` pages, `warning` opens a ticket (DESIGN.md "Alerts").
 * Both are encrypted with one rotating customer key that CloudWatch alarms and Amazon Managed Service for Prometheus
 * may use, only SSL publishing is accepted, and only CloudWatch alarms and AMP workspaces of this account (besides
 * IAM principals of the account) may publish. `pageReceivers` and `ticketReceivers` subscribe e-mail addresses, HTTPS
 * endpoints (PagerDuty, Opsgenie, a status page) and Slack or Microsoft Teams channels (AWS Chatbot) per severity;
 * info reaches nobody. When nothing in the app delivers the critical topic, synth warns
 * (`platform:alerting:critical-unsubscribed`), or fails with `production: true`. `routeAlarm` attaches the topic of
 * an alarm's severity as its alarm and OK action.
 */
export class AlertingTopics extends Construct {
  /** The customer-managed key (rotating, retained) of both topics. */
  public readonly key: kms.Key;
  /** Topic of `critical` alarms and alerts: pages. */
  public readonly critical: sns.Topic;
  /** Topic of `warning` alarms and alerts: opens a ticket. */
  public readonly warning: sns.Topic;
  /** The AWS Chatbot channel configurations of the chat receivers (one per distinct channel). */
  public readonly chatChannels: readonly ChatChannel[];
  private readonly routed = new Set<cloudwatch.IAlarm>();
  private readonly production: boolean;

  constructor(scope: Construct, id: string, props: AlertingTopicsProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const prefix = props.displayNamePrefix ?? this.node.path;
    if (prefix.trim().length === 0 || prefix.length > 90) {
      throw new PlatformValidationError(this.node.path, 'displayNamePrefix', prefix, 'must be 1 to 90 characters',
        "use a short name such as 'checkout' (SNS display names are at most 100 characters)");
    }

    this.key = createDataKey(this, 'Key', `${this.node.path} alerting topics`);
    // CloudWatch alarms and AMP publish to an encrypted topic as their service principal: they need the key.
    for (const service of ['cloudwatch', 'aps']) {
      this.key.addToResourcePolicy(new iam.PolicyStatement({
        sid: `Allow${service === 'aps' ? 'ManagedPrometheus' : 'CloudWatchAlarms'}`,
        principals: [new iam.ServicePrincipal(`${service}.amazonaws.com`)],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }));
    }

    this.critical = this.createTopic('Critical', `${prefix} critical`);
    this.warning = this.createTopic('Warning', `${prefix} warning`);
    this.production = props.production ?? false;
    const page = props.pageReceivers ?? [];
    const ticket = props.ticketReceivers ?? [];
    subscribeReceivers(this.critical, page);
    subscribeReceivers(this.warning, ticket);
    this.chatChannels = addChatChannels(this, [[this.critical, page], [this.warning, ticket]]);
    // Checked at synth, so subscriptions added after construction (anywhere in the app) count.
    this.node.addValidation({ validate: () => { this.warnIfPagesReachNobody(); return []; } });
  }

  /** The topic of `severity`. */
  public topicFor(severity: AlarmSeverity): sns.ITopic {
    return severity === 'critical' ? this.critical : this.warning;
  }

  /**
   * Sends `alarm`'s ALARM and OK transitions to the topic of `severity` (default: the severity its description
   * starts with, `[critical]` or `[warning]`). Routing an alarm twice is a no-op; an imported alarm cannot take
   * actions and gets a warning.
   */
  public routeAlarm(alarm: cloudwatch.IAlarm, severity?: AlarmSeverity): void {
    if (this.routed.has(alarm)) return;
    const resolved = severity ?? severityOf(alarm);
    if (!resolved) {
      throw new PlatformValidationError(this.node.path, 'severity', severity,
        `is missing and ${alarm.node.path} does not declare one (its AlarmDescription does not start with [critical] or [warning])`,
        "pass severity ('critical' or 'warning') or build the alarm with the platform's runbook alarm factory");
    }
    if (!(alarm instanceof cloudwatch.AlarmBase)) {
      Annotations.of(this).addWarningV2('platform:alerting:imported-alarm',
        `${alarm.node.path} is an imported alarm: actions cannot be attached from here. Add the ${resolved} topic to it where it is defined.`);
      return;
    }
    const action = new cloudwatchActions.SnsAction(this.topicFor(resolved));
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.routed.add(alarm);
  }

  /** Adds `topic` to every chat channel (incident updates of Incident Manager, for instance). */
  public addChatTopic(topic: sns.ITopic): void {
    for (const channel of this.chatChannels) channel.addTopic(topic);
  }

  /**
   * A warning naming the fix when nothing in the app delivers the critical topic (no subscription, no chat channel of
   * these topics): pages reach nobody. With `production: true` it is an error.
   */
  private warnIfPagesReachNobody(): void {
    const topicArn = this.critical.topicArn;
    const subscribed = this.node.root.node.findAll()
      .some((c) => c instanceof sns.CfnSubscription && c.topicArn === topicArn);
    const chat = this.chatChannels.some((c) => c.topics.includes(this.critical));
    if (subscribed || chat) return;
    if (this.production) {
      throw new PlatformValidationError(this.node.path, 'pageReceivers', [], 'leaves the critical topic without a subscriber while production is true: pages reach nobody',
        'pass pageReceivers (AlertReceiver.email, https, slack or teams; the reference app: -c pageEmails=... or -c pageWebhookUrls=...) '
        + 'or subscribe the on-call tool to topics.critical');
    }
    Annotations.of(this).addWarningV2(CRITICAL_UNSUBSCRIBED,
      `The critical topic ${this.critical.node.path} has no subscription: pages reach nobody. Pass pageReceivers (AlertReceiver.email, https, `
      + 'slack or teams; the reference app: -c pageEmails=... or -c pageWebhookUrls=...), subscribe the on-call tool (PagerDuty, Opsgenie) to it: '
      + 'topics.critical.addSubscription(new subscriptions.UrlSubscription(\'https://...\')) in the app, or '
      + '`aws sns subscribe --topic-arn <critical topic ARN> --protocol https --notification-endpoint <url>` after deploying '
      + `(then acknowledge this warning: Annotations.of(topics).acknowledgeWarning('${CRITICAL_UNSUBSCRIBED}')).`);
  }

  private createTopic(id: string, displayName: string): sns.Topic {
    const stack = Stack.of(this);
    const topic = new sns.Topic(this, id, { displayName, masterKey: this.key, enforceSSL: true });
    topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarms',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*` },
      },
    }));
    topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowManagedPrometheus',
      principals: [new iam.ServicePrincipal('aps.amazonaws.com')],
      actions: ['sns:Publish', 'sns:GetTopicAttributes'],
      resources: [topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:aps:${stack.region}:${stack.account}:workspace/*` },
      },
    }));
    return topic;
  }
}
