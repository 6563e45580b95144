/**
 * The game day's experiment catalog: one entry per fault of the chaos matrix, each with its target, the FIS experiment
 * it corresponds to (the stacks' `ChaosExperiments`, runbooks/chaos/), the alerts the platform should raise, and its
 * run: steady state, fault under a stop condition, recovery, measurement (experiment-kit.ts).
 */
import { HIT_RATE_TARGETS } from '../../reference-service/src/cache';
import { SEED_ITEMS } from '../../reference-service/src/db';
import { DEFAULT_QUERY_TIMEOUT_MS } from '../../reference-service/src/config';
import { PLATFORM_RESILIENCE } from '../../reference-service/src/resilience';
import { parsePromDuration } from './rules';
import { CHAOS_EXPERIMENTS } from '../../constructs/aws/dr/chaos-experiments-props';
import { RESILIENCE_SIGNALS } from '../../constructs/core/observability/resilience';
import type { RunContext } from './experiment-kit';
import { check, finish, hold, sleep, steady, STEADY_STATE, steadyState, StopCondition, until } from './experiment-kit';
import { startReplica } from './local/postgres';
import { burst } from './load';
import type { ExperimentReport } from './report';
import { isError, latency, quantile, recoveredAt, round1, round4, within } from './stats';

/** Items the steady load reads (the migration's seed), and the cold ones only the overload burst reads. */
export const HOT_ITEMS = SEED_ITEMS;
export const COLD_ITEMS = { from: SEED_ITEMS + 1, to: 50_000 } as const;

export interface Experiment {
  readonly name: string;
  readonly fisExperiment: string | null;
  run(ctx: RunContext): Promise<ExperimentReport>;
}

/** Seconds a held fault lasts: the profile's, or long enough for an alert with `forDuration` to fire (full profile). */
function holdSeconds(ctx: RunContext, forDuration: string): number {
  const alertSeconds = parsePromDuration(forDuration) / 1000 / ctx.profile.compressTime;
  // Margin: the rule's windows must fill with the fault's data (a few scrapes), plus evaluation.
  const margin = 4 * ctx.profile.scrapeSeconds + (ctx.profile.compressTime === 1 ? 60 : 5);
  return Math.max(ctx.profile.faultSeconds, Math.ceil(alertSeconds + margin));
}

/** The p99 band recovery is held to: twice the steady p99, and at least 20 ms above it (one noisy second aside). */
function band(ctx: RunContext, fromMs: number, toMs: number): number {
  const p99 = latency(steady(ctx, fromMs, toMs)).p99;
  return Math.max(2 * p99, p99 + 20);
}

/**
 * After a fault is removed: finds when the steady load was healthy again (3 s in a row without errors, p99 within the
 * steady state's band), watching for up to 90 s so that a slow recovery is measured rather than missed.
 */
async function recoveryAfterRemoval(ctx: RunContext, steadyFromMs: number, faultStartMs: number, faultEndMs: number)
  : Promise<{ p99Band: number; recoveredMs: number | undefined }> {
  const p99Band = band(ctx, steadyFromMs, faultStartMs);
  const rule = { p99BandMs: p99Band, holdMs: 3000 };
  let recoveredMs: number | undefined;
  await until(ctx, () => {
    const now = ctx.recorder.now();
    recoveredMs = recoveredAt(steady(ctx, faultEndMs, now), faultEndMs, now, rule);
    return recoveredMs !== undefined;
  }, 90);
  return { p99Band, recoveredMs };
}

/** A steady-state failure as a report entry. */
async function notRun(ctx: RunContext, e: Experiment & { fault: string; target: Record<string, number>; expectedAlerts: readonly string[] },
  aborted: string): Promise<ExperimentReport> {
  const now = ctx.recorder.now();
  return finish(ctx, {
    ...e, startMs: now, faultStartMs: now, faultEndMs: now, recoveredMs: undefined, recoveryFromMs: now, aborted, checks: () => [],
  });
}

const instanceTermination = {
  name: 'instance-termination',
  fisExperiment: CHAOS_EXPERIMENTS.taskTermination.id,
  fault: 'kill -9 of one service instance; the harness starts it again as ECS replaces a stopped task',
  target: { maxErrorRatio: 0.0001, recoverySeconds: 30 },
  expectedAlerts: [] as string[],
  async run(ctx: RunContext): Promise<ExperimentReport> {
    const s = await steadyState(ctx);
    if ('aborted' in s) return notRun(ctx, this, s.aborted);
    const victim = ctx.env.instances[1];
    const serverName = `s${ctx.env.instances.indexOf(victim) + 1}`;
    const stop = new StopCondition(ctx, 0.2, async () => undefined);
    const faultStartMs = ctx.recorder.now();
    await victim.kill('SIGKILL');
    ctx.log(`  ${victim.name} killed; starting it again`);
    await victim.start();
    const recoveredMs = await until(ctx, async () =>
      (await ctx.env.haproxy.servers()).find((x) => x.name === serverName)?.status === 'UP'
      && steady(ctx, ctx.recorder.now() - 1000, ctx.recorder.now()).every((r) => !isError(r)), 120);
    stop.end();
    return finish(ctx, {
      ...this, startMs: s.fromMs, carried: s.carried, faultStartMs, faultEndMs: faultStartMs, recoveredMs, recoveryFromMs: faultStartMs,
      aborted: stop.tripped,
      checks: (m) => [
        check('available throughout', m.errorRatio < this.target.maxErrorRatio, `error ratio < ${this.target.maxErrorRatio}`, String(m.errorRatio), true),
        check('back in rotation', m.recoverySeconds !== null && m.recoverySeconds < this.target.recoverySeconds,
          `< ${this.target.recoverySeconds} s`, `${m.recoverySeconds ?? 'never'} s`, true),
      ],
      notes: [`recovery: from the kill until the load balancer has the restarted instance UP again (health check every 10 s, healthy after 2)`],
    });
  },
};

const networkLatency = {
  name: 'network-latency',
  fisExperiment: CHAOS_EXPERIMENTS.networkLatency.id,
  fault: '+200 ms on every database response (writer and reader endpoints), through the TCP proxies',
  target: { maxReadErrorRatio: 0.01, maxUnanswered: 0, maxP99Ms: 2500, recoverySecondsAfterRemoval: 5 },
  expectedAlerts: [] as string[],
  async run(ctx: RunContext): Promise<ExperimentReport> {
    const s = await steadyState(ctx);
    if ('aborted' in s) return notRun(ctx, this, s.aborted);
    const { writer, reader } = ctx.env;
    const revert = async (): Promise<void> => { writer.delayMs = 0; reader.delayMs = 0; };
    const stop = new StopCondition(ctx, 0.2, revert);
    const faultStartMs = ctx.recorder.now();
    writer.delayMs = 200;
    reader.delayMs = 200;
    await hold(holdSeconds(ctx, '5m'), stop);
    await revert();
    const faultEndMs = ctx.recorder.now();
    stop.end();
    const { p99Band, recoveredMs } = await recoveryAfterRemoval(ctx, s.fromMs, faultStartMs, faultEndMs);
    const during = steady(ctx, faultStartMs, faultEndMs);
    const reads = during.filter((r) => r.kind !== 'write');
    const readErrors = round4(reads.filter(isError).length / Math.max(1, reads.length));
    const unanswered = during.filter((r) => r.status === 0).length;
    const failures = during.filter(isError);
    return finish(ctx, {
      ...this, startMs: s.fromMs, carried: s.carried, faultStartMs, faultEndMs, recoveredMs, recoveryFromMs: faultEndMs, aborted: stop.tripped,
      extra: { failedReads: reads.filter(isError).length },
      checks: (m) => [
        check('degraded gracefully: reads served', readErrors < this.target.maxReadErrorRatio,
          `read error ratio < ${this.target.maxReadErrorRatio} while slow`, String(readErrors), true),
        check('degraded gracefully: failures are answers', unanswered <= this.target.maxUnanswered && failures.every((r) => r.status === 503),
          'no timeouts or resets; every failure a 503 + Retry-After', `${unanswered} unanswered; statuses ${[...new Set(failures.map((r) => r.status))].join(', ') || 'none'}`, true),
        check('degraded gracefully: no unbounded queue', latency(during).p99 < this.target.maxP99Ms,
          `p99 < ${this.target.maxP99Ms} ms while slow (the 2 s query timeout bounds a call)`, `${latency(during).p99} ms`, true),
        check('recovered after removal', m.recoverySeconds !== null && m.recoverySeconds < this.target.recoverySecondsAfterRemoval,
          `< ${this.target.recoverySecondsAfterRemoval} s`, `${m.recoverySeconds ?? 'never'} s`, true),
      ],
      notes: [`recovery: from removing the delay until 3 s in a row without errors and with p99 ≤ ${p99Band} ms`,
        `writes while slow: ${during.filter((r) => r.kind === 'write' && r.status === 201).length} acknowledged, `
          + `${during.filter((r) => r.kind === 'write' && isError(r)).length} refused (503 + Retry-After)`],
    });
  },
};

const cacheInvalidation = {
  name: 'cache-invalidation',
  fisExperiment: null,
  fault: 'FLUSHALL on Redis and every instance\'s L1 dropped (DELETE /admin/cache/l1)',
  target: { rebuiltSeconds: 10, rebuiltHitRate: HIT_RATE_TARGETS.l1, maxLatencyIncrease: 0.05, latencyBackSeconds: 60 },
  expectedAlerts: [] as string[],
  async run(ctx: RunContext): Promise<ExperimentReport> {
    const s = await steadyState(ctx);
    if ('aborted' in s) return notRun(ctx, this, s.aborted);
    const stop = new StopCondition(ctx, 0.2, async () => undefined);
    const beforeSamples = ctx.sampler.between(s.fromMs, ctx.recorder.now());
    const served = (xs: typeof beforeSamples): number => {
      const hits = xs.reduce((n, x) => n + x.l1Hit + x.l2Hit, 0);
      const reads = xs.reduce((n, x) => n + x.l1Hit + x.l1Miss, 0);
      return reads === 0 ? 0 : hits / reads;
    };
    const baseline = served(beforeSamples);
    const rebuilt = Math.min(this.target.rebuiltHitRate, baseline);
    const faultStartMs = ctx.recorder.now();
    ctx.env.redis.cli('FLUSHALL');
    await Promise.all(ctx.env.instances.map((i) => fetch(`${i.url}/admin/cache/l1`, { method: 'DELETE' })));
    // Rebuilt: the share of reads a cache tier answers, over 2 s, back at the platform's L1 hit-rate target (80%; the
    // steady state's share if that is lower). The long tail takes longer at this machine's request rate.
    const rebuiltMs = await until(ctx, () => {
      const now = ctx.recorder.now();
      const recent = ctx.sampler.between(Math.max(faultStartMs + 1000, now - 2000), now);
      return recent.length >= 2 && served(recent) >= rebuilt;
    }, 60);
    // Latency back: the reads' p50 over the last 5 s within 5% of the steady state's, or within the steady state's own
    // second-to-second spread of the p50 when that is wider (a p50 near a millisecond moves by more than 5% from one
    // second to the next on a shared machine: a smaller difference cannot be told from noise).
    const readsIn = (from: number, to: number) => steady(ctx, from, to).filter((r) => r.kind === 'read');
    const p50Before = latency(readsIn(s.fromMs, faultStartMs)).p50;
    const secondP50s = Array.from({ length: Math.floor((faultStartMs - s.fromMs) / 1000) }, (_, i) =>
      latency(readsIn(s.fromMs + i * 1000, s.fromMs + (i + 1) * 1000)).p50);
    const noise = p50Before > 0 && secondP50s.length > 1 ? (Math.max(...secondP50s) - Math.min(...secondP50s)) / p50Before : 0;
    const tolerance = Math.max(this.target.maxLatencyIncrease, round4(noise));
    const latencyBackMs = await until(ctx, () => {
      const now = ctx.recorder.now();
      return now - faultStartMs >= 5000 && latency(readsIn(now - 5000, now)).p50 <= p50Before * (1 + tolerance);
    }, this.target.latencyBackSeconds + 5);
    stop.end();
    const latencyBackSeconds = latencyBackMs === undefined ? null : round1((latencyBackMs - faultStartMs) / 1000);
    return finish(ctx, {
      ...this, startMs: s.fromMs, carried: s.carried, faultStartMs, faultEndMs: faultStartMs, recoveredMs: rebuiltMs, recoveryFromMs: faultStartMs,
      aborted: stop.tripped,
      checks: (m) => [
        check('cache rebuilt', m.recoverySeconds !== null && m.recoverySeconds < this.target.rebuiltSeconds,
          `< ${this.target.rebuiltSeconds} s to ${round1(rebuilt * 100)}% of reads from a cache tier`, `${m.recoverySeconds ?? 'never'} s`),
        check('latency back', latencyBackSeconds !== null && latencyBackSeconds < this.target.latencyBackSeconds,
          `read p50 (5 s) within ${round1(tolerance * 100)}% of ${p50Before} ms in < ${this.target.latencyBackSeconds} s`
            + (tolerance > this.target.maxLatencyIncrease ? ` (5%, widened to the steady state's spread)` : ''),
          `${latencyBackSeconds ?? 'not'} s`, true),
      ],
      notes: [`steady state: ${round1(baseline * 100)}% of reads answered by L1 or L2`],
    });
  },
};

const cacheOutage = {
  name: 'cache-outage',
  fisExperiment: CHAOS_EXPERIMENTS.cacheAzPowerInterruption.id,
  fault: 'Redis stopped (every L2 call fails), then started again empty',
  target: { maxFailedReads: 0, recoverySecondsAfterReturn: 2 * PLATFORM_RESILIENCE.cache.healthIntervalMs / 1000 + 2 },
  expectedAlerts: ['CacheBypassActive'],
  async run(ctx: RunContext): Promise<ExperimentReport> {
    const s = await steadyState(ctx);
    if ('aborted' in s) return notRun(ctx, this, s.aborted);
    const { redis } = ctx.env;
    const stop = new StopCondition(ctx, 0.2, async () => { await redis.start(); });
    const faultStartMs = ctx.recorder.now();
    await redis.stop();
    await hold(holdSeconds(ctx, RESILIENCE_SIGNALS.cacheBypass.for), stop);
    await redis.start();
    const faultEndMs = ctx.recorder.now();
    stop.end();
    const recoverySeconds = this.target.recoverySecondsAfterReturn * ctx.profile.serviceTimeScale + (ctx.profile.serviceTimeScale < 1 ? 1 : 0);
    const recoveredMs = await until(ctx, () => {
      const last = ctx.sampler.samples.at(-1);
      return last !== undefined && last.t > faultEndMs && last.bypassing === 0 && last.answering === ctx.env.instances.length
        && last.l2Hit + last.l2Other > 0;
    }, 120);
    const reads = (from: number, to: number) => steady(ctx, from, to).filter((r) => r.kind !== 'write');
    return finish(ctx, {
      ...this, startMs: s.fromMs, carried: s.carried, faultStartMs, faultEndMs, recoveredMs, recoveryFromMs: faultEndMs, aborted: stop.tripped,
      extra: { failedReads: reads(faultStartMs, ctx.recorder.now()).filter(isError).length },
      checks: () => {
        const failed = reads(faultStartMs, ctx.recorder.now()).filter(isError).length;
        const rec = recoveredMs === undefined ? null : round1((recoveredMs - faultEndMs) / 1000);
        return [
          check('bypass: no failed reads', failed <= this.target.maxFailedReads, `${this.target.maxFailedReads} failed reads`, String(failed), true),
          check('L2 used again after Redis returns', rec !== null && rec < recoverySeconds, `< ${round1(recoverySeconds)} s (two cache health checks)`,
            `${rec ?? 'never'} s`),
        ];
      },
      notes: ['recovery: from Redis answering again until no instance bypasses L2 and L2 serves lookups'],
    });
  },
};

const overload = {
  name: 'overload',
  fisExperiment: null,
  fault: 'closed-loop burst of reads of cold items (never cached: every one a database read) above the fleet\'s admitted concurrency '
    + '(instances × MAX_IN_FLIGHT), on top of the steady load: a crawler on the long tail',
  target: { maxShedP99Ms: STEADY_STATE.maxP99Ms, maxAdmittedP99Ms: DEFAULT_QUERY_TIMEOUT_MS, maxFailedNotShed: 0, recoverySeconds: 10 },
  expectedAlerts: ['RequestsShed'],
  async run(ctx: RunContext): Promise<ExperimentReport> {
    const s = await steadyState(ctx);
    if ('aborted' in s) return notRun(ctx, this, s.aborted);
    const notShed = (r: { status: number; shed: boolean }): boolean => !r.shed && (r.status === 0 || r.status >= 500);
    const stop = new StopCondition(ctx, 0.05, async () => undefined, notShed);
    const faultStartMs = ctx.recorder.now();
    await burst(ctx.recorder, ctx.profile.burstConnections, holdSeconds(ctx, RESILIENCE_SIGNALS.shedCritical.for), COLD_ITEMS, 7);
    const faultEndMs = ctx.recorder.now();
    stop.end();
    const { recoveredMs } = await recoveryAfterRemoval(ctx, s.fromMs, faultStartMs, faultEndMs);
    const all = within(ctx.recorder.records, faultStartMs, faultEndMs);
    const shed = all.filter((r) => r.shed);
    const admitted = all.filter((r) => !r.shed && r.status > 0 && r.status < 500);
    const failed = all.filter(notShed).length;
    const shedP99 = round1(quantile(shed.map((r) => r.ms), 0.99));
    const admittedP99 = round1(quantile(admitted.map((r) => r.ms), 0.99));
    return finish(ctx, {
      ...this, startMs: s.fromMs, carried: s.carried, faultStartMs, faultEndMs, recoveredMs, recoveryFromMs: faultEndMs, aborted: stop.tripped,
      extra: { shedRequests: shed.length, shedP99Ms: shedP99, admittedP99Ms: admittedP99 },
      checks: (m) => [
        check('load shed', shed.length > 0, 'some requests shed (503 + Retry-After)', `${shed.length} of ${all.length}`),
        check('shed quickly', shedP99 < this.target.maxShedP99Ms, `p99 of shed answers < ${this.target.maxShedP99Ms} ms`, `${shedP99} ms`),
        check('admitted bounded', admittedP99 < this.target.maxAdmittedP99Ms,
          `p99 of admitted < ${this.target.maxAdmittedP99Ms} ms (the query timeout: nothing queues past it)`, `${admittedP99} ms`, true),
        check('no timeouts or other failures', failed <= this.target.maxFailedNotShed, `${this.target.maxFailedNotShed}`, String(failed), true),
        check('recovered after the burst', m.recoverySeconds !== null && m.recoverySeconds < this.target.recoverySeconds,
          `< ${this.target.recoverySeconds} s`, `${m.recoverySeconds ?? 'never'} s`, true),
      ],
      notes: [`capacity: ${ctx.profile.instances} instances × MAX_IN_FLIGHT ${ctx.profile.maxInFlight}; burst of ${ctx.profile.burstConnections} concurrent clients`],
    });
  },
};

const databaseFailure = {
  name: 'database-failure',
  fisExperiment: CHAOS_EXPERIMENTS.auroraFailover.id,
  fault: 'the primary stopped (immediate: a crash); after the detection delay the replica is promoted and the writer endpoint moves to it',
  target: { recoverySeconds: 120, maxLostWriteRatio: 0.001 },
  expectedAlerts: ['DatabaseCircuitOpen'],
  async run(ctx: RunContext): Promise<ExperimentReport> {
    const s = await steadyState(ctx);
    if ('aborted' in s) return notRun(ctx, this, s.aborted);
    const { env } = ctx;
    const oldPrimary = env.writerTarget;
    const promoted = env.replica;
    let failedOver = false;
    const failover = async (): Promise<void> => {
      if (failedOver) return;
      failedOver = true;
      await promoted.promote();
      env.writer.target = { host: promoted.host, port: promoted.port };
      env.writer.cutConnections();
      ctx.log(`  replica promoted; writer endpoint → :${promoted.port}`);
    };
    const stop = new StopCondition(ctx, 0.5, failover);
    const faultStartMs = ctx.recorder.now();
    await oldPrimary.stop('immediate');
    await sleep(ctx.profile.failoverDetectionSeconds * 1000);
    await failover();
    const faultEndMs = ctx.recorder.now();
    const recoveredMs = await until(ctx, () => {
      const now = ctx.recorder.now();
      const recent = steady(ctx, now - 3000, now);
      return recent.some((r) => r.kind === 'write' && r.status === 201) && !recent.some(isError);
    }, 180);
    stop.end();
    // Measured RPO: every write the service acknowledged (201) in this run must be on the new primary.
    const acknowledged = ctx.recorder.acknowledged.filter((w) => w.t < (recoveredMs ?? ctx.recorder.now()));
    const present = new Set((await promoted.sql(`SELECT idempotency_key FROM orders WHERE idempotency_key LIKE '${ctx.runId}-%'`, promoted.database))
      .split('\n').filter((k) => k !== ''));
    const lost = acknowledged.filter((w) => !present.has(w.idempotencyKey)).length;
    // A new replica for whatever follows (the old primary's place, as a managed cluster rebuilds it).
    env.writerTarget = promoted;
    env.replica = await startReplica(promoted);
    env.reader.target = { host: env.replica.host, port: env.replica.port };
    return finish(ctx, {
      ...this, startMs: s.fromMs, carried: s.carried, faultStartMs, faultEndMs, recoveredMs, recoveryFromMs: faultStartMs, aborted: stop.tripped,
      extra: { lostWrites: lost, acknowledgedWrites: acknowledged.length },
      checks: (m) => [
        check('recovered', m.recoverySeconds !== null && m.recoverySeconds < this.target.recoverySeconds,
          `< ${this.target.recoverySeconds} s until writes succeed again`, `${m.recoverySeconds ?? 'never'} s`, true),
        check('acknowledged writes kept', lost / Math.max(1, acknowledged.length) < this.target.maxLostWriteRatio,
          `lost < ${this.target.maxLostWriteRatio * 100}% of acknowledged`, `${lost} of ${acknowledged.length}`, true),
      ],
      notes: [`failover: promotion ${ctx.profile.failoverDetectionSeconds} s after the crash; writes answer 503 + Retry-After meanwhile`,
        'recovery: from the crash until writes succeed and 3 s pass without an error'],
    });
  },
};

/** The catalog, in the order a game day runs it (the database failover last: it rebuilds the replica after). */
export const EXPERIMENTS: readonly Experiment[] = [instanceTermination, networkLatency, cacheInvalidation, cacheOutage, overload, databaseFailure];
