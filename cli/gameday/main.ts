/**
 * `npm run gameday -- [--profile quick|full] [--report-dir DIR] [--experiments a,b]`: the chaos matrix against real
 * components on this machine (environment.ts), with the platform's alert rules and Alertmanager routing, and a report
 * (report.json, report.md, timeline.svg). Exit status 0 when every experiment met its target, 1 when one did not,
 * 2 on bad input or when the environment could not start. Everything started is stopped at the end, on failure and on
 * Ctrl-C (`npm run gameday` runs node with tsx's loader rather than the tsx command, whose signal relay kills a child
 * that has not acknowledged a signal within 30 ms: on a busy machine that cut the clean-up short).
 *
 * A repository tool, not part of the published package: it runs the reference service from reference-service/ and
 * the reference platform's rules from stacks/.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AlertWatcher } from './alerts';
import type { Environment } from './environment';
import { startEnvironment } from './environment';
import type { RunContext } from './experiment-kit';
import { sleep } from './experiment-kit';
import { COLD_ITEMS, EXPERIMENTS, HOT_ITEMS } from './experiments';
import { Recorder, SteadyLoad } from './load';
import type { ProfileName } from './profiles';
import { PROFILES, scalingNote } from './profiles';
import type { ExperimentReport, GameDayReport } from './report';
import { writeReport } from './report';
import { MetricSampler } from './sampler';
import { perSecond } from './stats';

const USAGE = `usage: npm run gameday -- [--profile quick|full] [--report-dir DIR] [--experiments ${EXPERIMENTS.map((e) => e.name).join(',')}] [--keep-evidence]
  quick: the whole matrix in under 4 minutes, time in the alert rules divided by 60 (CI)
  full:  the rules' real windows and durations (about 40 minutes)
  --keep-evidence: also write requests.csv (every request) and the instances' logs into the report directory
`;

export interface GameDayOptions {
  readonly profile: ProfileName;
  readonly reportDir: string;
  readonly experiments: readonly string[];
  /** Write every request (requests.csv) and the service instances' logs next to the report. */
  readonly keepEvidence?: boolean;
}

/** The options from argv; throws a message with the usage on bad input. */
export function parseArgs(argv: readonly string[]): GameDayOptions {
  let profile: ProfileName = 'quick';
  let reportDir = join('gameday-report');
  let experiments = EXPERIMENTS.map((e) => e.name);
  let keepEvidence = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const need = (): string => {
      if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value\n${USAGE}`);
      i++;
      return value;
    };
    if (flag === '--profile') {
      const p = need();
      if (p !== 'quick' && p !== 'full') throw new Error(`--profile ${p}: use quick or full\n${USAGE}`);
      profile = p;
    } else if (flag === '--report-dir') {
      reportDir = need();
    } else if (flag === '--experiments') {
      experiments = need().split(',').map((e) => e.trim()).filter((e) => e !== '');
      const unknown = experiments.filter((e) => !EXPERIMENTS.some((x) => x.name === e));
      if (unknown.length > 0 || experiments.length === 0) {
        throw new Error(`--experiments: unknown experiment(s) ${unknown.join(', ') || '(none given)'}; choose from ${EXPERIMENTS.map((e) => e.name).join(', ')}\n${USAGE}`);
      }
    } else if (flag === '--keep-evidence') {
      keepEvidence = true;
    } else if (flag === '--help' || flag === '-h') {
      throw new Error(USAGE);
    } else {
      throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  return { profile, reportDir, experiments, keepEvidence };
}

/** Runs a game day; resolves to its report (also written to `options.reportDir`). */
export async function runGameDay(options: GameDayOptions, log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<GameDayReport> {
  const profile = PROFILES[options.profile];
  const startedAt = new Date().toISOString();
  log(`game day, ${profile.name} profile: ${scalingNote(profile)}`);
  let env: Environment | undefined;
  let stopping = false;
  const stopped = new AbortController();
  // Ctrl-C reaches every process of the terminal's group: npm, tsx (which relays it) and this one, so a second SIGINT
  // comes at once. The first starts the clean-up; the next ones must not cut it short (the default would exit at once,
  // leaving the servers running).
  const interrupt = (): void => {
    if (stopping) return;
    stopping = true;
    stopped.abort();
    log('interrupted: stopping everything');
    void (env?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  try {
    env = await startEnvironment(profile, log);
    // The long tail only the overload burst reads (the migration seeded the hot items).
    await env.writerTarget.sql(`INSERT INTO items (id, name, price_cents, stock) SELECT g::text, 'Item ' || g, 100 + (g * 37) % 9900, 1000 `
      + `FROM generate_series(${COLD_ITEMS.from}, ${COLD_ITEMS.to}) AS g ON CONFLICT (id) DO NOTHING`, env.writerTarget.database);
    const runId = `gameday-${randomBytes(4).toString('hex')}`;
    const recorder = new Recorder('127.0.0.1', env.haproxy.port, runId);
    const epochWallMs = Date.now() - recorder.now();
    const sampler = new MetricSampler(env.instances, () => recorder.now());
    const load = new SteadyLoad(recorder, {
      rate: profile.rate, popularShare: profile.popularShare, writeShare: profile.writeShare, catalogSize: HOT_ITEMS, zipf: profile.zipf, seed: 42,
    });
    const alerts = new AlertWatcher(env.monitoring, () => recorder.now());
    const ctx: RunContext = { env, profile, recorder, sampler, alerts, epochWallMs, runId, log, stopping: stopped.signal };
    load.start();
    sampler.start();
    alerts.start();
    log(`warming up for ${profile.warmupSeconds}s at ${profile.rate} requests/s`);
    await sleep(profile.warmupSeconds * 1000);
    const results: ExperimentReport[] = [];
    for (const experiment of EXPERIMENTS.filter((e) => options.experiments.includes(e.name))) {
      log(`${experiment.name}: steady state, fault, recovery`);
      const result = await experiment.run(ctx);
      results.push(result);
      log(`  ${result.passed ? 'passed' : 'FAILED'}: recovery ${result.measured.recoverySeconds ?? '–'} s, error ratio ${result.measured.errorRatio}, `
        + `alerts ${result.measured.alerts.map((a) => `${a.alertname}/${a.severity}@${a.firedAfterSeconds}s`).join(' ') || 'none'}`
        + `${result.passed ? '' : `; ${result.checks.filter((c) => !c.passed).map((c) => `${c.name}: ${c.measured} (target ${c.target})`).join('; ')}`}`);
    }
    await load.stop();
    sampler.stop();
    alerts.stop();
    recorder.close();
    const report: GameDayReport = {
      profile: profile.name,
      scaling: scalingNote(profile),
      startedAt,
      finishedAt: new Date().toISOString(),
      environment: {
        instances: profile.instances, maxInFlightPerInstance: profile.maxInFlight, steadyRatePerSecond: profile.rate,
        writeShare: profile.writeShare, popularShare: profile.popularShare, hotItems: HOT_ITEMS, coldItems: COLD_ITEMS.to - COLD_ITEMS.from + 1,
        zipfExponent: profile.zipf,
        requests: recorder.records.length, acknowledgedWrites: recorder.acknowledged.length,
      },
      experiments: results,
      timeline: perSecond(recorder.records),
      summary: {
        passed: results.filter((r) => r.passed).length,
        failed: results.filter((r) => !r.passed).length,
        detectionGaps: results.filter((r) => r.detectionGap).length,
      },
    };
    writeReport(options.reportDir, report);
    if (options.keepEvidence) {
      writeFileSync(join(options.reportDir, 'requests.csv'), ['t_ms,latency_ms,status,kind,shed,source',
        ...recorder.records.map((r) => `${r.t.toFixed(1)},${r.ms.toFixed(2)},${r.status},${r.kind},${r.shed},${r.source}`)].join('\n') + '\n');
      for (const i of env.instances) copyFileSync(join(env.workDir, `${i.name}.log`), join(options.reportDir, `${i.name}.log`));
    }
    log(`report: ${join(options.reportDir, 'report.md')} (${report.summary.passed} passed, ${report.summary.failed} failed, ${report.summary.detectionGaps} detection gaps)`);
    return report;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    await env?.stop();
  }
}

if (require.main === module) {
  // A closed terminal or pipe must not stop the clean-up halfway: output is best effort.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  let options: GameDayOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
  runGameDay(options).then(
    (report) => process.exit(report.summary.failed === 0 ? 0 : 1),
    (e: unknown) => {
      process.stderr.write(`game day could not run: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
      process.exit(2);
    },
  );
}
