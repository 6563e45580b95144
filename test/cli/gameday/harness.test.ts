import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHAOS_EXPERIMENTS } from '../../../constructs/aws/dr/chaos-experiments-props';
import { TARGET_HEALTH_CHECK } from '../../../constructs/core/health-check';
import { EXPERIMENTS } from '../../../cli/gameday/experiments';
import { AlertWatcher } from '../../../cli/gameday/alerts';
import { haproxyConfig } from '../../../cli/gameday/local/haproxy';
import type { RequestRecord } from '../../../cli/gameday/load';
import { prng, zipf } from '../../../cli/gameday/load';
import { parseArgs } from '../../../cli/gameday/main';
import type { GameDayReport } from '../../../cli/gameday/report';
import { renderMarkdown } from '../../../cli/gameday/report';
import { hitRates, parseExposition } from '../../../cli/gameday/sampler';
import { errorRatio, isError, perSecond, quantile, recoveredAt } from '../../../cli/gameday/stats';
import { renderTimeline } from '../../../cli/gameday/timeline';

const rec = (t: number, ms: number, status = 200, extra: Partial<RequestRecord> = {}): RequestRecord =>
  ({ t, ms, status, kind: 'read', shed: false, source: 'steady', ...extra });

describe('game day: measurement', () => {
  test('errors are 5xx and requests without an answer; quantiles by nearest rank', () => {
    expect([rec(0, 1, 200), rec(0, 1, 404), rec(0, 1, 503), rec(0, 1, 0)].map(isError)).toEqual([false, false, true, true]);
    expect(errorRatio([rec(0, 1, 200), rec(0, 1, 500)])).toBe(0.5);
    expect(quantile([5, 1, 4, 2, 3], 0.5)).toBe(3);
    expect(quantile(Array.from({ length: 100 }, (_, i) => i + 1), 0.99)).toBe(99);
    expect(quantile([], 0.99)).toBe(0);
  });

  test('the per-second series covers every second, empty ones included', () => {
    const series = perSecond([rec(100, 2), rec(900, 4, 503, { shed: true }), rec(2500, 8)]);
    expect(series).toEqual([
      { second: 0, requests: 2, errors: 1, shed: 1, p50Ms: 2, p99Ms: 4 },
      { second: 1, requests: 0, errors: 0, shed: 0, p50Ms: 0, p99Ms: 0 },
      { second: 2, requests: 1, errors: 0, shed: 0, p50Ms: 8, p99Ms: 8 },
    ]);
  });

  test('recovery: the first moment from which the hold passes without errors and within the band', () => {
    // 10 requests a second; errors until 3.0 s, slow until 4.0 s, healthy after.
    const records = Array.from({ length: 100 }, (_, i) => {
      const t = i * 100;
      return rec(t, t < 4000 ? 500 : 5, t < 3000 ? 503 : 200);
    });
    expect(recoveredAt(records, 0, 10_000, { p99BandMs: 50, holdMs: 3000 })).toBe(4000);
    expect(recoveredAt(records, 0, 10_000, { p99BandMs: 1000, holdMs: 3000 })).toBe(3000);
    expect(recoveredAt(records, 0, 5000, { p99BandMs: 50, holdMs: 3000 })).toBeUndefined();
  });

  test('keys follow a Zipf distribution, the same sequence for the same seed', () => {
    const draw = zipf(1000, 1, prng(1));
    const ids = Array.from({ length: 20_000 }, draw);
    const share = (k: number): number => ids.filter((id) => id === k).length / ids.length;
    // P(1) = 1 / H(1000) ≈ 0.134, P(2) half of it.
    expect(share(1)).toBeGreaterThan(0.12);
    expect(share(1)).toBeLessThan(0.15);
    expect(share(2) / share(1)).toBeGreaterThan(0.4);
    expect(share(2) / share(1)).toBeLessThan(0.6);
    expect(Array.from({ length: 5 }, zipf(1000, 1, prng(1)))).toEqual(ids.slice(0, 5));
  });

  test('the sampler reads the service\'s cache, bypass and breaker metrics', () => {
    const text = [
      'cache_requests_total{tier="l1",result="hit"} 80', 'cache_requests_total{tier="l1",result="miss"} 20',
      'cache_requests_total{tier="l2",result="hit"} 12', 'cache_requests_total{tier="l2",result="miss"} 6', 'cache_requests_total{tier="l2",result="bypass"} 2',
      'cache_bypass_active{tier="l2"} 1',
      'circuit_breaker_state{dependency="database",state="closed"} 0', 'circuit_breaker_state{dependency="database",state="open"} 1',
    ].join('\n');
    expect(parseExposition(text)).toEqual({ l1Hit: 80, l1Miss: 20, l2Hit: 12, l2Other: 8, bypassing: true, breakerOpen: true });
    const second = { t: 0, l1Hit: 80, l1Miss: 20, l2Hit: 12, l2Other: 8, bypassing: 0, breakerOpen: 0, answering: 3 };
    expect(hitRates([second])).toEqual({ l1: 0.8, l2: 0.6 });
  });
});

describe('game day: alerts', () => {
  test('the watcher records each firing episode once, from Prometheus\'s view, Watchdog aside', async () => {
    let now = 1000;
    let alerts = [
      { labels: { alertname: 'Watchdog', severity: 'none' }, state: 'firing', activeAt: '2026-12-01T00:00:00Z' },
      { labels: { alertname: 'RequestsShed', severity: 'critical' }, annotations: { runbook_url: 'u' }, state: 'pending', activeAt: '2026-12-01T00:01:00Z' },
    ];
    const watcher = new AlertWatcher({ alerts: async () => alerts }, () => now);
    await watcher.poll();
    expect(watcher.seen).toEqual([]);
    now = 2000;
    alerts = [{ ...alerts[1], state: 'firing' }];
    await watcher.poll();
    now = 3000;
    await watcher.poll();
    expect(watcher.seen).toEqual([{ alertname: 'RequestsShed', severity: 'critical', runbookUrl: 'u', activeAtWallMs: Date.parse('2026-12-01T00:01:00Z'), firingSeenMs: 2000 }]);
    expect(watcher.firedBetween(0, 2000)).toEqual([]);
    expect(watcher.firedBetween(2000, 2001)).toHaveLength(1);
  });
});

describe('game day: HAProxy as the load balancer', () => {
  test('health checks on /ready with the target group\'s interval, timeout and thresholds; haproxy -c accepts the file', () => {
    const text = haproxyConfig({ servers: ['127.0.0.1:8081', '127.0.0.1:8082'] }, 8080, 8090);
    const h = TARGET_HEALTH_CHECK;
    expect(text).toContain('option httpchk GET /ready');
    expect(text).toContain(`timeout check ${h.timeoutSeconds}s`);
    expect(text).toContain(`default-server check inter ${h.intervalSeconds}s fall ${h.unhealthyThreshold} rise ${h.healthyThreshold} `);
    expect(text).toContain('http-check expect rstatus ^(2[0-9][0-9]|3[0-9][0-9])$');
    expect(text).toContain('  server s2 127.0.0.1:8082');
    const dir = mkdtempSync(join(tmpdir(), 'haproxy-config-'));
    writeFileSync(join(dir, 'haproxy.cfg'), text);
    const run = spawnSync('haproxy', ['-c', '-f', join(dir, 'haproxy.cfg')], { encoding: 'utf8' });
    expect(`${run.stdout}${run.stderr}`).toContain('Configuration file is valid');
    expect(run.status).toBe(0);
  });

  test('the numbers are the target group\'s (resilient-service.test.ts pins the same ones in the template)', () => {
    expect(TARGET_HEALTH_CHECK).toEqual({
      intervalSeconds: 10, timeoutSeconds: 2, unhealthyThreshold: 3, healthyThreshold: 2, healthyStatusCodes: { min: 200, max: 399 },
    });
  });
});

describe('game day: the catalog', () => {
  test('the experiments that have an FIS counterpart name it, and its runbook exists', () => {
    expect(EXPERIMENTS.map((e) => [e.name, e.fisExperiment])).toEqual([
      ['instance-termination', 'ecs-task-termination'], ['network-latency', 'ecs-network-latency'], ['cache-invalidation', null],
      ['cache-outage', 'cache-az-power-interruption'], ['overload', null], ['database-failure', 'aurora-failover'],
    ]);
    const fisIds: string[] = Object.values(CHAOS_EXPERIMENTS).map((c) => c.id);
    for (const e of EXPERIMENTS.filter((x) => x.fisExperiment !== null)) {
      expect(fisIds).toContain(e.fisExperiment);
      expect(existsSync(join(__dirname, '../../../runbooks/chaos', `${e.fisExperiment}.md`))).toBe(true);
    }
  });
});

describe('game day: command line', () => {
  test('defaults, and each option', () => {
    expect(parseArgs([])).toEqual({ profile: 'quick', reportDir: 'gameday-report', experiments: expect.arrayContaining(['overload']), keepEvidence: false });
    expect(parseArgs(['--profile', 'full', '--report-dir', '/tmp/x', '--experiments', 'overload,cache-outage', '--keep-evidence']))
      .toEqual({ profile: 'full', reportDir: '/tmp/x', experiments: ['overload', 'cache-outage'], keepEvidence: true });
  });

  test('bad input names the option and the choices', () => {
    expect(() => parseArgs(['--profile', 'slow'])).toThrow('--profile slow: use quick or full');
    expect(() => parseArgs(['--report-dir'])).toThrow('--report-dir needs a value');
    expect(() => parseArgs(['--experiments', 'meteor'])).toThrow(
      '--experiments: unknown experiment(s) meteor; choose from instance-termination, network-latency, cache-invalidation, cache-outage, overload, database-failure');
    expect(() => parseArgs(['--fast'])).toThrow('unknown option --fast');
  });
});

describe('game day: the report', () => {
  const report: GameDayReport = {
    profile: 'quick', scaling: 'rule windows divided by 60', startedAt: '2026-12-01T00:00:00.000Z', finishedAt: '2026-12-01T00:03:00.000Z',
    environment: { instances: 3 },
    experiments: [{
      name: 'database-failure', fisExperiment: 'aurora-failover', fault: 'the primary stopped', target: { recoverySeconds: 120, maxLostWriteRatio: 0.001 },
      window: { startSeconds: 10, faultStartSeconds: 14, faultEndSeconds: 17, endSeconds: 30 },
      measured: {
        recoverySeconds: 9.4, errorRatio: 0.0412, requests: 3200,
        p50Ms: { before: 1, during: 2, after: 1 }, p99Ms: { before: 12, during: 340, after: 13 },
        hitRates: { before: { l1: 0.9, l2: 0.6 }, during: { l1: 0.9, l2: null }, after: { l1: 0.9, l2: 0.6 } },
        alerts: [{ alertname: 'DatabaseCircuitOpen', severity: 'critical', firedAfterSeconds: 3.1, notifiedAfterSeconds: 4.2, receiver: 'critical', runbookExists: true,
          runbookUrl: 'https://example.com/runbooks/alerts/resilience/DatabaseCircuitOpen.md' }],
        lostWrites: 0, acknowledgedWrites: 5120,
      },
      checks: [{ name: 'recovered', target: '< 120 s', measured: '9.4 s', passed: true }],
      expectedAlerts: ['DatabaseCircuitOpen'], detectionGap: false, aborted: null, notes: ['a note'], passed: true,
    }],
    timeline: [
      { second: 10, requests: 200, errors: 0, shed: 0, p50Ms: 1, p99Ms: 12 },
      { second: 15, requests: 200, errors: 40, shed: 0, p50Ms: 2, p99Ms: 340 },
    ],
    summary: { passed: 1, failed: 0, detectionGaps: 0 },
  };

  test('markdown: the summary table, the checks, the alerts with their runbooks', () => {
    const md = renderMarkdown(report);
    expect(md).toContain('| database-failure | aurora-failover | passed | 9.4 | 4.120% | 12 / 340 / 13 | DatabaseCircuitOpen (critical, +3.1s) |');
    expect(md).toContain('| recovered | < 120 s | 9.4 s | ok |');
    expect(md).toContain('| DatabaseCircuitOpen | critical | 3.1 s | 4.2 s (critical) | [runbooks/alerts/resilience/DatabaseCircuitOpen.md]');
    expect(md).toContain('![timeline](timeline.svg)');
  });

  test('timeline: fault windows shaded, recovery lighter, each alert marked at its time', () => {
    const svg = renderTimeline(report);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.match(/class="fault"/g)).toHaveLength(1);
    expect(svg.match(/class="recovery"/g)).toHaveLength(1);
    expect(svg.match(/class="alert"/g)).toHaveLength(1);
    expect(svg).toContain('DatabaseCircuitOpen (critical)');
    expect(renderTimeline(report)).toBe(svg);
  });
});
