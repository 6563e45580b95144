import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { IncidentResponse } from '../../../constructs/aws/incidents/incident-response';
import type { IncidentResponseProps } from '../../../constructs/aws/incidents/incident-response';
import { AlertReceiver } from '../../../constructs/aws/observability/alert-receiver';
import { AlertingTopics } from '../../../constructs/aws/observability/alerting-topics';
import { formatFindings, nagFindings, testStack } from '../../helpers/test-stack';

const ALICE = { alias: 'alice', email: 'alice@example.com' };
const BOB = { alias: 'bob', email: 'bob@example.com' };
const CAROL = { alias: 'carol', email: 'carol@example.com' };
const DAVE = { alias: 'dave', email: 'dave@example.com' };

function build(props: Partial<IncidentResponseProps> = {}, nag = false) {
  const stack = testStack({ nag });
  const topics = new AlertingTopics(stack, 'Alerting', { pageReceivers: [AlertReceiver.slack({ workspaceId: 'T01', channelId: 'C01' })] });
  topics.critical.addSubscription(new subscriptions.EmailSubscription('oncall@example.com'));
  const incidents = new IncidentResponse(stack, 'Incidents', { service: 'checkout', onCallContacts: [ALICE, BOB, CAROL], topics, ...props });
  const alarm = new cloudwatch.Alarm(stack, 'Page', {
    metric: new cloudwatch.Metric({ namespace: 'T', metricName: 'M', period: Duration.minutes(1) }), threshold: 1, evaluationPeriods: 1,
    alarmDescription: '[critical] page Runbook: https://x/runbooks/alerts/service/ServiceCriticalSymptoms.md',
  });
  alarm.addAlarmAction({ bind: () => ({ alarmActionArn: 'arn:aws:sns:eu-west-1:111111111111:t' }) });
  incidents.addResponsePlan({
    title: 'checkout is failing', runbookUrl: 'https://x/runbooks/alerts/service/ServiceCriticalSymptoms.md', dashboardName: 'checkout-dash', alarms: [alarm],
  });
  return { stack, incidents, template: () => Template.fromStack(stack) };
}

describe('IncidentResponse', () => {
  test('a personal contact per person, each with an e-mail channel engaged at once; aliases carry the service', () => {
    const template = build({ seniorEngineer: DAVE }).template();
    template.resourceCountIs('AWS::SSMContacts::ContactChannel', 4);
    template.hasResourceProperties('AWS::SSMContacts::Contact', { Alias: 'checkout-alice', Type: 'PERSONAL' });
    template.hasResourceProperties('AWS::SSMContacts::ContactChannel', { ChannelType: 'EMAIL', ChannelAddress: 'dave@example.com' });
    template.hasResourceProperties('AWS::SSMContacts::Plan', {
      Stages: [{ DurationInMinutes: 0, Targets: [{ ChannelTargetInfo: { ChannelId: { 'Fn::GetAtt': [Match.stringLikeRegexp('ContactalicEmail|Contactalice'), 'Arn'] }, RetryIntervalInMinutes: 1 } }] }],
    });
  });

  test('weekly rotations in escalation order: the secondary is the next one in the list', () => {
    const template = build().template();
    const rotations = Object.values(template.findResources('AWS::SSMContacts::Rotation')).map((r) => r.Properties as Record<string, unknown>);
    const ids = (r: Record<string, unknown>) => (r.ContactIds as Array<{ 'Fn::GetAtt': string[] }>).map((c) => c['Fn::GetAtt'][0].replace(/^IncidentsContact(\w+?)[0-9A-F]{8}$/, '$1'));
    expect(rotations.map((r) => [r.Name, ids(r)])).toEqual([
      ['checkout_primary_on_call', ['alice', 'bob', 'carol']],
      ['checkout_secondary_on_call', ['bob', 'carol', 'alice']],
    ]);
    expect(rotations[0]).toMatchObject({
      StartTime: '2026-01-05T09:00:00', TimeZoneId: 'UTC',
      Recurrence: { NumberOfOnCalls: 1, RecurrenceMultiplier: 1, WeeklySettings: [{ DayOfWeek: 'MON', HandOffTime: '09:00' }] },
    });
  });

  test('the escalation plan: primary schedule at 0, secondary at 5, senior engineer at 15, incident commander at 30', () => {
    const template = build({ seniorEngineer: DAVE }).template();
    const plan = Object.values(template.findResources('AWS::SSMContacts::Contact', { Properties: { Type: 'ESCALATION' } }))[0].Properties as {
      Alias: string; Plan: Array<{ DurationInMinutes: number; Targets: Array<{ ContactTargetInfo: { ContactId: { 'Fn::GetAtt': string[] }; IsEssential: boolean } }> }>;
    };
    expect(plan.Alias).toBe('checkout-escalation');
    expect(plan.Plan.map((s) => s.DurationInMinutes)).toEqual([5, 10, 15, 0]);
    const target = (i: number) => plan.Plan[i].Targets.map((t) => t.ContactTargetInfo.ContactId['Fn::GetAtt'][0].replace(/[0-9A-F]{8}$/, ''));
    expect([target(0), target(1), target(2)]).toEqual([['IncidentsPrimarySchedule'], ['IncidentsSecondarySchedule'], ['IncidentsContactdave']]);
    // Without an incident commander, the last stage engages the whole rotation; acknowledging stops the escalation.
    expect(target(3)).toEqual(['IncidentsContactalice', 'IncidentsContactbob', 'IncidentsContactcarol']);
    expect(plan.Plan.every((s) => s.Targets.every((t) => t.ContactTargetInfo.IsEssential))).toBe(true);
  });

  test('the response plan carries runbook, dashboard, chat channel and impact, engages the escalation plan, and the alarm opens it', () => {
    const template = build().template();
    template.hasResourceProperties('AWS::SSMIncidents::ResponsePlan', {
      Name: 'checkout-service-page',
      Engagements: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^IncidentsEscalationPlan'), 'Arn'] }],
      ChatChannel: { ChatbotSns: [{ Ref: Match.stringLikeRegexp('^IncidentsChatTopic') }] },
      IncidentTemplate: {
        Title: 'checkout is failing', Impact: 2, DedupeString: 'checkout-service-page',
        Summary: Match.stringLikeRegexp('Runbook: https://x/runbooks/alerts/service/ServiceCriticalSymptoms\\.md .*#dashboards/dashboard/checkout-dash'),
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: Match.arrayWith(['arn:aws:ssm-incidents::111111111111:response-plan/checkout-service-page']),
    });
    // The chat channel (AWS Chatbot) receives the incident updates too.
    template.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
      SnsTopicArns: Match.arrayWith([{ Ref: Match.stringLikeRegexp('^IncidentsChatTopic') }]),
    });
  });

  test('the platform:* stack tags stay off SSM Contacts resources (their tag keys allow no colon)', () => {
    const template = build().template();
    for (const r of Object.values(template.findResources('AWS::SSMContacts::Contact'))) expect(r.Properties.Tags).toBeUndefined();
  });

  test('replicationRegions creates a retained, deletion-protected replication set every Incident Manager resource waits for', () => {
    const template = build({ replicationRegions: ['eu-west-1', 'eu-central-1'] }).template();
    template.hasResource('AWS::SSMIncidents::ReplicationSet', {
      DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain',
      Properties: { Regions: [{ RegionName: 'eu-west-1' }, { RegionName: 'eu-central-1' }], DeletionProtected: true },
    });
    template.hasResource('AWS::SSMContacts::Rotation', { DependsOn: Match.arrayWith([Match.stringLikeRegexp('^IncidentsReplicationSet')]) });
    template.hasResource('AWS::SSMIncidents::ResponsePlan', { DependsOn: Match.arrayWith([Match.stringLikeRegexp('^IncidentsReplicationSet')]) });
  });

  test.each([
    [{ onCallContacts: [ALICE] }, "Test/Incidents: onCallContacts ([\"alice\"]) has fewer than 2 contacts: there is no secondary on-call: list at least two people in escalation order (the reference app: -c onCallContacts=alice:alice@example.com,bob:bob@example.com)"],
    [{ onCallContacts: [ALICE, { alias: 'Bob', email: 'bob@example.com' }] }, "Test/Incidents: onCallContacts.alias ('Bob') is not a contact alias: use lowercase letters, digits, '-' and '_', e.g. 'alice'"],
    [{ onCallContacts: [ALICE, { alias: 'bob', email: 'bob' }] }, "Test/Incidents: onCallContacts (bob).email ('bob') is not an e-mail address: use an address such as 'oncall@example.com'"],
    [{ onCallContacts: [ALICE, ALICE] }, "Test/Incidents: onCallContacts ('alice') is listed twice in the rotation: list each person once, in escalation order"],
    [{ seniorEngineer: { alias: 'alice', email: 'other@example.com' } }, "Test/Incidents: onCallContacts.alias ('alice') names two e-mail addresses (alice@example.com, other@example.com): give every person one alias and one address"],
    [{ rotationStart: 'monday' }, "Test/Incidents: rotationStart ('monday') is not a local date and time: use 'YYYY-MM-DDTHH:MM:SS', e.g. '2026-01-05T09:00:00'"],
    [{ replicationRegions: ['a', 'b', 'c', 'd'] }, "Test/Incidents: replicationRegions ('a') is not an AWS region: use region codes, e.g. ['eu-west-1', 'eu-central-1']"],
  ])('refuses %p', (props, message) => {
    expect(() => build(props)).toThrow(message);
  });

  test('an impact outside 1..5 is refused', () => {
    const { incidents } = build();
    expect(() => incidents.addResponsePlan({ name: 'other', title: 't', runbookUrl: 'u', dashboardName: 'd', impact: 0 })).toThrow(
      'Test/Incidents: impact (0) is not an Incident Manager impact: use 1 (critical) to 5 (no impact); 2 is a partial outage');
  });

  test('cdk-nag AwsSolutions and NIST 800-53 rev 5 pass', () => {
    const { stack } = build({ replicationRegions: ['eu-west-1', 'eu-central-1'], seniorEngineer: DAVE }, true);
    expect(formatFindings(nagFindings(stack))).toEqual([]);
  });
});
