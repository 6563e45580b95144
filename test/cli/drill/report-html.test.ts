/**
 * The drill report's HTML page, opened in a real headless Chromium (test/helpers/chromium.ts): what a reader sees
 * (the result, the RTO and RPO bars against their objectives, one timeline row per step, the alarm's states, the
 * fault), that the page loads with no console error and no request, and a screenshot kept in test-artifacts/.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { renderReportHtml } from '../../../cli/drill/report-html';
import { writeReport } from '../../../cli/drill/report';
import type { DrillReport } from '../../../cli/drill/report';
import { keepScreenshot, launchChromium, openFile } from '../../helpers/chromium';
import type { OpenedPage } from '../../helpers/chromium';

const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'drill-report.json'), 'utf8')) as DrillReport;
/** The recorded run (RTO missed, RPO met, a failed step, one step not run) with its stop-condition alarm's checks. */
const report: DrillReport = {
  ...fixture,
  timeline: fixture.timeline.map((r) => (r.error ? { ...r, error: `${r.error} <retry later>` } : r)),
  alarms: [
    { alarm: 'checkout-secondary-critical', at: fixture.timeline[0].start, inAlarm: false },
    { alarm: 'checkout-secondary-critical', at: fixture.timeline[3].start, inAlarm: true },
  ],
};

/** The box of the first element matching `selector` in page coordinates. */
async function box(opened: OpenedPage, selector: string): Promise<{ x: number; width: number }> {
  const b = await opened.page.locator(selector).first().boundingBox();
  if (!b) throw new Error(`${selector} is not rendered`);
  return b;
}

describe('drill report as HTML', () => {
  const dir = mkdtempSync(join(tmpdir(), 'drill-html-'));
  let browser: Browser;
  let opened: OpenedPage;

  beforeAll(async () => {
    browser = await launchChromium();
    opened = await openFile(browser, writeReport(dir, report).html);
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('writeReport writes the page beside the JSON and markdown; the page embeds the report JSON', () => {
    const base = join(dir, 'pilot-light-failover-2026-02-20T10-00-00-000Z');
    expect(writeReport(dir, report)).toEqual({ json: `${base}.json`, markdown: `${base}.md`, html: `${base}.html` });
    const html = readFileSync(`${base}.html`, 'utf8');
    expect(html).toBe(renderReportHtml(report));
    const data = /<script type="application\/json" id="report-data">(.*)<\/script>/.exec(html)?.[1] ?? '';
    expect(JSON.parse(data)).toEqual(report);
  });

  test('the result and the RTO bar: red, running past the objective line; the RPO bar green, short of its line', async () => {
    expect(await opened.page.title()).toBe('Drill report: Pilot light failover');
    expect(await opened.page.locator('#result').textContent()).toBe('FAIL');
    const rto = await box(opened, 'svg.objective.rto rect.rto-bar');
    const rtoLine = await box(opened, 'svg.objective.rto line.rto-objective');
    expect(rto.x + rto.width).toBeGreaterThan(rtoLine.x + 1);
    expect(await opened.page.locator('svg.objective.rto rect.rto-bar').getAttribute('fill')).toBe('#c62828');
    const rpo = await box(opened, 'svg.objective.rpo rect.rpo-bar');
    const rpoLine = await box(opened, 'svg.objective.rpo line.rpo-objective');
    expect(rpo.x + rpo.width).toBeLessThan(rpoLine.x);
    expect(await opened.page.locator('svg.objective.rpo rect.rpo-bar').getAttribute('fill')).toBe('#2e7d32');
    expect(await opened.page.locator('svg.objective.rto').getAttribute('aria-label')).toBe('RTO (fault to MoveTrafficToSecondary): measured 41m 30s, objective 30m');
  });

  test('one timeline row and one table row per step, in order, the one not run greyed; error text shown as text', async () => {
    const steps = ['ApproveFailover', 'ScaleSecondaryService', 'WaitForSecondaryTasks', 'FailoverGlobalCluster', 'MoveTrafficToSecondary'];
    const rows = opened.page.locator('svg.timeline g.step');
    expect(await rows.evaluateAll((gs) => gs.map((g) => [g.getAttribute('data-step'), g.getAttribute('data-outcome')]))).toEqual([
      ['ApproveFailover', 'succeeded'], ['ScaleSecondaryService', 'succeeded'], ['WaitForSecondaryTasks', 'succeeded'],
      ['FailoverGlobalCluster', 'failed'], ['MoveTrafficToSecondary', 'not-run'],
    ]);
    expect(await opened.page.locator('#steps tr.step-row').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-step')))).toEqual(steps);
    // Each bar starts where its step started: the long wait is the widest.
    const widths = await opened.page.locator('svg.timeline g.step rect').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('width'))));
    expect(widths.indexOf(Math.max(...widths))).toBe(2);
    expect(await opened.page.locator('#steps tr.step-row[data-step="FailoverGlobalCluster"] td.failed').textContent())
      .toBe('failed: InvalidGlobalClusterStateFault: the global cluster is busy <retry later>');
  });

  test('the timeline marks the fault, the RTO from it past the dashed deadline, and the stop-condition alarm going into ALARM', async () => {
    const fault = await box(opened, 'svg.timeline line.fault');
    const rtoBar = await box(opened, 'svg.timeline rect.rto-bar');
    const deadline = await box(opened, 'svg.timeline line.rto-deadline');
    expect(Math.abs(rtoBar.x - fault.x)).toBeLessThan(2);
    expect(rtoBar.x + rtoBar.width).toBeGreaterThan(deadline.x + 1);
    expect(await opened.page.locator('svg.timeline rect.alarm-state').evaluateAll((rs) => rs.map((r) => r.getAttribute('class'))))
      .toEqual(['alarm-state ok', 'alarm-state in-alarm']);
    expect(await opened.page.locator('svg.timeline g.alarm text').first().textContent()).toBe('alarm checkout-secondary-critical');
  });

  test('loads with no console error and no request (self-contained); a screenshot is kept', async () => {
    expect(opened.problems).toEqual([]);
    expect(opened.requests).toEqual([]);
    const shot = await keepScreenshot(opened.page, 'drill-report');
    expect(readFileSync(shot).subarray(1, 4).toString('latin1')).toBe('PNG');
  });
});
