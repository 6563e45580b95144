/**
 * `report.html`: the game-day report as one self-contained page. The run's timeline (timeline.ts: latency and errors
 * second by second, each experiment's fault shaded and its recovery lighter, every alert marked), each experiment's
 * measured recovery drawn against its target, and the tables of checks and alerts. Rendered from report.json alone.
 */
import { RESULT_COLOURS, esc, htmlPage, humanSeconds } from '../html';
import type { ExperimentReport, GameDayReport } from './report';
import { renderTimeline } from './timeline';

const f1 = (n: number): string => n.toFixed(1);
const pct = (x: number): string => `${(x * 100).toFixed(3)}%`;

/** One bar per experiment: the measured recovery against the target's `recoverySeconds` (a line), on a shared scale. */
function recoveryChart(experiments: readonly ExperimentReport[]): string {
  const width = 1100;
  const label = 200;
  const row = 30;
  const height = 30 + experiments.length * row + 10;
  const longest = Math.max(1, ...experiments.map((e) => Math.max(e.measured.recoverySeconds ?? 0, e.target.recoverySeconds ?? 0)));
  const x = (s: number): number => label + (s / (longest * 1.15)) * (width - label - 160);
  const out = [`<svg class="recovery" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="recovery against target">`,
    '<text x="0" y="16" font-size="13" font-weight="bold">Recovery against target</text>'];
  experiments.forEach((e, i) => {
    const y = 28 + i * row;
    const recovery = e.measured.recoverySeconds;
    const target = e.target.recoverySeconds;
    const colour = e.passed ? RESULT_COLOURS.pass : RESULT_COLOURS.fail;
    out.push(`<g class="experiment" data-experiment="${esc(e.name)}" data-passed="${e.passed}">`,
      `<text x="${label - 8}" y="${y + 16}" font-size="12" text-anchor="end">${esc(e.name)}</text>`,
      recovery === null
        ? `<text class="recovery-bar not-recovered" x="${label + 4}" y="${y + 16}" font-size="12" fill="${RESULT_COLOURS.fail}">not recovered</text>`
        : `<rect class="recovery-bar" x="${label}" y="${y + 4}" width="${f1(Math.max(2, x(recovery) - label))}" height="${row - 10}" fill="${colour}"/>`
          + `<text x="${f1(x(recovery) + 6)}" y="${y + 16}" font-size="11">${esc(`${humanSeconds(recovery)}${e.passed ? '' : ' (failed)'}`)}</text>`);
    if (target !== undefined) {
      out.push(`<line class="recovery-target" x1="${f1(x(target))}" x2="${f1(x(target))}" y1="${y + 1}" y2="${y + row - 3}" stroke="#111827" stroke-width="2"/>`,
        `<text x="${f1(x(target) + 4)}" y="${y + row - 4}" font-size="10" fill="#4b5563">target ${esc(humanSeconds(target))}</text>`);
    }
    out.push('</g>');
  });
  out.push('</svg>');
  return out.join('\n');
}

function experimentSection(e: ExperimentReport): string {
  const alerts = e.measured.alerts.map((a) => `<tr class="alert-row"><td>${esc(a.alertname)}</td><td>${esc(a.severity)}</td><td>${a.firedAfterSeconds} s</td>`
    + `<td>${a.notifiedAfterSeconds === null ? 'not within the experiment' : `${a.notifiedAfterSeconds} s (${esc(a.receiver ?? '')})`}</td>`
    + `<td><a href="${esc(a.runbookUrl)}">${esc(a.runbookUrl.replace(/^.*\/runbooks\//, 'runbooks/'))}</a>${a.runbookExists ? '' : ' <b>(MISSING)</b>'}</td></tr>`);
  return [
    `<h3 id="experiment-${esc(e.name)}">${esc(e.name)} <span class="result ${e.passed ? 'pass' : 'fail'}">${e.passed ? 'PASSED' : 'FAILED'}</span></h3>`,
    `<p class="meta">Fault: ${esc(e.fault)}.${e.fisExperiment ? ` In AWS: FIS experiment <code>${esc(e.fisExperiment)}</code>.` : ''}</p>`,
    ...(e.aborted ? [`<p><b>Aborted:</b> ${esc(e.aborted)}.</p>`] : []),
    '<table class="checks"><thead><tr><th>Check</th><th>Target</th><th>Measured</th><th></th></tr></thead><tbody>',
    ...e.checks.map((c) => `<tr><td>${esc(c.name)}</td><td>${esc(c.target)}</td><td>${esc(c.measured)}</td><td class="${c.passed ? 'ok' : 'fail'}">${c.passed ? 'ok' : 'FAILED'}</td></tr>`),
    '</tbody></table>',
    alerts.length > 0
      ? `<table class="alerts"><thead><tr><th>Alert</th><th>Severity</th><th>Fired after</th><th>Notified after (receiver)</th><th>Runbook</th></tr></thead><tbody>${alerts.join('\n')}</tbody></table>`
      : '<p>No alert fired.</p>',
    ...(e.detectionGap ? ['<p><b>Detection gap:</b> the impact crossed a target and no alert fired.</p>'] : []),
    ...(e.notes.length > 0 ? [`<ul>${e.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`] : []),
  ].join('\n');
}

/** The report as a self-contained HTML page. */
export function renderReportHtml(report: GameDayReport): string {
  const s = report.summary;
  const rows = report.experiments.map((e) => `<tr class="experiment-row" data-experiment="${esc(e.name)}"><td><a href="#experiment-${esc(e.name)}">${esc(e.name)}</a></td>`
    + `<td>${esc(e.fisExperiment ?? '–')}</td><td class="${e.passed ? 'pass' : 'fail'}">${e.passed ? 'passed' : 'FAILED'}${e.detectionGap ? ' (detection gap)' : ''}</td>`
    + `<td>${e.measured.recoverySeconds ?? '–'}</td><td>${pct(e.measured.errorRatio)}</td>`
    + `<td>${e.measured.p99Ms.before} / ${e.measured.p99Ms.during} / ${e.measured.p99Ms.after}</td>`
    + `<td>${esc(e.measured.alerts.map((a) => `${a.alertname} (${a.severity}, +${a.firedAfterSeconds}s)`).join(', ') || 'none')}</td></tr>`);
  const body = [
    `<h1>Game day report (${esc(report.profile)} profile)</h1>`,
    `<p class="meta">Started ${esc(report.startedAt)}, finished ${esc(report.finishedAt)}. Scaling: ${esc(report.scaling)}.</p>`,
    `<p>Result: <span class="result ${s.failed === 0 ? 'pass' : 'fail'}" id="result">${s.passed} passed, ${s.failed} failed</span>`
      + ` ${s.detectionGaps} detection gap(s).</p>`,
    `<p class="meta">Environment: ${esc(Object.entries(report.environment).map(([k, v]) => `${k} ${v}`).join('; '))}.</p>`,
    '<h2>Timeline</h2>',
    '<p class="meta">Latency (top, log scale) and error and shed ratios (bottom) second by second; each fault shaded, the time to recovery lighter;'
      + ' each alert a dashed line (red: critical, yellow: warning).</p>',
    renderTimeline(report),
    recoveryChart(report.experiments),
    '<h2>Experiments</h2>',
    '<table id="experiments"><thead><tr><th>Experiment</th><th>FIS experiment</th><th>Result</th><th>Recovery (s)</th><th>Error ratio</th>'
      + '<th>p99 before / during / after (ms)</th><th>Alerts</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody></table>`,
    ...report.experiments.map(experimentSection),
  ].join('\n');
  return htmlPage(`Game day report (${report.profile} profile)`, body, report);
}
