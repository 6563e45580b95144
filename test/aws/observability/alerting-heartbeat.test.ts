import { Match, Template } from 'aws-cdk-lib/assertions';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { AlertingHeartbeat } from '../../../constructs/aws/observability/alerting-heartbeat';
import { AlertingTopics } from '../../../constructs/aws/observability/alerting-topics';
import { ManagedPrometheus } from '../../../constructs/aws/observability/managed-prometheus';
import { formatFindings, nagFindings, testStack } from '../../helpers/test-stack';

function build(nag = false) {
  const stack = testStack({ nag });
  const topics = new AlertingTopics(stack, 'Alerting');
  const heartbeat = new AlertingHeartbeat(stack, 'Heartbeat', { topics });
  return { stack, topics, heartbeat };
}

describe('AlertingHeartbeat', () => {
  test('the alarm pages (critical topic) after 10 silent minutes, missing data breaching, with its runbook', () => {
    const template = Template.fromStack(build().stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Platform/Alerting',
      MetricName: 'AlertingHeartbeat',
      Dimensions: [{ Name: 'Source', Value: 'Test/Heartbeat' }],
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 10,
      DatapointsToAlarm: 10,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlertingCritical') }],
      AlarmDescription: Match.stringLikeRegexp('^\\[critical\\] No alerting heartbeat .* Runbook: https://\\S+/runbooks/alerts/platform/AlertingHeartbeatMissing\\.md$'),
    });
  });

  test('the heartbeat topic is encrypted, admits AMP workspaces of this account, and delivers to the recording function', () => {
    const template = Template.fromStack(build().stack);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlertingKey'), 'Arn'] } });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: Match.stringLikeRegexp('^HeartbeatTopic') }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowManagedPrometheus', Principal: { Service: 'aps.amazonaws.com' } })]) },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'lambda', TopicArn: { Ref: Match.stringLikeRegexp('^HeartbeatTopic') } });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x', Architectures: ['arm64'], ReservedConcurrentExecutions: 2,
      Environment: { Variables: { METRIC_NAMESPACE: 'Platform/Alerting', HEARTBEAT_SOURCE: 'Test/Heartbeat' } },
    });
  });

  test('the function may put metrics in its namespace only', () => {
    Template.fromStack(build().stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: 'cloudwatch:PutMetricData', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': 'Platform/Alerting' } },
        })]),
      },
    });
  });

  test('ManagedPrometheus sends the Watchdog to the heartbeat topic with a status-only message', () => {
    const { stack, topics, heartbeat } = build();
    const prometheus = new ManagedPrometheus(stack, 'Prometheus', { topics, heartbeatTopic: heartbeat.topic });
    prometheus.addPlatformAlerts();
    type Config = { route: { routes: Array<Record<string, unknown>> }; receivers: Array<Record<string, unknown>> };
    const config = prometheus.alertmanagerConfig!.toConfig() as Config;
    expect(config.route.routes[0]).toMatchObject({ receiver: 'heartbeat', matchers: ['alertname="Watchdog"'], repeat_interval: '5m' });
    expect(config.receivers.find((r) => r.name === 'heartbeat')).toMatchObject({ sns_configs: [{ message: '{{ .Status }}', send_resolved: true }] });
  });

  test('a heartbeat without the Watchdog rule fails the synth, naming the fix', () => {
    const { stack, topics, heartbeat } = build();
    new ManagedPrometheus(stack, 'Prometheus', {
      topics, heartbeatTopic: heartbeat.topic,
      ruleGroups: [{ name: 'other', rules: [{
        alert: 'Other', expr: 'vector(1)', labels: { severity: 'info' }, annotations: { summary: 's', description: 'd', runbook_url: 'https://x/runbooks/a.md' },
      }] }],
    });
    expect(() => Template.fromStack(stack)).toThrow("Test/Prometheus: heartbeatTopic ('heartbeat') receives the Watchdog heartbeat, but the workspace evaluates no "
      + "Watchdog rule: the dead man's switch would page at once: call addPlatformAlerts() (or pass a rule group with the Watchdog alert)");
  });

  test('silenceMinutes outside 6..60 is refused', () => {
    const stack = testStack();
    const topics = new AlertingTopics(stack, 'Alerting');
    expect(() => new AlertingHeartbeat(stack, 'Heartbeat', { topics, silenceMinutes: 5 })).toThrow(
      'Test/Heartbeat: silenceMinutes (5) must be a whole number of minutes from 6 to 60: leave room for the 5-minute Watchdog repeat: e.g. 10');
  });

  test('cdk-nag AwsSolutions and NIST 800-53 rev 5 pass', () => {
    const { stack, topics } = build(true);
    topics.critical.addSubscription(new subscriptions.EmailSubscription('oncall@example.com'));
    expect(formatFindings(nagFindings(stack))).toEqual([]);
  });
});
