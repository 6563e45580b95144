import { Step } from '../../../constructs/core/drills/steps';
import { RemediationAction, remediationDocumentName, renderRemediationDocument } from '../../../constructs/core/incidents/remediation';
import type { RemediationActionProps } from '../../../constructs/core/incidents/remediation';
import {
  CACHE_BYPASS, KILL_SWITCH, REMEDIATIONS, REPLACE_UNHEALTHY_TASKS, SCALE_OUT, TIGHTEN_WAF_RATE_LIMIT, remediationsTriggeredBy,
} from '../../../constructs/core/incidents/remediations';

const base: RemediationActionProps = {
  id: 'test-action', title: 'Test', summary: 'A test.', triggers: ['CpuSaturationHigh'], parameters: [{ name: 'ServiceName', description: 'x' }],
  cooldown: '30m', undo: 'nothing',
  steps: [Step.awsApi({ name: 'Call', description: 'd', timeout: '1m', service: 'ecs', api: 'UpdateService', params: { service: '{{ ServiceName }}' } })],
};

describe('the remediation allowlist', () => {
  test('holds exactly the safe actions: scale out, replace tasks, cache bypass, kill switch, tighten the WAF rate limit', () => {
    expect(REMEDIATIONS.map((a) => a.id)).toEqual(['scale-out', 'replace-unhealthy-tasks', 'cache-bypass', 'kill-switch', 'tighten-waf-rate-limit']);
  });

  test('no action fails over a database, switches a region or moves traffic', () => {
    const calls = REMEDIATIONS.flatMap((a) => a.steps.flatMap((s) => (s.kind === 'aws-api' || s.kind === 'wait-for' ? [`${s.call.service}:${s.call.api}`] : [])));
    expect(calls.filter((c) => /Failover|Switchover|Promote|region-switch|ChangeResourceRecordSets|RoutingControl|ZonalShift/.test(c))).toEqual([]);
    expect(new Set(calls)).toEqual(new Set([
      'application-autoscaling:DescribeScalableTargets', 'ecs:UpdateService', 'ecs:DescribeServices', 'lambda:Invoke', 'appconfig:ListDeployments',
      'wafv2:GetRuleGroup', 'wafv2:UpdateRuleGroup',
    ]));
  });

  test('alerts map to the actions they start', () => {
    expect(remediationsTriggeredBy('CpuSaturationHigh')).toEqual([SCALE_OUT]);
    expect(remediationsTriggeredBy('ServiceUnhealthyTargets')).toEqual([REPLACE_UNHEALTHY_TASKS]);
    expect(remediationsTriggeredBy('CacheEngineCpuHigh')).toEqual([CACHE_BYPASS]);
    expect(remediationsTriggeredBy('AuroraCpuHigh')).toEqual([KILL_SWITCH]);
    expect(remediationsTriggeredBy('EdgeTrafficSpike')).toEqual([TIGHTEN_WAF_RATE_LIMIT]);
    expect(remediationsTriggeredBy('AuroraReplicaLagHigh')).toEqual([]);
  });
});

describe('rendered SSM Automation documents', () => {
  test('scale-out reads the maximum as an Integer output and sets the desired count to it', () => {
    const doc = renderRemediationDocument(SCALE_OUT, { ClusterName: 'c', ServiceName: 's' });
    expect(remediationDocumentName('checkout', SCALE_OUT)).toBe('checkout-remediate-scale-out');
    expect(doc.parameters.ClusterName).toEqual({ type: 'String', description: 'ECS cluster of the service.', default: 'c' });
    expect(doc.mainSteps.map((s) => [s.name, s.action, s.onFailure, s.timeoutSeconds])).toEqual([
      ['ReadMaximum', 'aws:executeAwsApi', 'Abort', 60],
      ['ScaleToMaximum', 'aws:executeAwsApi', 'Abort', 60],
    ]);
    expect(doc.mainSteps[0].outputs).toEqual([{ Name: 'MaxCapacity', Selector: '$.ScalableTargets[0].MaxCapacity', Type: 'Integer' }]);
    expect(doc.mainSteps[1].inputs).toEqual({
      Service: 'ecs', Api: 'UpdateService', cluster: '{{ ClusterName }}', service: '{{ ServiceName }}', desiredCount: '{{ ReadMaximum.MaxCapacity }}',
    });
  });

  test('replace-unhealthy-tasks forces a deployment and waits for its rollout', () => {
    const doc = renderRemediationDocument(REPLACE_UNHEALTHY_TASKS);
    expect(doc.mainSteps[0].inputs).toMatchObject({ Api: 'UpdateService', forceNewDeployment: true });
    expect(doc.mainSteps[1]).toMatchObject({
      action: 'aws:waitForAwsResourceProperty', timeoutSeconds: 1800,
      inputs: { PropertySelector: '$.services[0].deployments[0].rolloutState', DesiredValues: ['COMPLETED'] },
    });
  });

  test('the flag actions switch their AppConfig flags on at once through the switch function, then wait for that deployment', () => {
    const doc = renderRemediationDocument(CACHE_BYPASS, { FlagFunctionName: 'checkout-feature-flags', Environment: 'eu-west-1' });
    expect(doc.parameters.FlagFunctionName.default).toBe('checkout-feature-flags');
    expect(doc.mainSteps.map((s) => [s.name, s.action])).toEqual([
      ['TurnOnCacheBypass', 'aws:executeAwsApi'], ['DeployedCacheBypass', 'aws:waitForAwsResourceProperty'], ['CompletedCacheBypass', 'aws:waitForAwsResourceProperty'],
    ]);
    const invoke = doc.mainSteps[0].inputs as { Service: string; Api: string; FunctionName: string; Payload: string };
    expect([invoke.Service, invoke.Api, invoke.FunctionName]).toEqual(['lambda', 'Invoke', '{{ FlagFunctionName }}']);
    expect(JSON.parse(invoke.Payload)).toEqual({
      environment: '{{ Environment }}', flag: 'cache-bypass', enabled: true, rollout: 'immediate',
      reason: 'automatic remediation cache-bypass (SSM Automation {{ automation:EXECUTION_ID }})', label: 'cache-bypass-on-{{ automation:EXECUTION_ID }}',
    });
    // The run succeeds only once the version the switch labelled is the environment's latest deployment, completed.
    expect(doc.mainSteps[1].inputs).toEqual({
      Service: 'appconfig', Api: 'ListDeployments', ApplicationId: '{{ ApplicationId }}', EnvironmentId: '{{ EnvironmentId }}', MaxResults: 1,
      PropertySelector: '$.Items[0].VersionLabel', DesiredValues: ['cache-bypass-on-{{ automation:EXECUTION_ID }}'],
    });
    expect(doc.mainSteps[2].inputs).toMatchObject({ PropertySelector: '$.Items[0].State', DesiredValues: ['COMPLETE'] });
    // A version label is at most 64 characters: the flag, '-on-' and a 36-character execution id fit.
    expect('cache-bypass-on-'.length + 36).toBeLessThanOrEqual(64);
  });

  test('the kill-switch action switches every kill switch of the reference service on (kill-popular)', () => {
    const invokes = renderRemediationDocument(KILL_SWITCH).mainSteps.filter((s) => s.action === 'aws:executeAwsApi');
    expect(invokes.map((s) => (JSON.parse((s.inputs as { Payload: string }).Payload) as { flag: string }).flag)).toEqual(['kill-popular']);
  });

  test('the WAF action tightens, holds 30 minutes, then restores the normal limit with a fresh lock token', () => {
    const doc = renderRemediationDocument(TIGHTEN_WAF_RATE_LIMIT, { TightLimit: 500, NormalLimit: 2000 });
    expect(doc.parameters.TightLimit).toMatchObject({ type: 'Integer', default: 500 });
    expect(doc.mainSteps.map((s) => s.name)).toEqual(['ReadLockToken', 'TightenRateLimit', 'HoldTightLimit', 'ReadLockTokenAgain', 'RestoreRateLimit']);
    expect(doc.mainSteps[2].inputs).toEqual({ Duration: 'PT1800S' });
    type Rules = Array<{ Statement: { RateBasedStatement: { Limit: unknown } } }>;
    const limit = (i: number): unknown => (doc.mainSteps[i].inputs.Rules as Rules)[0].Statement.RateBasedStatement.Limit;
    expect([limit(1), limit(4)]).toEqual(['{{ TightLimit }}', '{{ NormalLimit }}']);
    expect(doc.mainSteps[4].inputs.LockToken).toBe('{{ ReadLockTokenAgain.LockToken }}');
  });
});

describe('RemediationAction validation', () => {
  test.each([
    [{ id: 'Scale Out' }, "remediations: id ('Scale Out') is not an action id: use lowercase words joined by dashes, e.g. 'scale-out'"],
    [{ triggers: [] }, 'remediations/test-action: triggers ([]) is empty: nothing would start the action: name the alerts (runbook ids) whose alarm starts it'],
    [{ cooldown: '1m' as const }, "remediations/test-action: cooldown ('1m') is shorter than 5 minutes: let one run take effect before the next: use at least '5m'"],
    [{ steps: [Step.approve({ name: 'Ok', description: 'd', timeout: '5m', message: 'go?' })] },
      "remediations/test-action: step Ok ('approve') waits for a person: automatic actions run unattended: use aws-api, wait-for and sleep steps (an action that needs approval is a drill)"],
    [{ steps: [Step.awsApi({ name: 'Failover', description: 'd', timeout: '5m', service: 'rds', api: 'FailoverGlobalCluster', params: {} })] },
      "remediations/test-action: step Failover ('rds:FailoverGlobalCluster') is not a safe automatic action (failovers and traffic moves stay human): leave it to a drill (constructs/core/drills), run by a person with approvals"],
    [{ steps: [Step.awsApi({ name: 'Call', description: 'd', timeout: '1m', service: 'ecs', api: 'UpdateService', params: { cluster: '{{ ClusterName }}' } })] },
      "remediations/test-action: step Call ('{{ ClusterName }}') references neither a parameter nor an earlier step output: declare ClusterName in parameters or fix the reference"],
  ])('%# refuses %p', (override, message) => {
    expect(() => new RemediationAction({ ...base, ...override })).toThrow(message);
  });

  test('a valid declaration has its cool-down in seconds and words', () => {
    const action = new RemediationAction(base);
    expect([action.cooldownSeconds, action.cooldownText]).toEqual([1800, '30m']);
  });
});
