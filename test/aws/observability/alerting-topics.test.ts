import { Duration } from 'aws-cdk-lib';
import type { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { AlertReceiver } from '../../../constructs/aws/observability/alert-receiver';
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
    const WARNING = 'The critical topic Test/Alerting/Critical has no subscription: pages reach nobody. Pass pageReceivers (AlertReceiver.email, https, '
      + 'slack or teams; the reference app: -c pageEmails=... or -c pageWebhookUrls=...), subscribe the on-call tool (PagerDuty, Opsgenie) to it: '
      + "topics.critical.addSubscription(new subscriptions.UrlSubscription('https://...')) in the app, or "
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

  describe('receivers per severity', () => {
    const PAGERDUTY = 'https://events.pagerduty.com/integration/abc123/enqueue';
    const SLACK = AlertReceiver.slack({ workspaceId: 'T0123ABCD', channelId: 'C0123ABCD' });

    test('page receivers subscribe to the critical topic, ticket receivers to the warning topic', () => {
      const stack = testStack();
      new AlertingTopics(stack, 'Alerting', {
        pageReceivers: [AlertReceiver.email('oncall@example.com'), AlertReceiver.https(PAGERDUTY)],
        ticketReceivers: [AlertReceiver.email('tickets@example.com')],
      });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::SNS::Subscription', 3);
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn: { Ref: Match.stringLikeRegexp('^AlertingCritical') },
      });
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'https', Endpoint: PAGERDUTY, TopicArn: { Ref: Match.stringLikeRegexp('^AlertingCritical') },
      });
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email', Endpoint: 'tickets@example.com', TopicArn: { Ref: Match.stringLikeRegexp('^AlertingWarning') },
      });
      Annotations.fromStack(stack).hasNoWarning('/Test/Alerting', Match.stringLikeRegexp('critical-unsubscribed'));
    });

    test('one Slack channel (AWS Chatbot) posts both severities, with a read-only guardrail', () => {
      const stack = testStack();
      new AlertingTopics(stack, 'Alerting', { pageReceivers: [SLACK], ticketReceivers: [SLACK] });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 1);
      template.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
        SlackWorkspaceId: 'T0123ABCD',
        SlackChannelId: 'C0123ABCD',
        SnsTopicArns: [{ Ref: Match.stringLikeRegexp('^AlertingCritical') }, { Ref: Match.stringLikeRegexp('^AlertingWarning') }],
        GuardrailPolicies: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/ReadOnlyAccess']] }],
      });
      // A chat channel on the critical topic is a subscriber: no warning.
      Annotations.fromStack(stack).hasNoWarning('/Test/Alerting', Match.stringLikeRegexp('critical-unsubscribed'));
    });

    test('a Microsoft Teams channel gets its own configuration and a role without permissions', () => {
      const stack = testStack();
      new AlertingTopics(stack, 'Alerting', {
        pageReceivers: [AlertReceiver.teams({
          teamId: '11111111-2222-3333-4444-555555555555', tenantId: '66666666-7777-8888-9999-000000000000', channelId: '19%3Aabc%40thread.tacv2',
        })],
      });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::Chatbot::MicrosoftTeamsChannelConfiguration', {
        TeamId: '11111111-2222-3333-4444-555555555555',
        TeamsChannelId: '19%3Aabc%40thread.tacv2',
        SnsTopicArns: [{ Ref: Match.stringLikeRegexp('^AlertingCritical') }],
      });
      template.resourceCountIs('AWS::IAM::Policy', 0);
    });

    test('with production: true a critical topic that reaches nobody fails the synth', () => {
      const stack = testStack();
      new AlertingTopics(stack, 'Alerting', { production: true, ticketReceivers: [AlertReceiver.email('tickets@example.com')] });
      expect(() => Template.fromStack(stack)).toThrow(
        "Test/Alerting: pageReceivers ([]) leaves the critical topic without a subscriber while production is true: pages reach nobody: pass pageReceivers "
        + '(AlertReceiver.email, https, slack or teams; the reference app: -c pageEmails=... or -c pageWebhookUrls=...) or subscribe the on-call tool to topics.critical');
    });

    test('with production: true and a page receiver it synthesizes', () => {
      const stack = testStack();
      new AlertingTopics(stack, 'Alerting', { production: true, pageReceivers: [AlertReceiver.https(PAGERDUTY)] });
      expect(() => Template.fromStack(stack)).not.toThrow();
    });

    test.each([
      [() => AlertReceiver.email('oncall@'), "AlertReceiver.email: address ('oncall@') is not an e-mail address: use an address such as 'oncall@example.com'"],
      [() => AlertReceiver.https('http://events.pagerduty.com/x'),
        "AlertReceiver.https: url ('http://events.pagerduty.com/x') is not an https URL: use an https:// URL such as https://events.pagerduty.com/integration/<key>/enqueue"],
      [() => AlertReceiver.slack({ workspaceId: 'my-team', channelId: 'C1' }),
        "AlertReceiver.slack: workspaceId ('my-team') is not a Slack workspace id: use the id AWS Chatbot shows for the authorized workspace, e.g. T0123ABCD"],
      [() => AlertReceiver.slack({ workspaceId: 'T1', channelId: '#alerts' }),
        "AlertReceiver.slack: channelId ('#alerts') is not a Slack channel id: use the channel id from the channel details, e.g. C0123ABCD"],
      [() => AlertReceiver.teams({ teamId: 'team', tenantId: '66666666-7777-8888-9999-000000000000', channelId: 'c' }),
        "AlertReceiver.teams: teamId ('team') is not a UUID: copy it from the channel link AWS Chatbot asks for"],
      [() => AlertReceiver.teams({ teamId: '11111111-2222-3333-4444-555555555555', tenantId: '66666666-7777-8888-9999-000000000000', channelId: '19:abc@thread.tacv2' }),
        "AlertReceiver.teams: channelId ('19:abc@thread.tacv2') is not a URL-encoded Teams channel id: copy it from the channel link as it is there, e.g. 19%3Aabc%40thread.tacv2"],
    ])('bad receiver %#', (make, message) => {
      expect(make).toThrow(message);
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
