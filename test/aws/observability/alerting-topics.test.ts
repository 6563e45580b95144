import { Duration } from 'aws-cdk-lib';
import type { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { AlertingTopics } from '../../../constructs/aws/observability/alerting-topics';
import { createRunbookAlarm } from '../../../constructs/aws/private/runbook-alarm';
import { testStack } from '../../helpers/test-stack';

const METRIC = new cloudwatch.Metric({ namespace: 'Test', metricName: 'Errors', period: Duration.minutes(1) });

/** A literal ARN: `@aws-cdk/core:enablePartitionLiterals` (recommended flags) writes the partition of a known region. */
const arn = (rest: string) => `arn:aws${rest}`;

function build() {
  const stack = testStack();
  const topics = new AlertingTopics(stack, 'Alerting');
  return { stack, topics };
}

describe('AlertingTopics', () => {
  describe('encryption', () => {
    test('both topics are encrypted with the rotating key', () => {
      const template = Template.fromStack(build().stack);
      template.resourceCountIs('AWS::SNS::Topic', 2);
      for (const name of ['Critical', 'Warning']) {
        template.hasResourceProperties('AWS::SNS::Topic', {
          DisplayName: `Test/Alerting ${name.toLowerCase()}`,
          KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlertingKey'), 'Arn'] },
        });
      }
      template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ EnableKeyRotation: true }) });
    });

    test.each([['cloudwatch.amazonaws.com'], ['aps.amazonaws.com']])('the key lets %s encrypt for this account only', (service) => {
      Template.fromStack(build().stack).hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: service },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
          })]),
        },
      });
    });
  });

  describe('topic policies', () => {
    test('each topic denies non-SSL publishing and admits CloudWatch alarms and AMP workspaces of this account', () => {
      const template = Template.fromStack(build().stack);
      template.resourceCountIs('AWS::SNS::TopicPolicy', 2);
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: Match.stringLikeRegexp('^AlertingCritical') }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({
              Sid: 'AllowCloudWatchAlarms',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Condition: {
                StringEquals: { 'aws:SourceAccount': '111111111111' },
                ArnLike: { 'aws:SourceArn': arn(':cloudwatch:eu-west-1:111111111111:alarm:*') },
              },
            }),
            Match.objectLike({
              Sid: 'AllowManagedPrometheus',
              Principal: { Service: 'aps.amazonaws.com' },
              Action: ['sns:GetTopicAttributes', 'sns:Publish'],
              Condition: {
                StringEquals: { 'aws:SourceAccount': '111111111111' },
                ArnLike: { 'aws:SourceArn': arn(':aps:eu-west-1:111111111111:workspace/*') },
              },
            }),
          ]),
        },
      });
    });
  });

  describe('routeAlarm', () => {
    test.each([['critical', 'AlertingCritical'], ['warning', 'AlertingWarning']] as const)(
      'a %s alarm notifies %s on ALARM and OK (severity read from its description)', (severity, topic) => {
        const { stack, topics } = build();
        const alarm = createRunbookAlarm(stack, 'Alarm', {
          metric: METRIC, threshold: 1, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1, severity, summary: 'Errors.', runbook: 'alerts/service/ServiceHigh5xxRate',
        });
        topics.routeAlarm(alarm);
        topics.routeAlarm(alarm);
        Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
          AlarmActions: [{ Ref: Match.stringLikeRegexp(`^${topic}`) }],
          OKActions: [{ Ref: Match.stringLikeRegexp(`^${topic}`) }],
        });
      });

    test('an alarm without a declared severity needs one', () => {
      const { stack, topics } = build();
      const alarm = new cloudwatch.Alarm(stack, 'Plain', { metric: METRIC, threshold: 1, evaluationPeriods: 1 });
      expect(() => topics.routeAlarm(alarm)).toThrow(
        "Test/Alerting: severity (undefined) is missing and Test/Plain does not declare one (its AlarmDescription does not start with [critical] or [warning]): pass severity ('critical' or 'warning') or build the alarm with the platform's runbook alarm factory");
      topics.routeAlarm(alarm, 'warning');
      Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlertingWarning') }] });
    });
  });

  describe('pages that reach nobody', () => {
    const WARNING = 'The critical topic Test/Alerting/Critical has no subscription: pages reach nobody. Subscribe the on-call tool '
      + "(PagerDuty, Opsgenie) to it: topics.critical.addSubscription(new subscriptions.UrlSubscription('https://...')) in the app, or "
      + '`aws sns subscribe --topic-arn <critical topic ARN> --protocol https --notification-endpoint <url>` after deploying '
      + "(then acknowledge this warning: Annotations.of(topics).acknowledgeWarning('platform:alerting:critical-unsubscribed')). "
      + '[ack: platform:alerting:critical-unsubscribed]';

    test('a critical topic without a subscription warns, naming the fix', () => {
      const { stack } = build();
      Annotations.fromStack(stack).hasWarning('/Test/Alerting', WARNING);
    });

    test('a subscription added after construction silences it', () => {
      const { stack, topics } = build();
      topics.critical.addSubscription(new subscriptions.UrlSubscription('https://events.pagerduty.com/integration/abc/enqueue'));
      Annotations.fromStack(stack).hasNoWarning('/Test/Alerting', Match.stringLikeRegexp('critical-unsubscribed'));
    });

    test('a subscription from another stack counts; one on the warning topic does not', () => {
      const subscribe = (b: ReturnType<typeof build>, topic: sns.ITopic): void => {
        const consumer = testStack({ app: b.stack.node.root as App, id: 'Consumer' });
        new sns.Subscription(consumer, 'OnCall', { topic, protocol: sns.SubscriptionProtocol.HTTPS, endpoint: 'https://oncall.example.com/hook' });
      };
      const ticketsOnly = build();
      subscribe(ticketsOnly, ticketsOnly.topics.warning);
      Annotations.fromStack(ticketsOnly.stack).hasWarning('/Test/Alerting', WARNING);
      const paged = build();
      subscribe(paged, paged.topics.critical);
      Annotations.fromStack(paged.stack).hasNoWarning('/Test/Alerting', Match.stringLikeRegexp('critical-unsubscribed'));
    });
  });

  describe('validation', () => {
    test.each([
      ['', "Test/Alerting: displayNamePrefix ('') must be 1 to 90 characters: use a short name such as 'checkout' (SNS display names are at most 100 characters)"],
      ['x'.repeat(91), `Test/Alerting: displayNamePrefix ('${'x'.repeat(91)}') must be 1 to 90 characters: use a short name such as 'checkout' (SNS display names are at most 100 characters)`],
    ])('displayNamePrefix %p is refused', (prefix, message) => {
      expect(() => new AlertingTopics(testStack(), 'Alerting', { displayNamePrefix: prefix })).toThrow(message);
    });
  });
});
