/**
 * Runs a drill's steps against AWS: progress step by step, a stop-condition alarm checked before each step,
 * per-step timeouts, bounded retries with exponential backoff and full jitter on throttling, abort after the
 * current step (SIGINT), and a report with the measured RTO and RPO against the objectives. Time, sleep and
 * randomness are injected so tests run instantly.
 */
import { backoffDelayMs } from '../../constructs/core/retry';
import type { AnyStep, ApproveStep, ManualStep } from '../../constructs/core/drills';
import { Drill, STOP_CONDITION_PARAMETER, substituteParameters } from '../../constructs/core/drills';
import type { DrTier } from '../../constructs/core/dr-tier';
import { parseDuration } from '../../constructs/core/duration';
import type { AwsCaller, AwsRequest } from './aws';
import { selectPath } from './json-path';
import { recordAlarmCheck } from './report';
import type { AlarmObservation, DrillReport, StepRecord } from './report';

/** Time source; the real one is {@link SYSTEM_CLOCK}. */
export interface DrillClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Wall-clock time and real timers. */
export const SYSTEM_CLOCK: DrillClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * A progress event, for the terminal. `step-status` and `note` come from the SSM Automation path (cli/drill/automation.ts):
 * a step's SSM status other than start and end (e.g. `Waiting` for approval), and what the CLI does to the automation.
 */
export type DrillEvent =
  | { readonly type: 'step-start'; readonly step: AnyStep; readonly index: number; readonly total: number }
  | { readonly type: 'retry'; readonly step?: AnyStep; readonly api?: string; readonly attempt: number; readonly delayMs: number; readonly error: string }
  | { readonly type: 'poll'; readonly step: AnyStep; readonly value: unknown }
  | { readonly type: 'step-status'; readonly step: AnyStep; readonly status: string }
  | { readonly type: 'note'; readonly message: string }
  | { readonly type: 'step-end'; readonly record: StepRecord };

/** Options of {@link runDrill}. */
export interface RunDrillOptions {
  readonly drill: Drill;
  readonly tier: DrTier;
  /** Every parameter's value. */
  readonly values: Readonly<Record<string, string>>;
  readonly aws: AwsCaller;
  /** @default SYSTEM_CLOCK */
  readonly clock?: DrillClock;
  /** @default Math.random */
  readonly random?: () => number;
  /** Asks the operator to approve or confirm a manual step; false stops the drill. */
  readonly confirm: (message: string, timeoutMs: number) => Promise<boolean>;
  /** Aborted: stop after the current step (SIGINT). */
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: DrillEvent) => void;
  /** @default 15000 */
  readonly pollIntervalMs?: number;
  /** First backoff delay on throttling, doubled per attempt, full jitter. @default 1000 */
  readonly baseBackoffMs?: number;
  /** @default 30000 */
  readonly maxBackoffMs?: number;
  /** When the fault happened (RTO start). @default - the drill start */
  readonly faultAt?: number;
  /** RPO measured by the operator, seconds (overrides the drill's measurement). */
  readonly rpoSeconds?: number;
}

const THROTTLING = new Set([
  'ThrottlingException', 'Throttling', 'ThrottledException', 'TooManyRequestsException', 'RequestLimitExceeded',
  'RequestThrottled', 'RequestThrottledException', 'ProvisionedThroughputExceededException', 'SlowDown',
]);

/** Whether `error` is AWS throttling (retried with backoff). */
export function isThrottling(error: unknown): boolean {
  const e = error as { name?: string; $retryable?: { throttling?: boolean }; $metadata?: { httpStatusCode?: number } };
  return THROTTLING.has(e?.name ?? '') || e?.$retryable?.throttling === true || e?.$metadata?.httpStatusCode === 429;
}

/** What the operator is asked at an approve or manual step (parameter references not yet substituted). */
export function confirmationText(step: ApproveStep | ManualStep): string {
  return step.kind === 'approve' ? step.message : `${step.instructions}\nDone?`;
}

/** An error as the report shows it: `<name>: <message>` (the message alone for a plain Error). */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
}

class StepTimeout extends Error {}
class StepDeclined extends Error {}

/** Runs `drill` and returns its report; never throws for a failing step (the report says so). */
export async function runDrill(options: RunDrillOptions): Promise<DrillReport> {
  const { drill, tier, aws } = options;
  const clock = options.clock ?? SYSTEM_CLOCK;
  const random = options.random ?? Math.random;
  const pollMs = options.pollIntervalMs ?? 15000;
  const baseMs = options.baseBackoffMs ?? 1000;
  const maxMs = options.maxBackoffMs ?? 30000;
  const outputs: Record<string, string> = {};
  const integer = new Set(drill.parameters.filter((p) => p.type === 'Integer').map((p) => p.name));
  const resolve = (name: string): string | number => {
    const v = name.includes('.') ? outputs[name] : options.values[name];
    if (v === undefined) throw new Error(`parameter ${name} has no value`);
    return integer.has(name) ? Number(v) : v;
  };
  const regionOf = (role: 'primary' | 'secondary'): string => String(resolve(role === 'primary' ? 'PrimaryRegion' : 'SecondaryRegion'));

  const startedAt = clock.now();
  const timeline: StepRecord[] = [];
  let outcome: DrillReport['outcome'] = 'pass';
  let reason: string | undefined;

  const request = (step: Extract<AnyStep, { call: unknown }>, deadline: number): AwsRequest => ({
    service: step.call.service,
    api: step.call.api,
    params: substituteParameters(step.call.params, resolve) as Record<string, unknown>,
    region: step.call.endpointRegion ? String(substituteParameters(step.call.endpointRegion, resolve)) : regionOf(step.call.region ?? drill.region),
    ...(step.call.endpoint ? { endpoint: String(substituteParameters(step.call.endpoint, resolve)) } : {}),
    abortSignal: AbortSignal.timeout(Math.max(1, deadline - clock.now())),
  });

  const backoff = async (step: AnyStep, attempt: number, error: unknown, deadline: number): Promise<void> => {
    const delayMs = backoffDelayMs(attempt, { baseDelayMs: baseMs, maxDelayMs: maxMs, random });
    if (clock.now() + delayMs >= deadline) throw new StepTimeout(`timed out after ${step.timeout} (throttled)`);
    options.onEvent?.({ type: 'retry', step, attempt, delayMs, error: (error as Error).name ?? String(error) });
    await clock.sleep(delayMs);
  };

  const runStep = async (step: AnyStep, record: { attempts: number }): Promise<void> => {
    const deadline = clock.now() + Drill.timeoutSeconds(step) * 1000;
    switch (step.kind) {
      case 'aws-api': {
        for (let attempt = 1; ; attempt++) {
          if (clock.now() >= deadline) throw new StepTimeout(`timed out after ${step.timeout}`);
          record.attempts = attempt;
          try {
            const response = await aws.call(request(step, deadline));
            for (const [name, selector] of Object.entries(step.outputs)) outputs[`${step.name}.${name}`] = String(selectPath(response, selector));
            return;
          } catch (error) {
            if (!isThrottling(error) || attempt >= step.maxAttempts) throw error;
            await backoff(step, attempt, error, deadline);
          }
        }
      }
      case 'wait-for': {
        const desired = step.desiredValues.map((v) => String(substituteParameters(v, resolve)));
        for (let attempt = 1; ; attempt++) {
          record.attempts = attempt;
          let value: unknown;
          try {
            value = selectPath(await aws.call(request(step, deadline)), step.selector);
          } catch (error) {
            if (!isThrottling(error)) throw error;
            await backoff(step, Math.min(attempt, 6), error, deadline);
            continue;
          }
          options.onEvent?.({ type: 'poll', step, value });
          if (value !== undefined && desired.includes(String(value))) return;
          if (clock.now() + pollMs > deadline) {
            throw new StepTimeout(`timed out after ${step.timeout}: ${step.selector} is ${JSON.stringify(value)}, waiting for ${desired.join(' or ')}`);
          }
          await clock.sleep(pollMs);
        }
      }
      case 'approve':
      case 'manual': {
        record.attempts = 1;
        const message = String(substituteParameters(confirmationText(step), resolve));
        if (!(await options.confirm(message, deadline - clock.now()))) throw new StepDeclined(`${step.kind === 'approve' ? 'not approved' : 'not confirmed'} by the operator`);
        return;
      }
      case 'sleep':
        record.attempts = 1;
        await clock.sleep(parseDuration(drill.id, 'duration', step.duration) * 1000);
        return;
    }
  };

  const stopAlarm = options.values[STOP_CONDITION_PARAMETER];
  const alarms: AlarmObservation[] = [];
  for (const [index, step] of drill.steps.entries()) {
    if (options.signal?.aborted) {
      outcome = 'aborted';
      reason = `aborted by the operator before step ${step.name}`;
      break;
    }
    if (stopAlarm && recordAlarmCheck(alarms, stopAlarm, clock.now(), await stopConditionInAlarm(aws, stopAlarm, regionOf(drill.region)))) {
      outcome = 'aborted';
      reason = `stop condition: alarm ${stopAlarm} is in ALARM before step ${step.name}`;
      break;
    }
    options.onEvent?.({ type: 'step-start', step, index, total: drill.steps.length });
    const start = clock.now();
    const progress = { attempts: 0 };
    let record: StepRecord;
    try {
      await runStep(step, progress);
      record = { step: step.name, kind: step.kind, start, end: clock.now(), outcome: 'succeeded', attempts: progress.attempts };
    } catch (error) {
      const stepOutcome = error instanceof StepTimeout ? 'timed-out' : error instanceof StepDeclined ? 'declined' : 'failed';
      const message = describeError(error);
      record = { step: step.name, kind: step.kind, start, end: clock.now(), outcome: stepOutcome, attempts: progress.attempts, error: message };
      outcome = stepOutcome === 'declined' ? 'aborted' : 'fail';
      reason = `step ${step.name} ${stepOutcome}: ${message}`;
    }
    timeline.push(record);
    options.onEvent?.({ type: 'step-end', record });
    if (record.outcome !== 'succeeded') break;
  }

  return drillReport({
    drill, tier, values: options.values, aws, startedAt, endedAt: clock.now(), outcome, timeline, alarms,
    ...(reason ? { reason } : {}),
    ...(options.faultAt !== undefined ? { faultAt: options.faultAt } : {}),
    ...(options.rpoSeconds !== undefined ? { rpoSeconds: options.rpoSeconds } : {}),
  });
}

/** Whether the stop-condition alarm `name` (metric or composite) is in ALARM: CloudWatch DescribeAlarms in `region`. */
export async function stopConditionInAlarm(aws: AwsCaller, name: string, region: string, abortSignal?: AbortSignal): Promise<boolean> {
  const alarms = await aws.call({ service: 'cloudwatch', api: 'DescribeAlarms', params: { AlarmNames: [name] }, region, ...(abortSignal ? { abortSignal } : {}) });
  const states = [
    ...((alarms.MetricAlarms as { StateValue?: string }[] | undefined) ?? []),
    ...((alarms.CompositeAlarms as { StateValue?: string }[] | undefined) ?? []),
  ];
  return states.some((a) => a.StateValue === 'ALARM');
}

/** How a drill run went, as {@link drillReport} turns it into the report. */
export interface DrillRun {
  readonly drill: Drill;
  readonly tier: DrTier;
  /** Every parameter's value. */
  readonly values: Readonly<Record<string, string>>;
  /** Reads the replication lag for the RPO. */
  readonly aws: AwsCaller;
  /** Epoch milliseconds. */
  readonly startedAt: number;
  readonly endedAt: number;
  /** RTO start. @default - startedAt */
  readonly faultAt?: number;
  /** RPO measured by the operator, seconds. */
  readonly rpoSeconds?: number;
  /** The outcome so far: a passing run still fails when RTO or RPO misses its objective. */
  readonly outcome: DrillReport['outcome'];
  readonly reason?: string;
  /** The steps that ran, in order. */
  readonly timeline: StepRecord[];
  /** The stop-condition alarm's checks (recordAlarmCheck). */
  readonly alarms?: readonly AlarmObservation[];
}

/**
 * The report of a run: RTO from the fault (or the start) to the success of the drill's `recoveredWhen` step, RPO
 * as the drill measures it, each against the tier's objectives. Shared by the SDK runner and the SSM Automation path.
 */
export async function drillReport(run: DrillRun): Promise<DrillReport> {
  const { drill, tier, timeline } = run;
  let { outcome, reason } = run;
  const faultAt = run.faultAt ?? run.startedAt;
  const objectives = drill.objectivesFor(tier);
  const rtoObjective = parseDuration(drill.id, 'rto', objectives.rto);
  const rpoObjective = parseDuration(drill.id, 'rpo', objectives.rpo);
  const recovered = timeline.find((r) => r.step === drill.verification.recoveredWhen && r.outcome === 'succeeded');
  const rtoMeasured = recovered ? (recovered.end - faultAt) / 1000 : undefined;
  const rpo = await measureRpo(run);
  const rtoPass = rtoMeasured !== undefined && rtoMeasured <= rtoObjective;
  const rpoPass = rpo.seconds !== undefined && rpo.seconds <= rpoObjective;
  if (outcome === 'pass' && !(rtoPass && rpoPass)) {
    outcome = 'fail';
    reason = [!rtoPass ? `RTO ${rtoMeasured === undefined ? 'not measured' : `${rtoMeasured}s`} misses ${objectives.rto}` : undefined,
      !rpoPass ? `RPO ${rpo.seconds === undefined ? `not measured (${rpo.note})` : `${rpo.seconds}s`} misses ${objectives.rpo}` : undefined]
      .filter((s) => s !== undefined).join('; ');
  }
  const ran = new Set(timeline.map((r) => r.step));
  return {
    drill: drill.id,
    title: drill.title,
    tier: tier.id,
    startedAt: new Date(run.startedAt).toISOString(),
    endedAt: new Date(run.endedAt).toISOString(),
    faultAt: new Date(faultAt).toISOString(),
    outcome,
    ...(reason ? { reason } : {}),
    timeline,
    notRun: drill.steps.filter((s) => !ran.has(s.name)).map((s) => s.name),
    rto: {
      objective: objectives.rto, objectiveSeconds: rtoObjective, ...(rtoMeasured !== undefined ? { measuredSeconds: rtoMeasured } : {}),
      pass: rtoPass, endsAt: drill.verification.recoveredWhen,
    },
    rpo: {
      objective: objectives.rpo, objectiveSeconds: rpoObjective, ...(rpo.seconds !== undefined ? { measuredSeconds: rpo.seconds } : {}),
      pass: rpoPass, method: rpo.method, note: rpo.note,
    },
    parameters: { ...run.values },
    ...(run.alarms && run.alarms.length > 0 ? { alarms: [...run.alarms] } : {}),
  };
}

async function measureRpo(options: DrillRun): Promise<{ seconds?: number; method: string; note: string }> {
  const { drill, timeline } = options;
  const how = drill.verification.rpo;
  if (options.rpoSeconds !== undefined) return { seconds: options.rpoSeconds, method: 'explicit', note: 'measured by the operator (--rpo-seconds)' };
  if (how.kind === 'none') return { seconds: 0, method: 'none', note: how.how };
  if (how.kind === 'explicit' || !how.replicationLag) return { method: 'explicit', note: 'pass the measured value with --rpo-seconds' };
  const at = timeline.find((r) => r.step === how.replicationLag?.atStep);
  if (!at) return { method: 'replication-lag', note: `step ${how.replicationLag.atStep} did not run` };
  const cluster = options.values[how.replicationLag.clusterParameter];
  const stats = await options.aws.call({
    service: 'cloudwatch', api: 'GetMetricStatistics', region: String(options.values[drill.region === 'primary' ? 'PrimaryRegion' : 'SecondaryRegion']),
    params: {
      Namespace: 'AWS/RDS', MetricName: 'AuroraGlobalDBReplicationLag', Dimensions: [{ Name: 'DBClusterIdentifier', Value: cluster }],
      StartTime: new Date(at.start - 300_000), EndTime: new Date(at.start), Period: 60, Statistics: ['Maximum'],
    },
  });
  const points = ((stats.Datapoints as { Maximum?: number }[] | undefined) ?? []).map((d) => d.Maximum ?? 0);
  if (points.length === 0) return { method: 'replication-lag', note: `no AuroraGlobalDBReplicationLag datapoints for ${cluster} in the 5 minutes before ${at.step}` };
  return { seconds: Math.max(...points) / 1000, method: 'replication-lag', note: `maximum AuroraGlobalDBReplicationLag of ${cluster} over the 5 minutes before ${at.step}` };
}
