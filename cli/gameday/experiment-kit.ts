/**
 * The steps every experiment shares, as FIS runs them: wait for the previous experiment's alerts to resolve, check the
 * steady state, inject the fault under a stop condition (abort and revert when errors pass a bound), observe recovery,
 * and measure: windows before / during / after, the alerts that reached the receivers, the checks against targets.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AlertWatcher } from './alerts';
import type { Environment } from './environment';
import type { Recorder, RequestRecord } from './load';
import type { Profile } from './profiles';
import type { Check, ExperimentReport, FiredAlert } from './report';
import type { MetricSampler } from './sampler';
import { hitRates } from './sampler';
import { errorRatio, isError, latency, round1, round4, within } from './stats';

const ROOT = join(__dirname, '..', '..');

/** The steady state the load must be in before a fault: no errors, p99 within the latency SLO's threshold (250 ms). */
export const STEADY_STATE = { maxErrorRatio: 0, maxP99Ms: 250 } as const;

export interface RunContext {
  readonly env: Environment;
  readonly profile: Profile;
  readonly recorder: Recorder;
  readonly sampler: MetricSampler;
  /** Prometheus's firing alerts, polled every second. */
  readonly alerts: AlertWatcher;
  /** `Date.now()` at the recorder's epoch: converts wall-clock times (webhooks) to run time. */
  readonly epochWallMs: number;
  /** Prefix of this run's idempotency keys. */
  readonly runId: string;
  readonly log: (line: string) => void;
  /** Aborted when the game day is interrupted: nothing may start or revert anything after that. */
  readonly stopping: AbortSignal;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The steady load's requests in [fromMs, toMs). */
export function steady(ctx: RunContext, fromMs: number, toMs: number): RequestRecord[] {
  return within(ctx.recorder.records, fromMs, toMs).filter((r) => r.source === 'steady');
}

/** Alerts Prometheus has firing or pending, Watchdog aside, by severity. */
async function activeAlerts(ctx: RunContext): Promise<{ pages: string[]; others: string[] }> {
  const alerts = (await ctx.env.monitoring.alerts().catch(() => [])).filter((a) => a.labels.alertname !== 'Watchdog');
  const name = (a: { labels: Record<string, string>; state: string }): string => `${a.labels.alertname}/${a.labels.severity ?? 'none'} (${a.state})`;
  return { pages: alerts.filter((a) => a.labels.severity === 'critical').map(name), others: alerts.filter((a) => a.labels.severity !== 'critical').map(name) };
}

/**
 * Waits (up to the profile's settle time) for the pages of the previous experiment to resolve, then measures one
 * window of the steady load: the steady state is the load's (no errors, p99 within the latency SLO's threshold).
 * Alerts still active are listed in `carried` and never counted as this experiment's (an alert that became pending
 * before this fault belongs to an earlier one): tickets look back far (the slow-burn SLO ticket over 6 hours), and an
 * SLO page keeps firing while its 30-minute short window still holds an earlier experiment's errors. Resolves to the
 * window's start, or to an abort reason.
 */
export async function steadyState(ctx: RunContext): Promise<{ fromMs: number; carried: string[] } | { aborted: string }> {
  const deadline = Date.now() + ctx.profile.settleSeconds * 1000;
  let active = await activeAlerts(ctx);
  while (active.pages.length > 0 && Date.now() < deadline) {
    await sleep(1000);
    active = await activeAlerts(ctx);
  }
  const fromMs = ctx.recorder.now();
  await sleep(ctx.profile.windowSeconds * 1000);
  const rs = steady(ctx, fromMs, ctx.recorder.now());
  const ratio = errorRatio(rs);
  const { p99 } = latency(rs);
  if (ratio > STEADY_STATE.maxErrorRatio || p99 > STEADY_STATE.maxP99Ms) {
    return { aborted: `steady state not reached: error ratio ${round4(ratio)} (bound ${STEADY_STATE.maxErrorRatio}), p99 ${p99} ms (bound ${STEADY_STATE.maxP99Ms} ms)` };
  }
  return { fromMs, carried: [...active.pages, ...active.others] };
}

/**
 * The stop condition, as an FIS experiment's: while the fault is in place, checks every 500 ms the share of the steady
 * load's requests over the last 3 s that failed (per `counts`, default every error); past `maxErrorRatio`, it runs
 * `revert` once and records why.
 */
export class StopCondition {
  tripped: string | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(ctx: RunContext, maxErrorRatio: number, revert: () => Promise<void>, counts: (r: RequestRecord) => boolean = isError) {
    this.timer = setInterval(() => {
      if (this.tripped !== null) return;
      const now = ctx.recorder.now();
      const rs = steady(ctx, now - 3000, now - 200);
      const ratio = rs.length === 0 ? 0 : rs.filter(counts).length / rs.length;
      // Never while the game day is being stopped (Ctrl-C): the servers are going away on purpose.
      if (rs.length >= 10 && ratio > maxErrorRatio && !ctx.stopping.aborted) {
        this.tripped = `stop condition: ${round4(ratio)} of requests failed over 3s (bound ${maxErrorRatio}); fault reverted`;
        ctx.log(`  ${this.tripped}`);
        revert().catch((e: unknown) => ctx.log(`  reverting the fault failed: ${e instanceof Error ? e.message : String(e)}`));
      }
    }, 500);
  }

  end(): void {
    clearInterval(this.timer);
  }
}

/** Holds for `seconds`, or less when `stop` trips. */
export async function hold(seconds: number, stop: StopCondition): Promise<void> {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until && stop.tripped === null) await sleep(200);
}

/** Polls `check` every 200 ms until it holds; the run time it first held, or undefined after `timeoutSeconds`. */
export async function until(ctx: RunContext, check: () => Promise<boolean> | boolean, timeoutSeconds: number): Promise<number | undefined> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  while (Date.now() < deadline) {
    if (await check()) return ctx.recorder.now();
    await sleep(200);
  }
  return undefined;
}

/** Whether a runbook link points at a committed file: `<base>/runbooks/<path>.md` → `runbooks/<path>.md`. */
export function runbookExists(url: string): boolean {
  const m = /\/runbooks\/(.+\.md)$/.exec(url);
  return m !== null && existsSync(join(ROOT, 'runbooks', m[1]));
}

/**
 * The alerts Prometheus started firing between `faultStartMs` and `untilMs` that became pending no earlier than the
 * fault (an earlier one belongs to an earlier experiment), first episode per alert and severity, each with the first
 * notification of it that reached the webhook receiver in the window. Watchdog (the heartbeat) aside.
 */
export function firedAlerts(ctx: RunContext, faultStartMs: number, untilMs: number): FiredAlert[] {
  const fromWall = ctx.epochWallMs + faultStartMs;
  const toWall = ctx.epochWallMs + untilMs;
  const out = new Map<string, FiredAlert>();
  for (const a of ctx.alerts.firedBetween(faultStartMs, untilMs)) {
    const key = `${a.alertname}/${a.severity}`;
    if (out.has(key) || a.activeAtWallMs < fromWall - 2000) continue;
    const notification = ctx.env.webhook.received.find((w) => w.receivedAt >= fromWall && w.receivedAt <= toWall && w.path !== '/heartbeat'
      && w.payload.alerts.some((n) => n.status === 'firing' && n.labels.alertname === a.alertname && n.labels.severity === a.severity));
    out.set(key, {
      alertname: a.alertname, severity: a.severity, firedAfterSeconds: round1((a.firingSeenMs - faultStartMs) / 1000),
      runbookUrl: a.runbookUrl, runbookExists: runbookExists(a.runbookUrl),
      notifiedAfterSeconds: notification === undefined ? null : round1((notification.receivedAt - fromWall) / 1000),
      receiver: notification === undefined ? null : notification.path.replace(/^\//, ''),
    });
  }
  return [...out.values()].sort((x, y) => x.firedAfterSeconds - y.firedAfterSeconds);
}

/** A check; `impact` marks a check of user-visible impact (its failure without any alert is a detection gap). */
export interface TargetCheck extends Check {
  readonly impact: boolean;
}

export function check(name: string, passed: boolean, target: string, measured: string, impact = false): TargetCheck {
  return { name, target, measured, passed, impact };
}

/** What {@link finish} measured. */
export type Measured = ExperimentReport['measured'];

/** What an experiment hands to {@link finish}. */
export interface ExperimentOutcome {
  readonly name: string;
  readonly fisExperiment: string | null;
  readonly fault: string;
  readonly target: Record<string, number>;
  readonly expectedAlerts: readonly string[];
  readonly startMs: number;
  readonly faultStartMs: number;
  readonly faultEndMs: number;
  /** When the service was healthy again (undefined: never within the wait). */
  readonly recoveredMs: number | undefined;
  /** What recovery is counted from (the fault's start, or its removal). */
  readonly recoveryFromMs: number;
  readonly aborted: string | null;
  /** The checks against the targets, from what was measured. */
  readonly checks: (measured: Measured) => TargetCheck[];
  readonly extra?: Partial<ExperimentReport['measured']>;
  readonly notes?: readonly string[];
  /** Tickets still active from earlier experiments when this one started. */
  readonly carried?: readonly string[];
}

/** Measures the after-window and the alerts, then assembles the experiment's report entry. */
export async function finish(ctx: RunContext, o: ExperimentOutcome): Promise<ExperimentReport> {
  const afterFrom = Math.max(o.faultEndMs, o.recoveredMs ?? o.faultEndMs);
  await sleep(ctx.profile.windowSeconds * 1000);
  const endMs = ctx.recorder.now();
  const before = latency(steady(ctx, o.startMs, o.faultStartMs));
  const during = latency(steady(ctx, o.faultStartMs, afterFrom));
  const after = latency(steady(ctx, afterFrom, endMs));
  const impactWindow = steady(ctx, o.faultStartMs, endMs);
  const alerts = firedAlerts(ctx, o.faultStartMs, endMs);
  const measured: Measured = {
    recoverySeconds: o.recoveredMs === undefined ? null : round1((o.recoveredMs - o.recoveryFromMs) / 1000),
    errorRatio: round4(errorRatio(impactWindow)),
    requests: impactWindow.length,
    p50Ms: { before: before.p50, during: during.p50, after: after.p50 },
    p99Ms: { before: before.p99, during: during.p99, after: after.p99 },
    hitRates: {
      before: hitRates(ctx.sampler.between(o.startMs, o.faultStartMs)),
      during: hitRates(ctx.sampler.between(o.faultStartMs, afterFrom)),
      after: hitRates(ctx.sampler.between(afterFrom, endMs)),
    },
    alerts,
    ...o.extra,
  };
  const checks = o.checks(measured);
  if (o.aborted !== null) checks.push(check('not aborted', false, 'no stop condition', o.aborted));
  for (const a of alerts.filter((x) => !x.runbookExists)) checks.push(check(`runbook of ${a.alertname}`, false, 'exists in runbooks/', `missing: ${a.runbookUrl}`));
  const missing = o.expectedAlerts.filter((name) => !alerts.some((a) => a.alertname === name));
  const notes = [...(o.notes ?? [])];
  if ((o.carried ?? []).length > 0) notes.push(`active from an earlier experiment (not counted here): ${(o.carried ?? []).join(', ')}`);
  if (missing.length > 0) notes.push(`expected alert(s) not fired within the experiment: ${missing.join(', ')}`);
  return {
    name: o.name,
    fisExperiment: o.fisExperiment,
    fault: o.fault,
    target: o.target,
    window: {
      startSeconds: round1(o.startMs / 1000), faultStartSeconds: round1(o.faultStartMs / 1000),
      faultEndSeconds: round1(o.faultEndMs / 1000), endSeconds: round1(endMs / 1000),
    },
    measured,
    checks: checks.map(({ name, target, measured: value, passed }) => ({ name, target, measured: value, passed })),
    expectedAlerts: o.expectedAlerts,
    detectionGap: checks.some((c) => c.impact && !c.passed) && alerts.length === 0,
    aborted: o.aborted,
    notes,
    passed: checks.every((c) => c.passed),
  };
}
