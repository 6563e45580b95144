import { DRILLS, parameterReferences, renderAutomationDocument } from '../../../constructs/core/drills';
import { parseDuration } from '../../../constructs/core/duration';

const ACTIONS = {
  'aws-api': ['aws:executeAwsApi', 'aws:executeScript'], 'wait-for': ['aws:waitForAwsResourceProperty'],
  approve: ['aws:approve'], manual: ['aws:approve'], sleep: ['aws:sleep'],
};

describe.each(DRILLS.map((d) => [d.id, d] as const))('SSM Automation document of %s', (_id, drill) => {
  const doc = renderAutomationDocument(drill);

  test('schema 0.3 with an assume-role parameter', () => {
    expect(doc.schemaVersion).toBe('0.3');
    expect(doc.assumeRole).toBe('{{ AutomationAssumeRole }}');
    expect(doc.parameters.AutomationAssumeRole.type).toBe('String');
  });

  test('one SSM step per drill step, in order, with the action of its kind, its timeout and Abort on failure', () => {
    expect(doc.mainSteps.map((s) => s.name)).toEqual(drill.steps.map((s) => s.name));
    drill.steps.forEach((step, i) => {
      const ssm = doc.mainSteps[i];
      expect(ACTIONS[step.kind]).toContain(ssm.action);
      expect(ssm.timeoutSeconds).toBe(parseDuration('test', 'timeout', step.timeout));
      expect(ssm.onFailure).toBe('Abort');
      if (step.kind === 'aws-api') expect(ssm.maxAttempts).toBe(step.maxAttempts);
      if (step.kind === 'wait-for') {
        expect(ssm.inputs).toMatchObject({ Service: step.call.service, Api: step.call.api, PropertySelector: step.selector });
      }
    });
  });

  test('every {{ reference }} is a declared parameter or an earlier step output', () => {
    const outputs = new Set(doc.mainSteps.flatMap((s) => (s.outputs ?? []).map((o) => `${s.name}.${o.Name}`)));
    for (const ref of parameterReferences(doc.mainSteps)) {
      expect(ref in doc.parameters || outputs.has(ref) ? ref : `undeclared ${ref}`).toBe(ref);
    }
  });
});

test('a call to the other region runs as aws:executeScript with that region', () => {
  const doc = renderAutomationDocument(DRILLS.find((d) => d.id === 'regional-failback')!);
  const scale = doc.mainSteps.find((s) => s.name === 'ScaleDownSecondaryService')!;
  expect(scale.action).toBe('aws:executeScript');
  expect(scale.inputs.InputPayload).toMatchObject({ Service: 'ecs', Method: 'update_service', Region: '{{ SecondaryRegion }}', EndpointUrl: '' });
});

test('moving traffic is a manual step (aws:approve) with the global stack deploy command', () => {
  const doc = renderAutomationDocument(DRILLS.find((d) => d.id === 'pilot-light-failover')!);
  const move = doc.mainSteps.find((s) => s.name === 'MoveTrafficToSecondary')!;
  expect(move.action).toBe('aws:approve');
  expect(move.inputs.Message).toContain('npx cdk deploy <service>-global -c drTier=pilot-light -c activeRegion=secondary --require-approval never');
});

test('the pilot-light failover promotes the secondary with executeAwsApi, exactly as declared', () => {
  const doc = renderAutomationDocument(DRILLS.find((d) => d.id === 'pilot-light-failover')!);
  expect(doc.mainSteps.find((s) => s.name === 'FailoverGlobalCluster')).toEqual({
    name: 'FailoverGlobalCluster', action: 'aws:executeAwsApi', description: expect.any(String),
    timeoutSeconds: 300, maxAttempts: 3, onFailure: 'Abort', isCritical: true,
    inputs: {
      Service: 'rds', Api: 'FailoverGlobalCluster', GlobalClusterIdentifier: '{{ GlobalClusterIdentifier }}',
      TargetDbClusterIdentifier: '{{ SecondaryClusterArn }}', AllowDataLoss: true,
    },
  });
  expect(doc.parameters.ServiceDesiredCount).toEqual(expect.objectContaining({ type: 'Integer', default: 3 }));
});
