import { Match, Template } from 'aws-cdk-lib/assertions';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { AutoRemediation, alertNameOf } from '../../../constructs/aws/incidents/auto-remediation';
import { ServiceMonitoring } from '../../../constructs/aws/observability/service-monitoring';
import { FeatureFlagEnvironment } from '../../../constructs/aws/release/feature-flag-environment';
import { FeatureFlags } from '../../../constructs/aws/release/feature-flags';
import { REMEDIATIONS } from '../../../constructs/core/incidents/remediations';
import { formatFindings, nagFindings } from '../../helpers/test-stack';
import { platform } from '../observability/fixture';

function build(options: { nag?: boolean; responsePlanName?: string } = {}) {
  const p = platform({ nag: options.nag });
  p.topics.critical.addSubscription(new subscriptions.EmailSubscription('oncall@example.com'));
  const monitoring = new ServiceMonitoring(p.stack, 'Monitoring', { service: p.service, topics: p.topics, serviceName: 'checkout' });
  const remediation = new AutoRemediation(p.stack, 'Remediation', {
    service: 'checkout', drillRegions: ['eu-west-1', 'eu-central-1'], responsePlanName: options.responsePlanName, key: p.topics.key,
  });
  remediation.addServiceActions(p.service);
  const flags = new FeatureFlags(p.stack, 'FeatureFlags', { service: 'checkout', key: p.topics.key });
  const environment = new FeatureFlagEnvironment(p.stack, 'FlagEnvironment', { flags, service: p.service, monitors: [monitoring.pageAlarm] });
  remediation.addFlagActions({ flags, environment: environment.environment });
  const bound = remediation.bindAlarms(monitoring.alarms);
  return { ...p, monitoring, remediation, bound, template: () => Template.fromStack(p.stack) };
}

describe('AutoRemediation', () => {
  test('each action is an SSM Automation document rendered from the core allowlist, with the service\'s names as defaults', () => {
    const template = build().template();
    for (const id of ['scale-out', 'replace-unhealthy-tasks', 'cache-bypass', 'kill-switch']) {
      template.hasResourceProperties('AWS::SSM::Document', { Name: `checkout-remediate-${id}`, DocumentType: 'Automation', UpdateMethod: 'NewVersion' });
    }
    template.hasResourceProperties('AWS::SSM::Document', {
      Name: 'checkout-remediate-cache-bypass',
      Content: Match.objectLike({ parameters: Match.objectLike({
        FlagFunctionName: Match.objectLike({ default: { Ref: Match.stringLikeRegexp('^FeatureFlagsSwitch') } }),
        Environment: Match.objectLike({ default: 'eu-west-1' }),
        ApplicationId: Match.objectLike({ default: { Ref: Match.stringLikeRegexp('^FeatureFlagsApplication') } }),
        EnvironmentId: Match.objectLike({ default: { Ref: Match.stringLikeRegexp('^FlagEnvironment') } }),
      }) }),
    });
    // The flags are AppConfig feature flags now: no Parameter Store flag is left that nothing reads.
    expect(Object.values(template.findResources('AWS::SSM::Parameter')).map((r) => (r.Properties as { Name: string }).Name)).toEqual(['/checkout/remediation/paused']);
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/checkout/remediation/paused', Value: 'false' });
  });

  test('alarms bind by their runbook: CPU and latency scale out, unhealthy targets and memory replace tasks', () => {
    const { bound, remediation, monitoring, service } = build();
    expect(bound.sort()).toEqual(['replace-unhealthy-tasks', 'scale-out']);
    expect(remediation.bindings.get('scale-out')).toEqual([service.highLatencyAlarm, monitoring.ecsCpuAlarm]);
    expect(remediation.bindings.get('replace-unhealthy-tasks')).toEqual([service.unhealthyTargetsAlarm, monitoring.ecsMemoryAlarm]);
    expect(alertNameOf(monitoring.ecsCpuAlarm)).toBe('CpuSaturationHigh');
  });

  test('one EventBridge rule sends the ALARM transitions of the bound alarms to the guard; another the end of every run', () => {
    const template = build().template();
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'], 'detail': { state: { value: ['ALARM'] } },
        'resources': Match.arrayWith([{ 'Fn::GetAtt': [Match.stringLikeRegexp('^MonitoringEcsCpuAlarm'), 'Arn'] }]),
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RemediationGuard'), 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 900 } })],
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.ssm'], 'detail-type': ['EC2 Automation Execution Status-change Notification'],
        'detail': { Definition: ['checkout-remediate-scale-out', 'checkout-remediate-replace-unhealthy-tasks', 'checkout-remediate-cache-bypass', 'checkout-remediate-kill-switch'], Status: ['Success', 'Failed', 'TimedOut', 'Cancelled'] },
      },
    });
  });

  test('the guard runs one invocation at a time and knows the actions, cool-downs, drills, pause switch and incident plan', () => {
    const template = build({ responsePlanName: 'checkout-service-page' }).template();
    template.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 1,
      Environment: {
        Variables: Match.objectLike({
          SERVICE: 'checkout', PAUSE_PARAMETER: '/checkout/remediation/paused', DRILL_DOCUMENT_PREFIX: 'checkout-drill-',
          DRILL_REGIONS: 'eu-west-1,eu-central-1', RESPONSE_PLAN_NAME: 'checkout-service-page',
          ACTIONS: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp('"cooldownSeconds":1800')])]) }),
        }),
      },
    });
  });

  test('least privilege: the automation may update this service and switch its flags only; the guard may start these documents only', () => {
    const template = build({ responsePlanName: 'checkout-service-page' }).template();
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([
        Match.objectLike({ Action: ['ecs:DescribeServices', 'ecs:UpdateService'], Resource: { Ref: Match.stringLikeRegexp('^CheckoutService') } }),
        Match.objectLike({ Sid: 'SwitchFlags', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FeatureFlagsSwitch'), 'Arn'] } }),
        Match.objectLike({
          Sid: 'ReadFlagDeployments', Action: 'appconfig:ListDeployments',
          Resource: { 'Fn::Join': ['', Match.arrayWith([{ Ref: Match.stringLikeRegexp('^FlagEnvironment') }])] },
        }),
      ]) },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([
        Match.objectLike({ Sid: 'PassAutomationRole', Condition: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } } }),
        Match.objectLike({ Sid: 'RecordOnTimeline', Resource: 'arn:aws:ssm-incidents::111111111111:incident-record/checkout-service-page/*' }),
        Match.objectLike({ Sid: 'StartActions', Action: 'ssm:StartAutomationExecution', Resource: 'arn:aws:ssm:eu-west-1:111111111111:automation-definition/checkout-remediate-*' }),
      ]) },
    });
  });

  test('every action of the allowlist that targets a regional service is deployable here', () => {
    const { remediation } = build();
    expect(remediation.actionIds).toEqual(REMEDIATIONS.filter((a) => a.id !== 'tighten-waf-rate-limit').map((a) => a.id));
  });

  test('a tight WAF limit not below the normal one is refused', () => {
    const { remediation } = build();
    expect(() => remediation.addWafRateLimitAction({ ruleGroupName: 'g', ruleGroupId: 'i', ruleGroupArn: 'a', metricName: 'm', normalLimit: 2000, tightLimit: 2000 }))
      .toThrow("Test/Remediation: tightLimit (2000) must be a whole number from 100 (WAF's minimum) to below normalLimit (2000): leave it out (a quarter of normalLimit) or lower it");
  });

  test('cdk-nag AwsSolutions and NIST 800-53 rev 5 pass', () => {
    const { stack } = build({ nag: true, responsePlanName: 'checkout-service-page' });
    expect(formatFindings(nagFindings(stack))).toEqual([]);
  });
});
