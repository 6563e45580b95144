/**
 * `timeline.svg`: the run second by second. Top panel: p50 and p99 latency (log scale); bottom panel: error ratio and
 * shed ratio. Each experiment's fault window is shaded and named, and every alert that fired is a marked line with
 * its name. Plain SVG text, deterministic for a given report.
 */
import type { GameDayReport } from './report';

const WIDTH = 1200;
const MARGIN = { left: 60, right: 20, top: 42, bottom: 30 };
const PANEL = 220;
const GAP = 40;

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const f1 = (n: number): string => n.toFixed(1);

/** The SVG document for `report`. */
export function renderTimeline(report: GameDayReport): string {
  const buckets = report.timeline;
  const first = buckets.length > 0 ? buckets[0].second : 0;
  const last = buckets.length > 0 ? buckets[buckets.length - 1].second + 1 : 1;
  const span = Math.max(1, last - first);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const x = (second: number): number => MARGIN.left + ((second - first) / span) * plotWidth;
  const latencyTop = MARGIN.top;
  const errorTop = MARGIN.top + PANEL + GAP;
  const height = errorTop + PANEL + MARGIN.bottom;

  const maxMs = Math.max(10, ...buckets.map((b) => b.p99Ms));
  // Log scale from 0.1 ms: a cache hit answers in well under a millisecond.
  const logMin = -1;
  const logMax = Math.log10(maxMs * 1.2);
  const yLatency = (ms: number): number => latencyTop + PANEL - ((Math.log10(Math.max(0.1, ms)) - logMin) / (logMax - logMin)) * PANEL;
  const yRatio = (r: number): number => errorTop + PANEL - r * PANEL;

  const path = (points: Array<[number, number]>): string =>
    points.length === 0 ? '' : `M${points.map(([px, py]) => `${f1(px)},${f1(py)}`).join(' L')}`;
  const withRequests = buckets.filter((b) => b.requests > 0);
  const p50 = path(withRequests.map((b) => [x(b.second + 0.5), yLatency(b.p50Ms)]));
  const p99 = path(withRequests.map((b) => [x(b.second + 0.5), yLatency(b.p99Ms)]));
  const errors = path(withRequests.map((b) => [x(b.second + 0.5), yRatio(b.errors / b.requests)]));
  const shed = path(withRequests.map((b) => [x(b.second + 0.5), yRatio(b.shed / b.requests)]));

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>Game day (${esc(report.profile)}): latency and errors over time</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
  ];
  // Fault windows shaded over both panels; the time until recovery after them more lightly.
  const anchorFor = (px: number): string => (px > WIDTH - 260 ? ' text-anchor="end"' : '');
  for (const [i, e] of report.experiments.entries()) {
    const x0 = x(e.window.faultStartSeconds);
    const x1 = Math.max(x0 + 2, x(e.window.faultEndSeconds));
    const recovery = e.measured.recoverySeconds;
    const recoveredAt = recovery === null ? e.window.endSeconds
      : Math.max(e.window.faultEndSeconds, (e.name === 'database-failure' || e.window.faultEndSeconds === e.window.faultStartSeconds
        ? e.window.faultStartSeconds : e.window.faultEndSeconds) + recovery);
    const x2 = Math.max(x1, x(recoveredAt));
    const panelHeight = errorTop + PANEL - latencyTop;
    out.push(`<rect class="fault" x="${f1(x0)}" y="${latencyTop}" width="${f1(x1 - x0)}" height="${panelHeight}" fill="#f4a261" fill-opacity="0.3"/>`);
    if (x2 > x1) out.push(`<rect class="recovery" x="${f1(x1)}" y="${latencyTop}" width="${f1(x2 - x1)}" height="${panelHeight}" fill="#f4a261" fill-opacity="0.12"/>`);
    // Names on two rows, so that neighbouring experiments' names do not overlap.
    out.push(`<text x="${f1(x0 + 2)}" y="${latencyTop - 6 - (i % 2) * 13}" fill="#9c4a00"${anchorFor(x0)}>${esc(e.name)}${e.passed ? '' : ' (failed)'}</text>`);
  }
  // Axes and grid.
  for (const [top, label] of [[latencyTop, 'latency ms (log)'], [errorTop, 'error ratio / shed ratio']] as const) {
    out.push(`<rect x="${MARGIN.left}" y="${top}" width="${plotWidth}" height="${PANEL}" fill="none" stroke="#999"/>`,
      `<text x="${MARGIN.left + 4}" y="${top + 12}" fill="#333">${label}</text>`);
  }
  for (const ms of [0.1, 1, 10, 100, 1000, 10000].filter((v) => v <= maxMs * 1.2)) {
    out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${f1(yLatency(ms))}" y2="${f1(yLatency(ms))}" stroke="#eee"/>`,
      `<text x="${MARGIN.left - 6}" y="${f1(yLatency(ms) + 4)}" text-anchor="end">${ms}</text>`);
  }
  for (const r of [0, 0.25, 0.5, 0.75, 1]) {
    out.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${f1(yRatio(r))}" y2="${f1(yRatio(r))}" stroke="#eee"/>`,
      `<text x="${MARGIN.left - 6}" y="${f1(yRatio(r) + 4)}" text-anchor="end">${r}</text>`);
  }
  const tickEvery = span > 600 ? 120 : span > 120 ? 30 : 10;
  for (let s = Math.ceil(first / tickEvery) * tickEvery; s <= last; s += tickEvery) {
    out.push(`<text x="${f1(x(s))}" y="${height - 10}" text-anchor="middle">${s}s</text>`);
  }
  out.push(
    `<path class="p99" d="${p99}" fill="none" stroke="#d62828" stroke-width="1.5"/>`,
    `<path class="p50" d="${p50}" fill="none" stroke="#1d3557" stroke-width="1.5"/>`,
    `<path class="errors" d="${errors}" fill="none" stroke="#d62828" stroke-width="1.5"/>`,
    `<path class="shed" d="${shed}" fill="none" stroke="#7b2cbf" stroke-width="1.5" stroke-dasharray="4 2"/>`,
    `<text x="${WIDTH - MARGIN.right - 220}" y="${latencyTop + 14}"><tspan fill="#d62828">— p99</tspan>  <tspan fill="#1d3557">— p50</tspan></text>`,
    `<text x="${WIDTH - MARGIN.right - 220}" y="${errorTop + 14}"><tspan fill="#d62828">— errors</tspan>  <tspan fill="#7b2cbf">- - shed</tspan></text>`,
  );
  // Alert firings: a line over both panels, the name at the bottom panel's foot.
  let row = 0;
  for (const e of report.experiments) {
    for (const a of e.measured.alerts) {
      const ax = x(e.window.faultStartSeconds + a.firedAfterSeconds);
      const colour = a.severity === 'critical' ? '#c1121f' : '#e9c46a';
      out.push(`<line class="alert" x1="${f1(ax)}" x2="${f1(ax)}" y1="${latencyTop}" y2="${errorTop + PANEL}" stroke="${colour}" stroke-width="1.5" stroke-dasharray="2 2"/>`,
        `<text x="${f1(ax + 3)}" y="${errorTop + PANEL - 8 - (row % 5) * 12}" fill="${colour}"${anchorFor(ax)}>${esc(a.alertname)} (${esc(a.severity)})</text>`);
      row++;
    }
  }
  out.push('</svg>', '');
  return out.join('\n');
}
