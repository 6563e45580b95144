/**
 * The game day's quick profile, run as a user runs it (`npm run gameday -- --profile quick --report-dir DIR`, here
 * through tsx directly): real PostgreSQL primary and replica, Redis, three service instances behind HAProxy,
 * Prometheus with the platform's rules and Alertmanager with its routing. Every experiment must meet its target, the
 * report must keep its contract, and each alert's runbook must exist.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GameDayReport } from '../../../cli/gameday/report';

const ROOT = join(__dirname, '..', '..', '..');

function runGameDay(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    // What `npm run gameday` runs: node with tsx's loader.
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'cli', 'gameday', 'main.ts'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => { output += c.toString('utf8'); });
    child.stderr.on('data', (c: Buffer) => { output += c.toString('utf8'); });
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('npm run gameday -- --profile quick', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gameday-report-'));
  let result: { code: number | null; output: string };
  let report: GameDayReport;

  beforeAll(async () => {
    result = await runGameDay(['--profile', 'quick', '--report-dir', dir]);
    if (!existsSync(join(dir, 'report.json'))) throw new Error(`no report written; the game day said:\n${result.output}`);
    report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as GameDayReport;
  }, 360_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('every experiment meets its target, exit status 0', () => {
    const failed = report.experiments.filter((e) => !e.passed)
      .map((e) => `${e.name}: ${e.aborted ?? ''} ${e.checks.filter((c) => !c.passed).map((c) => `${c.name} ${c.measured} (target ${c.target})`).join('; ')}`);
    expect(failed).toEqual([]);
    expect(report.summary).toEqual({ passed: 6, failed: 0, detectionGaps: 0 });
    expect(result.code).toBe(0);
  });

  test('the report keeps its contract: report.json, report.md, timeline.svg, report.html', () => {
    expect(report.profile).toBe('quick');
    expect(report.scaling).toMatch(/divided by 60/);
    expect(Number.isNaN(Date.parse(report.startedAt))).toBe(false);
    expect(report.experiments.map((e) => e.name)).toEqual([
      'instance-termination', 'network-latency', 'cache-invalidation', 'cache-outage', 'overload', 'database-failure']);
    for (const e of report.experiments) {
      expect(Object.keys(e.target).length).toBeGreaterThan(0);
      expect(e.measured).toEqual(expect.objectContaining({
        errorRatio: expect.any(Number),
        p99Ms: { before: expect.any(Number), during: expect.any(Number), after: expect.any(Number) },
        alerts: expect.any(Array),
      }));
      expect(typeof e.measured.recoverySeconds).toBe('number');
    }
    const db = report.experiments.find((e) => e.name === 'database-failure');
    expect(db?.target).toEqual({ recoverySeconds: 120, maxLostWriteRatio: 0.001 });
    expect(db?.measured.acknowledgedWrites).toBeGreaterThan(100);
    expect(db?.measured.lostWrites).toBe(0);
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('| database-failure | aurora-failover | passed |');
    const svg = readFileSync(join(dir, 'timeline.svg'), 'utf8');
    expect(svg.match(/class="fault"/g)).toHaveLength(6);
    expect(svg.match(/class="alert"/g)?.length).toBe(report.experiments.reduce((n, e) => n + e.measured.alerts.length, 0));
    // report.html draws the same run (its browser test is test/cli/gameday/report-html.test.ts).
    expect(readFileSync(join(dir, 'report.html'), 'utf8').match(/<tr class="experiment-row"/g)).toHaveLength(6);
  });

  test('the faults raise the platform\'s alerts, each with a runbook in runbooks/', () => {
    const fired = (name: string): string[] => report.experiments.find((e) => e.name === name)?.measured.alerts.map((a) => a.alertname) ?? [];
    expect(fired('database-failure')).toContain('DatabaseCircuitOpen');
    expect(fired('overload')).toContain('RequestsShed');
    expect(fired('cache-outage')).toContain('CacheBypassActive');
    const alerts = report.experiments.flatMap((e) => e.measured.alerts);
    for (const a of alerts) {
      expect(a.runbookExists).toBe(true);
      expect(existsSync(join(ROOT, a.runbookUrl.replace(/^.*\/runbooks\//, 'runbooks/')))).toBe(true);
      expect(a.firedAfterSeconds).toBeGreaterThanOrEqual(0);
      expect(['critical', 'warning']).toContain(a.severity);
    }
    // Every page reached the paging receiver (the quick profile groups notifications after 1 s); a ticket reached the
    // ticket receiver unless Alertmanager inhibited it because the same alert was paging (the platform's inhibit rule).
    for (const e of report.experiments) {
      for (const a of e.measured.alerts) {
        const inhibited = a.severity === 'warning' && e.measured.alerts.some((x) => x.alertname === a.alertname && x.severity === 'critical');
        if (inhibited && a.receiver === null) continue;
        expect({ alert: a.alertname, receiver: a.receiver }).toEqual({ alert: a.alertname, receiver: a.severity });
        expect(a.notifiedAfterSeconds).toBeGreaterThanOrEqual(a.firedAfterSeconds - 1);
      }
    }
  });
});
