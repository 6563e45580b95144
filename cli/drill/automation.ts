/**
 * The other execution path of `platform-stacks drill <drill> --execute`: start the drill's SSM Automation document
 * (`<service>-drill-<drill>`, deployed in the drill's region by DrillAutomation) and follow it. Progress step by step
 * as the step executions change status, the stop-condition alarm checked before every poll, an overall timeout,
 * the automation cancelled on ALARM, timeout or abort (SIGINT), bounded retries with full-jitter backoff on throttling,
 * approval steps approved from the terminal, and the same report as the SDK runner (RTO and RPO measured alike).
 */
import { randomUUID } from 'node:crypto';
import type { AutomationExecution } from '@aws-sdk/client-ssm';
import type { AnyStep } from '../../constructs/core/drills';
import { Drill, STOP_CONDITION_PARAMETER, automationDocumentName, renderAutomationDocument, substituteParameters } from '../../constructs/core/drills';
import type { DrTier } from '../../constructs/core/dr-tier';
import { formatDuration } from '../../constructs/core/duration';
import { backoffDelayMs } from '../../constructs/core/retry';
import type { AwsCaller } from './aws';
import { recordAlarmCheck } from './report';
import type { AlarmObservation, DrillReport, StepRecord } from './report';
import type { DrillClock, DrillEvent } from './runner';
import { SYSTEM_CLOCK, confirmationText, describeError, drillReport, isThrottling, stopConditionInAlarm } from './runner';

/** Options of {@link runDrillAutomation}. */
export interface RunDrillAutomationOptions {
  readonly drill: Drill;
  readonly tier: DrTier;
  /** Every parameter's value. */
  readonly values: Readonly<Record<string, string>>;
  /** Sends the SSM and CloudWatch calls (the `ssm` and `cloudwatch` entries of the SDK registry). */
  readonly aws: AwsCaller;
  /** The service (`platform:service`): the document is `<service>-drill-<drill>`. */
  readonly service: string;
  /** `AutomationAssumeRole`: the `DrillAutomationRoleArn` output of the drill region's stack; empty runs with the caller's permissions. */
  readonly assumeRole: string;
  /** `Approvers` of the document's approve and manual steps (IAM ARNs); needed when the document declares them. */
  readonly approvers?: readonly string[];
  /**
   * Asked when an approve or manual step waits for approval: true sends the Approve signal, false cancels the automation.
   * @default - nobody is asked: approve in the Systems Manager console or with `aws ssm send-automation-signal`
   */
  readonly confirm?: (message: string, timeoutMs: number) => Promise<boolean>;
  /** @default SYSTEM_CLOCK */
  readonly clock?: DrillClock;
  /** @default Math.random */
  readonly random?: () => number;
  /** Aborted: cancel the automation (SIGINT). */
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: DrillEvent) => void;
  /** Between two GetAutomationExecution polls. @default 10000 */
  readonly pollIntervalMs?: number;
  /** Past it the automation is cancelled. @default - the sum of the drill's step timeouts */
  readonly timeoutMs?: number;
  /** Attempts of each SSM and CloudWatch call when throttled. @default 5 */
  readonly maxAttempts?: number;
  /** First backoff delay on throttling, doubled per attempt, full jitter. @default 1000 */
  readonly baseBackoffMs?: number;
  /** @default 30000 */
  readonly maxBackoffMs?: number;
  /** Each call's own timeout. @default 30000 */
  readonly callTimeoutMs?: number;
  /** When the fault happened (RTO start). @default - the drill start */
  readonly faultAt?: number;
  /** RPO measured by the operator, seconds (overrides the drill's measurement). */
  readonly rpoSeconds?: number;
  /** StartAutomationExecution idempotency token. @default - a random UUID */
  readonly clientToken?: string;
}

/** Statuses after which an execution (or a step) does not change any more. */
const TERMINAL = new Set(['Success', 'CompletedWithSuccess', 'Failed', 'CompletedWithFailure', 'TimedOut', 'Cancelled', 'Rejected', 'Exited',
  'ChangeCalendarOverrideRejected']);
const SUCCEEDED = new Set(['Success', 'CompletedWithSuccess']);

/**
 * The `Parameters` of StartAutomationExecution for `drill`: exactly the parameters its document declares
 * (renderAutomationDocument), each as a one-element list, `Approvers` as the list of approvers; throws naming what is missing.
 */
export function automationParameters(drill: Drill, values: Readonly<Record<string, string>>, assumeRole: string, approvers: readonly string[] = [])
  : Record<string, string[]> {
  const parameters: Record<string, string[]> = {};
  const missing: string[] = [];
  for (const [name, declared] of Object.entries(renderAutomationDocument(drill).parameters)) {
    if (name === 'AutomationAssumeRole') {
      if (assumeRole !== '') parameters[name] = [assumeRole];
    } else if (declared.type === 'StringList') {
      if (name === 'Approvers' && approvers.length > 0) parameters[name] = [...approvers];
      else if (declared.default === undefined) missing.push(`${name} (--param ${name}=<IAM ARN>[,<IAM ARN>...]: who approves the approval steps; you, to approve from here)`);
    } else if (values[name] !== undefined) {
      parameters[name] = [values[name]];
    } else if (declared.default === undefined) {
      missing.push(`${name} (--param ${name}=...)`);
    }
  }
  if (missing.length > 0) throw new Error(`the SSM document ${drill.id} needs ${missing.join(', ')}`);
  return parameters;
}

/** A call that failed for good (not throttling, or throttled `attempts` times). */
class CallFailed extends Error {
  constructor(public readonly api: string, attempts: number, error: unknown) {
    super(`${api} failed${attempts > 1 ? ` after ${attempts} attempts` : ''}: ${describeError(error)}`);
  }
}

interface StepState {
  readonly step: AnyStep;
  status: string;
  start: number;
  record?: StepRecord;
}

function epoch(time: Date | string | undefined): number | undefined {
  return time === undefined ? undefined : new Date(time).getTime();
}

function stepOutcome(status: string): StepRecord['outcome'] {
  if (SUCCEEDED.has(status)) return 'succeeded';
  if (status === 'TimedOut') return 'timed-out';
  if (status === 'Cancelled') return 'cancelled';
  if (status === 'Rejected') return 'declined';
  return 'failed';
}

/** Waits `ms` on `clock`, or until `signal` aborts. */
async function pause(clock: DrillClock, ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return clock.sleep(ms);
  if (signal.aborted) return;
  let onAbort = (): void => undefined;
  const aborted = new Promise<void>((resolve) => {
    onAbort = () => resolve();
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([clock.sleep(ms), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** Starts `drill`'s SSM Automation document, follows it to the end (or stops it) and returns the report; never throws for a failing drill. */
export async function runDrillAutomation(options: RunDrillAutomationOptions): Promise<DrillReport> {
  const { drill, aws } = options;
  const clock = options.clock ?? SYSTEM_CLOCK;
  const random = options.random ?? Math.random;
  const pollMs = options.pollIntervalMs ?? 10_000;
  const maxAttempts = options.maxAttempts ?? 5;
  const callTimeoutMs = options.callTimeoutMs ?? 30_000;
  const backoff = { baseDelayMs: options.baseBackoffMs ?? 1000, maxDelayMs: options.maxBackoffMs ?? 30_000, random };
  const timeoutMs = options.timeoutMs ?? drill.steps.reduce((sum, s) => sum + Drill.timeoutSeconds(s) * 1000, 0);
  const region = String(options.values[drill.region === 'primary' ? 'PrimaryRegion' : 'SecondaryRegion']);
  const documentName = automationDocumentName(options.service, drill);
  const parameters = automationParameters(drill, options.values, options.assumeRole, options.approvers);
  const stopAlarm = options.values[STOP_CONDITION_PARAMETER];
  const emit = (event: DrillEvent): void => options.onEvent?.(event);

  /** `send`, retried on throttling up to maxAttempts times with full-jitter backoff. */
  const call = async <T>(api: string, send: (abortSignal: AbortSignal) => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await send(AbortSignal.timeout(callTimeoutMs));
      } catch (error) {
        if (!isThrottling(error) || attempt >= maxAttempts) throw new CallFailed(api, attempt, error);
        const delayMs = backoffDelayMs(attempt, backoff);
        emit({ type: 'retry', api, attempt, delayMs, error: error instanceof Error ? error.name : String(error) });
        await clock.sleep(delayMs);
      }
    }
  };
  const ssm = (api: string, params: Record<string, unknown>): Promise<Record<string, unknown>> =>
    call(api, (abortSignal) => aws.call({ service: 'ssm', api, params, region, abortSignal }));
  const alarms: AlarmObservation[] = [];
  const inAlarm = async (): Promise<boolean> => recordAlarmCheck(alarms, stopAlarm, clock.now(),
    await call('DescribeAlarms', (abortSignal) => stopConditionInAlarm(aws, stopAlarm, region, abortSignal)));

  const startedAt = clock.now();
  const deadline = startedAt + timeoutMs;
  const states = new Map<string, StepState>();
  let executionId = '';
  let status = 'NotStarted';
  let outputs: Record<string, string[]> = {};
  let failureMessage: string | undefined;
  let declined: string | undefined;
  /** Approval steps: the operator was asked; said yes; the Approve signal was sent; sending it failed (said once). */
  const asked = new Set<string>();
  const approved = new Set<string>();
  const signalled = new Set<string>();
  const unsignalled = new Set<string>();
  /** The CLI is cancelling the automation: nobody is asked any more. */
  let stopping = false;

  const current = (): string => {
    const running = [...states.values()].filter((s) => !s.record).at(-1);
    return running ? ` during step ${running.step.name}` : '';
  };

  /**
   * An approve or manual step is waiting: ask the operator once; on yes send the Approve signal (again at the next
   * polls if it failed, e.g. before SSM had the step waiting), on no cancel the automation.
   */
  const approve = async (state: StepState): Promise<void> => {
    const step = state.step;
    if ((step.kind !== 'approve' && step.kind !== 'manual') || signalled.has(step.name) || stopping) return;
    const signalCli = `aws ssm send-automation-signal --region ${region} --automation-execution-id ${executionId} --signal-type Approve`;
    if (!asked.has(step.name)) {
      asked.add(step.name);
      if (!options.confirm) {
        emit({ type: 'note', message: `step ${step.name} waits for approval: approve it in the Systems Manager console or with ${signalCli}` });
        return;
      }
      const resolve = (name: string): string => (name.includes('.') ? outputs[name]?.[0] : options.values[name]) ?? `{{ ${name} }}`;
      const left = Math.min(state.start + Drill.timeoutSeconds(step) * 1000, deadline) - clock.now();
      if (!(await options.confirm(String(substituteParameters(confirmationText(step), resolve)), Math.max(1, left)))) {
        declined = step.name;
        return;
      }
      approved.add(step.name);
    }
    if (!approved.has(step.name)) return;
    try {
      await ssm('SendAutomationSignal', { AutomationExecutionId: executionId, SignalType: 'Approve', Payload: { Comment: ['approved from the drill CLI'] } });
      signalled.add(step.name);
      emit({ type: 'note', message: `approved step ${step.name}` });
    } catch (error) {
      if (!unsignalled.has(step.name)) {
        unsignalled.add(step.name);
        emit({ type: 'note', message: `could not approve step ${step.name}: ${describeError(error)}; trying again at the next poll `
          + `(or approve it in the Systems Manager console or with ${signalCli})` });
      }
    }
  };

  /** Records what changed since the last poll, with progress events, and answers approval steps. */
  const observe = async (execution: AutomationExecution): Promise<void> => {
    status = execution.AutomationExecutionStatus ?? status;
    outputs = execution.Outputs ?? outputs;
    failureMessage = execution.FailureMessage ?? failureMessage;
    for (const se of execution.StepExecutions ?? []) {
      const step = se.StepName !== undefined ? drill.step(se.StepName) : undefined;
      const stepStatus = se.StepStatus ?? 'Pending';
      if (!step || stepStatus === 'Pending') continue;
      let state = states.get(step.name);
      if (state?.record) continue;
      if (state?.status === stepStatus) {
        if (!TERMINAL.has(stepStatus)) await approve(state);
        continue;
      }
      if (!state) {
        state = { step, status: stepStatus, start: epoch(se.ExecutionStartTime) ?? clock.now() };
        states.set(step.name, state);
        emit({ type: 'step-start', step, index: drill.steps.indexOf(step), total: drill.steps.length });
      }
      state.status = stepStatus;
      if (TERMINAL.has(stepStatus)) {
        const outcome = stepOutcome(stepStatus);
        const error = outcome === 'succeeded' ? undefined : se.FailureMessage ?? (outcome === 'failed' ? execution.FailureMessage : undefined) ?? stepStatus;
        state.record = {
          step: step.name, kind: step.kind, start: state.start, end: epoch(se.ExecutionEndTime) ?? clock.now(), outcome, attempts: 1,
          ...(error !== undefined ? { error } : {}),
        };
        emit({ type: 'step-end', record: state.record });
      } else {
        if (stepStatus !== 'InProgress') emit({ type: 'step-status', step, status: stepStatus });
        await approve(state);
      }
    }
  };
  const poll = async (): Promise<void> => {
    const response = await ssm('GetAutomationExecution', { AutomationExecutionId: executionId });
    await observe((response.AutomationExecution ?? {}) as AutomationExecution);
  };

  const finish = async (outcome: DrillReport['outcome'], reason: string | undefined): Promise<DrillReport> => {
    const endedAt = clock.now();
    const timeline = drill.steps.flatMap((step): StepRecord[] => {
      const state = states.get(step.name);
      if (!state) return [];
      if (step.name === declined) {
        return [{ step: step.name, kind: step.kind, start: state.start, end: state.record?.end ?? endedAt, outcome: 'declined', attempts: 1, error: 'not approved by the operator' }];
      }
      return [state.record ?? {
        step: step.name, kind: step.kind, start: state.start, end: endedAt, outcome: 'cancelled', attempts: 1,
        error: `${state.status} when the CLI stopped following the automation`,
      }];
    });
    const report = await drillReport({
      drill, tier: options.tier, values: options.values, aws, startedAt, endedAt, outcome, timeline, alarms,
      ...(reason ? { reason } : {}),
      ...(options.faultAt !== undefined ? { faultAt: options.faultAt } : {}),
      ...(options.rpoSeconds !== undefined ? { rpoSeconds: options.rpoSeconds } : {}),
    });
    return { ...report, automation: { documentName, region, executionId, status, assumeRole: options.assumeRole } };
  };

  let notStarted: [DrillReport['outcome'], string] | undefined;
  try {
    if (options.signal?.aborted) notStarted = ['aborted', 'aborted by the operator before the automation started'];
    else if (stopAlarm && await inAlarm()) notStarted = ['aborted', `stop condition: alarm ${stopAlarm} is in ALARM before the automation started`];
    else {
      const started = await ssm('StartAutomationExecution', { DocumentName: documentName, Parameters: parameters, ClientToken: options.clientToken ?? randomUUID() });
      executionId = String(started.AutomationExecutionId);
      status = 'Pending';
      emit({ type: 'note', message: `started SSM Automation ${documentName} in ${region}: execution ${executionId}` });
    }
  } catch (error) {
    notStarted = ['fail', describeError(error)];
  }
  if (notStarted) return finish(...notStarted);

  let stop: { outcome: DrillReport['outcome']; reason: string; observed: boolean } | undefined;
  while (!TERMINAL.has(status)) {
    try {
      if (options.signal?.aborted) stop = { outcome: 'aborted', reason: `aborted by the operator${current()}`, observed: true };
      else if (clock.now() >= deadline) stop = { outcome: 'fail', reason: `timed out after ${formatDuration(timeoutMs / 1000)}${current()}`, observed: true };
      else if (stopAlarm && await inAlarm()) stop = { outcome: 'aborted', reason: `stop condition: alarm ${stopAlarm} is in ALARM${current()}`, observed: true };
      else {
        await poll();
        if (declined) stop = { outcome: 'aborted', reason: `step ${declined} not approved by the operator`, observed: true };
        else if (!TERMINAL.has(status)) await pause(clock, Math.max(0, Math.min(pollMs, deadline - clock.now())), options.signal);
      }
    } catch (error) {
      // Unable to check the alarm or follow the automation: it must not go on unwatched.
      stop = { outcome: 'fail', reason: `${describeError(error)}${current()}`, observed: !(error instanceof CallFailed && error.api === 'GetAutomationExecution') };
    }
    if (stop) break;
  }

  if (stop) {
    stopping = true;
    let reason = stop.reason;
    try {
      await ssm('StopAutomationExecution', { AutomationExecutionId: executionId, Type: 'Cancel' });
      reason += `; automation ${executionId} cancelled`;
      emit({ type: 'note', message: `cancelled SSM Automation execution ${executionId}` });
    } catch (error) {
      reason += `; could not cancel automation ${executionId} (${describeError(error)}): `
        + `aws ssm stop-automation-execution --region ${region} --automation-execution-id ${executionId} --type Cancel`;
    }
    if (stop.observed) {
      // The steps as they ended (best effort: the timeline falls back to what was seen last).
      await poll().catch(() => undefined);
    }
    return finish(stop.outcome, reason);
  }

  if (SUCCEEDED.has(status)) return finish('pass', undefined);
  const failed = drill.steps.map((s) => states.get(s.name)?.record).find((r) => r !== undefined && r.outcome !== 'succeeded');
  if (status === 'Cancelled') return finish('aborted', `automation ${executionId} was cancelled outside the CLI${failed ? ` at step ${failed.step}` : ''}`);
  return finish('fail', failed ? `step ${failed.step} ${failed.outcome}: ${failed.error}` : `automation ${executionId} ${status}${failureMessage ? `: ${failureMessage}` : ''}`);
}
