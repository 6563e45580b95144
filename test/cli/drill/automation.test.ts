import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import type { StepExecution } from '@aws-sdk/client-ssm';
import {
  GetAutomationExecutionCommand, SSMClient, SendAutomationSignalCommand, StartAutomationExecutionCommand, StopAutomationExecutionCommand,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { DrTier } from '../../../constructs/core/dr-tier';
import { AZ_EVACUATION } from '../../../constructs/core/drills';
import type { RunDrillAutomationOptions } from '../../../cli/drill/automation';
import { automationParameters, runDrillAutomation } from '../../../cli/drill/automation';
import { SdkAwsCaller } from '../../../cli/drill/aws';
import type { DrillEvent } from '../../../cli/drill/runner';
import { AZ_EVACUATION_VALUES, FakeClock, throttling } from './fixtures';

const ssm = mockClient(SSMClient);
const cw = mockClient(CloudWatchClient);

const T0 = Date.parse('2026-01-01T12:00:00Z');
const ROLE = 'arn:aws:iam::111111111111:role/shop-primary-DrillsRole';
const APPROVER = 'arn:aws:iam::111111111111:role/oncall';
const STEPS = AZ_EVACUATION.steps.map((s) => s.name);

/**
 * A GetAutomationExecution answer: the steps named in `statuses` with that status (the rest Pending), step i started
 * 20 s after step i-1, terminal steps ending 15 s after their start.
 */
function execution(status: string, statuses: Record<string, string>, extra: Record<string, unknown> = {}) {
  const StepExecutions: StepExecution[] = STEPS.map((name, i) => {
    const stepStatus = statuses[name] ?? 'Pending';
    const started = stepStatus !== 'Pending';
    const ended = ['Success', 'Failed', 'TimedOut', 'Cancelled'].includes(stepStatus);
    return {
      StepName: name, StepStatus: stepStatus as StepExecution['StepStatus'],
      ...(started ? { ExecutionStartTime: new Date(T0 + i * 20_000) } : {}),
      ...(ended ? { ExecutionEndTime: new Date(T0 + i * 20_000 + 15_000) } : {}),
    };
  });
  return { AutomationExecution: { AutomationExecutionId: 'exec-1', AutomationExecutionStatus: status, StepExecutions, ...extra } as never };
}
const all = (status: string): Record<string, string> => Object.fromEntries(STEPS.map((s) => [s, status]));
const upTo = (last: string, lastStatus: string): Record<string, string> =>
  Object.fromEntries(STEPS.slice(0, STEPS.indexOf(last) + 1).map((s) => [s, s === last ? lastStatus : 'Success']));

let clock: FakeClock;
let events: DrillEvent[];
function options(extra: Partial<RunDrillAutomationOptions> = {}): RunDrillAutomationOptions {
  return {
    drill: AZ_EVACUATION, tier: DrTier.PILOT_LIGHT, values: AZ_EVACUATION_VALUES, aws: new SdkAwsCaller(),
    service: 'shop', assumeRole: ROLE, approvers: [APPROVER], clock, random: () => 0.5, clientToken: 'token-1',
    onEvent: (e) => events.push(e), ...extra,
  };
}
/** The events as short text, in order. */
function trace(): string[] {
  return events.map((e) => {
    switch (e.type) {
      case 'step-start': return `start ${e.step.name}`;
      case 'step-status': return `${e.step.name} ${e.status}`;
      case 'step-end': return `end ${e.record.step} ${e.record.outcome}`;
      case 'retry': return `retry ${e.api} ${e.attempt} ${e.delayMs}`;
      case 'note': return e.message;
      case 'poll': return 'poll';
    }
  });
}

beforeEach(() => {
  ssm.reset();
  cw.reset();
  clock = new FakeClock();
  events = [];
  ssm.on(StartAutomationExecutionCommand).resolves({ AutomationExecutionId: 'exec-1' });
  ssm.on(StopAutomationExecutionCommand).resolves({});
  ssm.on(SendAutomationSignalCommand).resolves({});
  cw.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: 'shop-primary-critical', StateValue: 'OK' }] });
});

describe('runDrillAutomation', () => {
  test('starts the document, follows the steps Pending -> InProgress -> Success, approves from the terminal and passes', async () => {
    // GIVEN an automation that waits for approval, then runs its steps
    ssm.on(GetAutomationExecutionCommand)
      .resolvesOnce(execution('Waiting', { ApproveZonalShift: 'Waiting' }))
      .resolvesOnce(execution('InProgress', { ApproveZonalShift: 'Success', StartZonalShift: 'InProgress' }))
      .resolvesOnce(execution('InProgress', upTo('WaitTargetsHealthy', 'InProgress')))
      .resolvesOnce(execution('InProgress', upTo('ObserveRemainingZones', 'InProgress')))
      .resolves(execution('Success', all('Success')));
    const asked: string[] = [];
    // WHEN
    const report = await runDrillAutomation(options({ confirm: async (message) => { asked.push(message); return true; } }));
    // THEN it started the drill's document with the parameters the document declares
    expect(ssm.commandCalls(StartAutomationExecutionCommand).map((c) => c.args[0].input)).toEqual([{
      DocumentName: 'shop-drill-az-evacuation',
      Parameters: {
        AutomationAssumeRole: [ROLE],
        LoadBalancerArn: ['arn:aws:elasticloadbalancing:eu-west-1:111111111111:loadbalancer/app/shop/1'],
        AvailabilityZoneId: ['euw1-az1'],
        ZonalShiftExpiresIn: ['1h'],
        PrimaryTargetGroupArn: ['arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/shop/abc'],
        Approvers: [APPROVER],
      },
      ClientToken: 'token-1',
    }]);
    expect(await ssm.call(0).thisValue.config.region()).toBe('eu-west-1');
    // AND progress came step by step, in order
    expect(trace()).toEqual([
      'started SSM Automation shop-drill-az-evacuation in eu-west-1: execution exec-1',
      'start ApproveZonalShift', 'ApproveZonalShift Waiting', 'approved step ApproveZonalShift', 'end ApproveZonalShift succeeded',
      'start StartZonalShift', 'end StartZonalShift succeeded',
      'start WaitZonalShiftActive', 'end WaitZonalShiftActive succeeded',
      'start WaitTargetsHealthy', 'end WaitTargetsHealthy succeeded',
      'start ObserveRemainingZones', 'end ObserveRemainingZones succeeded',
      'start CancelZonalShift', 'end CancelZonalShift succeeded',
    ]);
    // AND the approval step was approved with the operator's yes
    expect(asked).toEqual(['Shift traffic away from euw1-az1 on the primary load balancer.']);
    expect(ssm.commandCalls(SendAutomationSignalCommand).map((c) => c.args[0].input)).toEqual([
      { AutomationExecutionId: 'exec-1', SignalType: 'Approve', Payload: { Comment: ['approved from the drill CLI'] } },
    ]);
    // AND the stop condition was checked before the start and before each of the 5 polls, 10 s apart
    expect(cw.commandCalls(DescribeAlarmsCommand)).toHaveLength(6);
    expect(cw.commandCalls(DescribeAlarmsCommand)[0].args[0].input).toEqual({ AlarmNames: ['shop-primary-critical'] });
    expect(clock.sleeps).toEqual([10_000, 10_000, 10_000, 10_000]);
    expect(ssm.commandCalls(StopAutomationExecutionCommand)).toHaveLength(0);
    // AND the report: the SSM timeline, RTO to WaitTargetsHealthy (ended 75 s after the start), RPO 0 by construction
    expect(report.outcome).toBe('pass');
    expect(report.timeline.map((r) => [r.step, r.outcome, new Date(r.start).toISOString(), new Date(r.end).toISOString()])).toEqual(
      STEPS.map((s, i) => [s, 'succeeded', new Date(T0 + i * 20_000).toISOString(), new Date(T0 + i * 20_000 + 15_000).toISOString()]));
    expect(report.rto).toEqual(expect.objectContaining({ measuredSeconds: 75, objectiveSeconds: 300, pass: true, endsAt: 'WaitTargetsHealthy' }));
    expect(report.rpo).toEqual(expect.objectContaining({ measuredSeconds: 0, pass: true, method: 'none' }));
    expect(report.notRun).toEqual([]);
    expect(report.automation).toEqual({ documentName: 'shop-drill-az-evacuation', region: 'eu-west-1', executionId: 'exec-1', status: 'Success', assumeRole: ROLE });
  });

  test('RTO is measured from --fault-at', async () => {
    ssm.on(GetAutomationExecutionCommand).resolves(execution('Success', all('Success')));
    const report = await runDrillAutomation(options({ faultAt: T0 - 600_000 }));
    expect(report.rto).toEqual(expect.objectContaining({ measuredSeconds: 675, pass: false }));
    expect(report.outcome).toBe('fail');
    expect(report.reason).toBe('RTO 675s misses 5m');
  });

  test('a failing step fails the report with the automation\'s failure message', async () => {
    // GIVEN StartZonalShift fails in the automation
    const message = 'Step fails when it is Executing. Fail to execute automation. ConflictException: a zonal shift is already active.';
    ssm.on(GetAutomationExecutionCommand)
      .resolvesOnce(execution('InProgress', { ApproveZonalShift: 'Success', StartZonalShift: 'InProgress' }))
      .resolves(execution('Failed', { ApproveZonalShift: 'Success', StartZonalShift: 'Failed' }, { FailureMessage: message }));
    // WHEN
    const report = await runDrillAutomation(options());
    // THEN
    expect(report.outcome).toBe('fail');
    expect(report.reason).toBe(`step StartZonalShift failed: ${message}`);
    expect(report.timeline.at(-1)).toEqual(expect.objectContaining({ step: 'StartZonalShift', outcome: 'failed', error: message }));
    expect(report.notRun).toEqual(['WaitZonalShiftActive', 'WaitTargetsHealthy', 'ObserveRemainingZones', 'CancelZonalShift']);
    expect(report.rto.pass).toBe(false);
    expect(report.automation?.status).toBe('Failed');
    // the automation ended by itself: nothing to stop
    expect(ssm.commandCalls(StopAutomationExecutionCommand)).toHaveLength(0);
  });

  test('the stop-condition alarm in ALARM cancels the automation and aborts the drill (as the step runner does), naming the alarm', async () => {
    // GIVEN the alarm fires after the first poll
    cw.on(DescribeAlarmsCommand)
      .resolvesOnce({ MetricAlarms: [{ StateValue: 'OK' }] })
      .resolvesOnce({ MetricAlarms: [{ StateValue: 'OK' }] })
      .resolves({ MetricAlarms: [{ StateValue: 'ALARM' }] });
    ssm.on(GetAutomationExecutionCommand)
      .resolvesOnce(execution('InProgress', { ApproveZonalShift: 'Success', StartZonalShift: 'InProgress' }))
      .resolves(execution('Cancelled', { ApproveZonalShift: 'Success', StartZonalShift: 'Cancelled' }));
    // WHEN
    const report = await runDrillAutomation(options());
    // THEN
    expect(ssm.commandCalls(StopAutomationExecutionCommand).map((c) => c.args[0].input)).toEqual([{ AutomationExecutionId: 'exec-1', Type: 'Cancel' }]);
    expect(report.outcome).toBe('aborted');
    expect(report.reason).toBe('stop condition: alarm shop-primary-critical is in ALARM during step StartZonalShift; automation exec-1 cancelled');
    expect(report.timeline.at(-1)).toEqual(expect.objectContaining({ step: 'StartZonalShift', outcome: 'cancelled' }));
    expect(report.automation?.status).toBe('Cancelled');
    expect(report.alarms?.map((a) => [a.alarm, a.inAlarm])).toEqual([['shop-primary-critical', false], ['shop-primary-critical', true]]);
  });

  test('the stop-condition alarm in ALARM before the start: nothing is started', async () => {
    cw.on(DescribeAlarmsCommand).resolves({ CompositeAlarms: [{ StateValue: 'ALARM' }] });
    const report = await runDrillAutomation(options());
    expect(report.outcome).toBe('aborted');
    expect(report.reason).toBe('stop condition: alarm shop-primary-critical is in ALARM before the automation started');
    expect(ssm.commandCalls(StartAutomationExecutionCommand)).toHaveLength(0);
    expect(report.notRun).toEqual(STEPS);
  });

  test('past the overall timeout (by default the sum of the step timeouts) the automation is cancelled and the report fails', async () => {
    // GIVEN a wait that never ends
    ssm.on(GetAutomationExecutionCommand).resolves(execution('InProgress', upTo('WaitZonalShiftActive', 'InProgress')));
    // WHEN
    const report = await runDrillAutomation(options());
    // THEN 30m + 5m + 5m + 10m + 20m + 5m
    expect(ssm.commandCalls(StopAutomationExecutionCommand).map((c) => c.args[0].input)).toEqual([{ AutomationExecutionId: 'exec-1', Type: 'Cancel' }]);
    expect(report.outcome).toBe('fail');
    expect(report.reason).toBe('timed out after 75m during step WaitZonalShiftActive; automation exec-1 cancelled');
    expect(Date.parse(report.endedAt) - Date.parse(report.startedAt)).toBe(75 * 60_000);
    expect(report.timeline.at(-1)).toEqual(expect.objectContaining({ step: 'WaitZonalShiftActive', outcome: 'cancelled' }));
  });

  test('an explicit timeout overrides the sum of the step timeouts', async () => {
    ssm.on(GetAutomationExecutionCommand).resolves(execution('InProgress', upTo('WaitZonalShiftActive', 'InProgress')));
    const report = await runDrillAutomation(options({ timeoutMs: 60_000 }));
    expect(report.reason).toBe('timed out after 1m during step WaitZonalShiftActive; automation exec-1 cancelled');
    expect(ssm.commandCalls(GetAutomationExecutionCommand)).toHaveLength(6 + 1);
  });

  test('an abort signal (SIGINT) cancels the automation and the report is aborted', async () => {
    // GIVEN Ctrl-C while StartZonalShift runs
    const abort = new AbortController();
    ssm.on(GetAutomationExecutionCommand)
      .callsFakeOnce(async () => {
        abort.abort();
        return execution('InProgress', { ApproveZonalShift: 'Success', StartZonalShift: 'InProgress' });
      })
      .resolves(execution('Cancelled', { ApproveZonalShift: 'Success', StartZonalShift: 'Cancelled' }));
    // WHEN
    const report = await runDrillAutomation(options({ signal: abort.signal }));
    // THEN it did not wait for the next poll
    expect(clock.sleeps).toEqual([]);
    expect(ssm.commandCalls(StopAutomationExecutionCommand).map((c) => c.args[0].input)).toEqual([{ AutomationExecutionId: 'exec-1', Type: 'Cancel' }]);
    expect(report.outcome).toBe('aborted');
    expect(report.reason).toBe('aborted by the operator during step StartZonalShift; automation exec-1 cancelled');
    expect(trace().at(-1)).toBe('end StartZonalShift cancelled');
  });

  test('a declined approval cancels the automation before any change', async () => {
    ssm.on(GetAutomationExecutionCommand)
      .resolvesOnce(execution('Waiting', { ApproveZonalShift: 'Waiting' }))
      .resolves(execution('Cancelled', { ApproveZonalShift: 'Cancelled' }));
    const report = await runDrillAutomation(options({ confirm: async () => false }));
    expect(ssm.commandCalls(SendAutomationSignalCommand)).toHaveLength(0);
    expect(ssm.commandCalls(StopAutomationExecutionCommand)).toHaveLength(1);
    expect(report.outcome).toBe('aborted');
    expect(report.reason).toBe('step ApproveZonalShift not approved by the operator; automation exec-1 cancelled');
    expect(report.timeline).toEqual([expect.objectContaining({ step: 'ApproveZonalShift', outcome: 'declined' })]);
  });

  test('an Approve signal that fails is sent again at the next poll, without asking again', async () => {
    ssm.on(GetAutomationExecutionCommand)
      .resolvesOnce(execution('InProgress', { ApproveZonalShift: 'InProgress' }))
      .resolvesOnce(execution('Waiting', { ApproveZonalShift: 'Waiting' }))
      .resolves(execution('Success', all('Success')));
    ssm.on(SendAutomationSignalCommand)
      .rejectsOnce(Object.assign(new Error('step is not waiting'), { name: 'InvalidAutomationSignalException' }))
      .resolves({});
    let asked = 0;
    const report = await runDrillAutomation(options({ confirm: async () => { asked++; return true; } }));
    expect(report.outcome).toBe('pass');
    expect(asked).toBe(1);
    expect(ssm.commandCalls(SendAutomationSignalCommand)).toHaveLength(2);
    expect(trace().slice(1, 5)).toEqual([
      'start ApproveZonalShift',
      'could not approve step ApproveZonalShift: SendAutomationSignal failed: InvalidAutomationSignalException: step is not waiting; trying again at the next '
        + 'poll (or approve it in the Systems Manager console or with aws ssm send-automation-signal --region eu-west-1 --automation-execution-id exec-1 '
        + '--signal-type Approve)',
      'ApproveZonalShift Waiting', 'approved step ApproveZonalShift',
    ]);
  });

  test('without a confirm function, a waiting approval is pointed at the console and the CLI', async () => {
    ssm.on(GetAutomationExecutionCommand)
      .resolvesOnce(execution('Waiting', { ApproveZonalShift: 'Waiting' }))
      .resolvesOnce(execution('Waiting', { ApproveZonalShift: 'Waiting' }))
      .resolves(execution('Success', all('Success')));
    const report = await runDrillAutomation(options());
    expect(report.outcome).toBe('pass');
    expect(ssm.commandCalls(SendAutomationSignalCommand)).toHaveLength(0);
    expect(trace().filter((t) => t.includes('waits for approval'))).toEqual([
      'step ApproveZonalShift waits for approval: approve it in the Systems Manager console or with aws ssm send-automation-signal --region eu-west-1 '
        + '--automation-execution-id exec-1 --signal-type Approve',
    ]);
  });

  test('throttling of GetAutomationExecution is retried with backoff and jitter', async () => {
    ssm.on(GetAutomationExecutionCommand).rejectsOnce(throttling()).rejectsOnce(throttling()).resolves(execution('Success', all('Success')));
    const report = await runDrillAutomation(options());
    expect(report.outcome).toBe('pass');
    expect(ssm.commandCalls(GetAutomationExecutionCommand)).toHaveLength(3);
    // full jitter (random 0.5) on 1 s, then 2 s
    expect(clock.sleeps).toEqual([500, 1000]);
    expect(trace().filter((t) => t.startsWith('retry'))).toEqual(['retry GetAutomationExecution 1 500', 'retry GetAutomationExecution 2 1000']);
  });

  test('retries are bounded: throttled past maxAttempts, the automation is cancelled and the report fails', async () => {
    ssm.on(GetAutomationExecutionCommand).rejects(throttling());
    const report = await runDrillAutomation(options({ maxAttempts: 4 }));
    expect(ssm.commandCalls(GetAutomationExecutionCommand)).toHaveLength(4);
    expect(clock.sleeps).toEqual([500, 1000, 2000]);
    expect(ssm.commandCalls(StopAutomationExecutionCommand)).toHaveLength(1);
    expect(report.outcome).toBe('fail');
    expect(report.reason).toBe('GetAutomationExecution failed after 4 attempts: ThrottlingException: Rate exceeded; automation exec-1 cancelled');
  });

  test('a document that cannot start fails the report', async () => {
    ssm.on(StartAutomationExecutionCommand).rejects(Object.assign(new Error('Document shop-drill-az-evacuation does not exist'), { name: 'InvalidDocument' }));
    const report = await runDrillAutomation(options());
    expect(report.outcome).toBe('fail');
    expect(report.reason).toBe('StartAutomationExecution failed: InvalidDocument: Document shop-drill-az-evacuation does not exist');
    expect(report.automation).toEqual(expect.objectContaining({ executionId: '', status: 'NotStarted' }));
  });

  test('automationParameters names what the document needs and the CLI lacks', () => {
    expect(() => automationParameters(AZ_EVACUATION, AZ_EVACUATION_VALUES, ROLE))
      .toThrow('the SSM document az-evacuation needs Approvers (--param Approvers=<IAM ARN>[,<IAM ARN>...]');
    // an empty role leaves the document's default: the caller's permissions
    expect(automationParameters(AZ_EVACUATION, AZ_EVACUATION_VALUES, '', [APPROVER])).not.toHaveProperty('AutomationAssumeRole');
  });
});
