/**
 * The game-day report's HTML page (report.html), opened in a real headless Chromium (test/helpers/chromium.ts): the
 * run's timeline with each experiment's fault and every alert, each experiment's recovery against its target, the
 * tables; no console error, no request; a screenshot kept in test-artifacts/.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { renderReportHtml } from '../../../cli/gameday/report-html';
import { writeReport } from '../../../cli/gameday/report';
import type { ExperimentReport, GameDayReport } from '../../../cli/gameday/report';
import { keepScreenshot, launchChromium, openFile } from '../../helpers/chromium';
import type { OpenedPage } from '../../helpers/chromium';

const hitRates = { before: { l1: 0.9, l2: 0.6 }, during: { l1: 0.9, l2: null }, after: { l1: 0.9, l2: 0.6 } };

function experiment(
  name: string, start: number, recoverySeconds: number | null, passed: boolean, extra: Partial<ExperimentReport> = {},
): ExperimentReport {
  return {
    name, fisExperiment: null, fault: `${name} fault`, target: { recoverySeconds: 30 },
    window: { startSeconds: start, faultStartSeconds: start + 5, faultEndSeconds: start + 10, endSeconds: start + 60 },
    measured: {
      recoverySeconds, errorRatio: 0.001, requests: 12000, p50Ms: { before: 1, during: 3, after: 1 }, p99Ms: { before: 12, during: 340, after: 13 },
      hitRates, alerts: [],
    },
    checks: [{ name: 'recovered', target: '< 30 s', measured: recoverySeconds === null ? 'never' : `${recoverySeconds} s`, passed }],
    expectedAlerts: [], detectionGap: false, aborted: null, notes: [], passed, ...extra,
  };
}

const database = experiment('database-failure', 0, 9.4, true, { fisExperiment: 'aurora-failover' });
const report: GameDayReport = {
  profile: 'quick', scaling: 'rule windows divided by 60', startedAt: '2026-12-01T00:00:00.000Z', finishedAt: '2026-12-01T00:03:00.000Z',
  environment: { instances: 3, loadRps: 200 },
  experiments: [
    { ...database, measured: { ...database.measured, alerts: [{
      alertname: 'DatabaseCircuitOpen', severity: 'critical', firedAfterSeconds: 3.1, notifiedAfterSeconds: 4.2, receiver: 'critical', runbookExists: true,
      runbookUrl: 'https://github.com/platform-stacks/platform-stacks/blob/main/runbooks/alerts/resilience/DatabaseCircuitOpen.md',
    }] } },
    experiment('cache-outage', 60, 48.2, false),
    experiment('overload', 120, null, false, { aborted: 'stop condition: error ratio above 5%' }),
  ],
  // 200 requests a second; 10% errors while each fault lasts (seconds 6 to 11 of every minute).
  timeline: Array.from({ length: 180 }, (_, second) => ({
    second, requests: 200, errors: second % 60 > 5 && second % 60 < 12 ? 20 : 0, shed: 0, p50Ms: 1, p99Ms: 12,
  })),
  summary: { passed: 1, failed: 2, detectionGaps: 0 },
};

describe('game-day report as HTML', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gameday-html-'));
  let browser: Browser;
  let opened: OpenedPage;

  beforeAll(async () => {
    writeReport(dir, report);
    browser = await launchChromium();
    opened = await openFile(browser, join(dir, 'report.html'));
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('writeReport writes report.html beside report.json, report.md and timeline.svg', () => {
    expect(['report.json', 'report.md', 'timeline.svg', 'report.html'].map((f) => existsSync(join(dir, f)))).toEqual([true, true, true, true]);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toBe(renderReportHtml(report));
  });

  test('the timeline shows each experiment\'s fault and every alert that fired', async () => {
    expect(await opened.page.locator('svg rect.fault').count()).toBe(3);
    expect(await opened.page.locator('svg line.alert').count()).toBe(1);
    expect(await opened.page.locator('svg text', { hasText: 'DatabaseCircuitOpen (critical)' }).count()).toBe(1);
    expect(await opened.page.locator('#result').textContent()).toBe('1 passed, 2 failed');
  });

  test('recovery against target: a bar per recovered experiment, short of the target line when it passed, past it when not', async () => {
    const bars = opened.page.locator('svg.recovery g.experiment');
    expect(await bars.evaluateAll((gs) => gs.map((g) => [g.getAttribute('data-experiment'), g.getAttribute('data-passed')]))).toEqual([
      ['database-failure', 'true'], ['cache-outage', 'false'], ['overload', 'false'],
    ]);
    for (const [name, past] of [['database-failure', false], ['cache-outage', true]] as const) {
      const bar = await opened.page.locator(`svg.recovery g[data-experiment="${name}"] rect.recovery-bar`).boundingBox();
      const target = await opened.page.locator(`svg.recovery g[data-experiment="${name}"] line.recovery-target`).boundingBox();
      expect({ name, past: (bar?.x ?? 0) + (bar?.width ?? 0) > (target?.x ?? 0) }).toEqual({ name, past });
    }
    expect(await opened.page.locator('svg.recovery g[data-experiment="overload"] .recovery-bar').textContent()).toBe('not recovered');
  });

  test('one row per experiment, the checks and the alerts with their runbooks', async () => {
    expect(await opened.page.locator('#experiments tr.experiment-row').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-experiment'))))
      .toEqual(['database-failure', 'cache-outage', 'overload']);
    expect(await opened.page.locator('tr.alert-row a').getAttribute('href'))
      .toBe('https://github.com/platform-stacks/platform-stacks/blob/main/runbooks/alerts/resilience/DatabaseCircuitOpen.md');
    expect(await opened.page.locator('tr.alert-row td').nth(3).textContent()).toBe('4.2 s (critical)');
  });

  test('loads with no console error and no request (self-contained); a screenshot is kept', async () => {
    expect(opened.problems).toEqual([]);
    expect(opened.requests).toEqual([]);
    const shot = await keepScreenshot(opened.page, 'gameday-report');
    expect(readFileSync(shot).subarray(1, 4).toString('latin1')).toBe('PNG');
  });
});
