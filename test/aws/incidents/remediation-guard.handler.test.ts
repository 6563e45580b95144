import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { DescribeAutomationExecutionsCommand, GetParameterCommand, ParameterNotFound, SSMClient, StartAutomationExecutionCommand } from '@aws-sdk/client-ssm';
import type { DescribeAutomationExecutionsCommandInput } from '@aws-sdk/client-ssm';
import { CreateTimelineEventCommand, ListIncidentRecordsCommand, SSMIncidentsClient } from '@aws-sdk/client-ssm-incidents';
import { mockClient } from 'aws-sdk-client-mock';
import { configFromEnv, createHandler } from '../../../constructs/aws/incidents/remediation-guard.handler';
import type { AlarmTrigger, AutomationStatusEvent, GuardConfig } from '../../../constructs/aws/incidents/remediation-guard.handler';

const ssm = mockClient(SSMClient);
const ecs = mockClient(ECSClient);
const incidents = mockClient(SSMIncidentsClient);

const NOW = new Date('2026-03-01T12:00:00Z');
const INCIDENT = 'arn:aws:ssm-incidents::111111111111:incident-record/checkout-service-page/6cc4ad2a';
const CONFIG: GuardConfig = {
  service: 'checkout',
  actions: {
    'scale-out': { documentName: 'checkout-remediate-scale-out', cooldownSeconds: 1800, parameters: { ClusterName: ['c'], ServiceName: ['s'] } },
    'replace-unhealthy-tasks': { documentName: 'checkout-remediate-replace-unhealthy-tasks', cooldownSeconds: 3600, parameters: { ClusterName: ['c'], ServiceName: ['s'] } },
  },
  alarms: [
    { alarm: 'cpu-alarm', actions: ['scale-out'] },
    { alarm: 'latency-alarm', actions: ['scale-out'] },
    { alarm: 'unhealthy-alarm', actions: ['replace-unhealthy-tasks'] },
  ],
  automationRoleArn: 'arn:aws:iam::111111111111:role/remediation',
  pauseParameter: '/checkout/remediation/paused',
  drillDocumentPrefix: 'checkout-drill-',
  drillRegions: ['eu-west-1', 'eu-central-1'],
  ecsService: { cluster: 'c', service: 's' },
  responsePlanName: 'checkout-service-page',
};

const alarm = (alarmName: string): AlarmTrigger => ({ kind: 'alarm', alarmName, time: NOW.toISOString() });

/** SSM as the guard sees it: executions started so far (by document) and drills running (by region). */
function fakeSsm(state: { started: string[]; recentlyRun?: string[]; drillsIn?: string[] }) {
  ssm.on(DescribeAutomationExecutionsCommand).callsFake((input: DescribeAutomationExecutionsCommandInput, getClient: () => SSMClient) => {
    const prefix = input.Filters?.find((f) => f.Key === 'DocumentNamePrefix')?.Values?.[0] ?? '';
    const running = input.Filters?.some((f) => f.Key === 'ExecutionStatus');
    if (prefix.startsWith('checkout-drill-')) {
      return getClient().config.region().then((region: string) => ({
        AutomationExecutionMetadataList: (state.drillsIn ?? []).includes(region) ? [{ DocumentName: 'checkout-drill-pilot-light-failover' }] : [],
      }));
    }
    const hits = running ? state.started.filter((d) => d === prefix) : (state.recentlyRun ?? []).filter((d) => d === prefix);
    return Promise.resolve({ AutomationExecutionMetadataList: hits.map((DocumentName) => ({ DocumentName })) });
  });
  ssm.on(StartAutomationExecutionCommand).callsFake((input: { DocumentName: string }) => {
    state.started.push(input.DocumentName);
    return Promise.resolve({ AutomationExecutionId: `exec-${state.started.length}` });
  });
}

function guard() {
  const logs: string[] = [];
  const clients = new Map<string, SSMClient>();
  const run = createHandler({
    config: CONFIG,
    ssm: new SSMClient({ region: 'eu-west-1' }),
    ssmIn: (region) => clients.get(region) ?? clients.set(region, new SSMClient({ region })).get(region)!,
    ecs: new ECSClient({ region: 'eu-west-1' }),
    incidents: new SSMIncidentsClient({ region: 'eu-west-1' }),
    now: () => NOW,
    log: (line) => { logs.push(line); },
  });
  return { run, logs };
}

const timeline = (): string[] => incidents.commandCalls(CreateTimelineEventCommand).map((c) => JSON.parse(c.args[0].input.eventData!) as string);

beforeEach(() => {
  ssm.reset();
  ecs.reset();
  incidents.reset();
  ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'false' } });
  ecs.on(DescribeServicesCommand).resolves({ services: [{ deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED' }] }] });
  incidents.on(ListIncidentRecordsCommand).resolves({
    incidentRecordSummaries: [
      { arn: INCIDENT, title: 't', status: 'OPEN', impact: 2, creationTime: NOW, incidentRecordSource: { createdBy: 'x', source: 'aws.cloudwatch' } },
      { arn: 'arn:aws:ssm-incidents::111111111111:incident-record/other-plan/1', title: 'o', status: 'OPEN', impact: 3, creationTime: NOW, incidentRecordSource: { createdBy: 'x', source: 'x' } },
    ],
  });
  incidents.on(CreateTimelineEventCommand).resolves({ incidentRecordArn: INCIDENT, eventId: 'e' });
});

describe('remediation guard', () => {
  test('an alarm starts its action with the automation role and records the run on the open incident of the service only', async () => {
    const state = { started: [] as string[] };
    fakeSsm(state);
    const outcomes = await guard().run(alarm('cpu-alarm'));
    expect(outcomes).toEqual([{ outcome: 'started', action: 'scale-out', executionId: 'exec-1', timeline: [INCIDENT] }]);
    expect(ssm.commandCalls(StartAutomationExecutionCommand)[0].args[0].input).toEqual({
      DocumentName: 'checkout-remediate-scale-out',
      Parameters: { ClusterName: ['c'], ServiceName: ['s'], AutomationAssumeRole: ['arn:aws:iam::111111111111:role/remediation'] },
    });
    expect(incidents.commandCalls(CreateTimelineEventCommand).map((c) => c.args[0].input.incidentRecordArn)).toEqual([INCIDENT]);
    expect(timeline()[0]).toMatch(/^Automatic mitigation scale-out started \(alarm cpu-alarm\): SSM Automation checkout-remediate-scale-out, execution exec-1\. Stop it: aws ssm stop-automation-execution/);
  });

  test('cool-down: an action that ran within its window is held back, and the hold-back is on the timeline', async () => {
    fakeSsm({ started: [], recentlyRun: ['checkout-remediate-scale-out'] });
    const [outcome] = await guard().run(alarm('cpu-alarm'));
    expect(outcome).toEqual({
      outcome: 'held-back', action: 'scale-out', reason: 'it ran within its cool-down (30 min, since 2026-03-01T11:30:00.000Z)', timeline: [INCIDENT],
    });
    expect(ssm.commandCalls(StartAutomationExecutionCommand)).toHaveLength(0);
    const cooldownQuery = ssm.commandCalls(DescribeAutomationExecutionsCommand).map((c) => c.args[0].input.Filters)
      .find((f) => f?.some((x) => x.Key === 'StartTimeAfter'));
    expect(cooldownQuery).toEqual([
      { Key: 'DocumentNamePrefix', Values: ['checkout-remediate-scale-out'] }, { Key: 'StartTimeAfter', Values: ['2026-03-01T11:30:00.000Z'] },
    ]);
  });

  test('concurrent alarms for the same action start it once: the second sees the first run in progress', async () => {
    const state = { started: [] as string[] };
    fakeSsm(state);
    const { run } = guard();
    const [cpu, latency] = await Promise.all([run(alarm('cpu-alarm')), run(alarm('latency-alarm'))]);
    expect(cpu[0].outcome).toBe('started');
    expect(latency[0]).toMatchObject({ outcome: 'held-back', action: 'scale-out', reason: 'a run of this action is still in progress' });
    expect(state.started).toEqual(['checkout-remediate-scale-out']);
  });

  test('concurrent alarms for different actions each start theirs', async () => {
    const state = { started: [] as string[] };
    fakeSsm(state);
    const { run } = guard();
    await Promise.all([run(alarm('cpu-alarm')), run(alarm('unhealthy-alarm'))]);
    expect(state.started.sort()).toEqual(['checkout-remediate-replace-unhealthy-tasks', 'checkout-remediate-scale-out']);
  });

  test('no run while a drill automation of the service runs in any of its regions', async () => {
    fakeSsm({ started: [], drillsIn: ['eu-central-1'] });
    const [outcome] = await guard().run(alarm('cpu-alarm'));
    expect(outcome).toMatchObject({ outcome: 'held-back', reason: 'a drill automation (checkout-drill-*) is in progress in eu-central-1' });
    expect(ssm.commandCalls(StartAutomationExecutionCommand)).toHaveLength(0);
  });

  test('no run while a deployment of the service is in progress', async () => {
    fakeSsm({ started: [] });
    ecs.on(DescribeServicesCommand).resolves({ services: [{ deployments: [{ status: 'PRIMARY', rolloutState: 'IN_PROGRESS' }, { status: 'ACTIVE', rolloutState: 'COMPLETED' }] }] });
    const [outcome] = await guard().run(alarm('unhealthy-alarm'));
    expect(outcome).toMatchObject({ outcome: 'held-back', action: 'replace-unhealthy-tasks', reason: 'a deployment of the service is in progress' });
  });

  test('no run while paused; a missing pause parameter is not a pause', async () => {
    fakeSsm({ started: [] });
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'true' } });
    expect((await guard().run(alarm('cpu-alarm')))[0]).toMatchObject({ outcome: 'held-back', reason: 'remediation is paused (/checkout/remediation/paused = true)' });
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
    expect((await guard().run(alarm('cpu-alarm')))[0].outcome).toBe('started');
  });

  test('failure of the action: a start that fails is recorded on the timeline and fails the invocation (EventBridge retries)', async () => {
    fakeSsm({ started: [] });
    ssm.on(StartAutomationExecutionCommand).rejects(Object.assign(new Error('User is not authorized to perform iam:PassRole'), { name: 'AccessDeniedException' }));
    await expect(guard().run(alarm('cpu-alarm'))).rejects.toThrow('User is not authorized to perform iam:PassRole');
    expect(timeline()).toEqual(['Automatic mitigation scale-out failed to start (alarm cpu-alarm): User is not authorized to perform iam:PassRole.']);
  });

  test('failure of the action: a run that ends Failed is recorded on the timeline', async () => {
    const event: AutomationStatusEvent = {
      'detail-type': 'EC2 Automation Execution Status-change Notification',
      'detail': { ExecutionId: 'exec-9', Definition: 'checkout-remediate-replace-unhealthy-tasks', Status: 'Failed' },
    };
    await expect(guard().run(event)).resolves.toEqual([{ outcome: 'run-ended', action: 'replace-unhealthy-tasks', status: 'Failed', executionId: 'exec-9', timeline: [INCIDENT] }]);
    expect(timeline()).toEqual(['Automatic mitigation replace-unhealthy-tasks (execution exec-9) ended: Failed.']);
  });

  test('a timeline that cannot be written is logged and does not stop the remediation', async () => {
    fakeSsm({ started: [] });
    incidents.on(ListIncidentRecordsCommand).rejects(Object.assign(new Error('not onboarded'), { name: 'ValidationException' }));
    const { run, logs } = guard();
    expect((await run(alarm('cpu-alarm')))[0]).toMatchObject({ outcome: 'started', timeline: [] });
    expect(logs[0]).toMatch(/^timeline not recorded \(ValidationException: not onboarded\): Automatic mitigation scale-out started/);
  });

  test('an alarm bound to nothing and a document of another service are ignored', async () => {
    fakeSsm({ started: [] });
    expect(await guard().run(alarm('other-alarm'))).toEqual([{ outcome: 'ignored', reason: 'no action is bound to alarm other-alarm' }]);
    const other: AutomationStatusEvent = { 'detail-type': 'EC2 Automation Execution Status-change Notification', 'detail': { ExecutionId: 'x', Definition: 'orders-remediate-scale-out', Status: 'Success' } };
    expect(await guard().run(other)).toEqual([{ outcome: 'ignored', reason: 'not a remediation document of checkout: orders-remediate-scale-out' }]);
  });

  test('configuration from the environment', () => {
    expect(configFromEnv({
      SERVICE: 'checkout', ACTIONS: JSON.stringify(CONFIG.actions), ALARMS: JSON.stringify(CONFIG.alarms), AUTOMATION_ROLE_ARN: 'r',
      PAUSE_PARAMETER: '/p', PAUSE_PARAMETER_REGION: 'eu-west-1', DRILL_DOCUMENT_PREFIX: 'checkout-drill-', DRILL_REGIONS: 'eu-west-1,eu-central-1',
      ECS_CLUSTER: '', ECS_SERVICE: '',
    })).toEqual({
      service: 'checkout', actions: CONFIG.actions, alarms: CONFIG.alarms, automationRoleArn: 'r', pauseParameter: '/p', pauseParameterRegion: 'eu-west-1',
      drillDocumentPrefix: 'checkout-drill-', drillRegions: ['eu-west-1', 'eu-central-1'],
    });
    expect(() => configFromEnv({})).toThrow('environment variable SERVICE is not set');
  });
});
