/**
 * The drill report as one self-contained HTML page: the result, the measured RTO and RPO drawn against the objectives,
 * and the timeline drawn (each step as a bar from its start to its end, coloured by outcome; the steps not run; the
 * fault; the RTO from the fault to the recovery step with the objective's deadline; the stop-condition alarm's state).
 * Rendered from the report JSON alone, the same text for the same report.
 */
import { RESULT_COLOURS, esc, htmlPage, humanSeconds } from '../html';
import type { DrillReport, MeasuredObjective, StepRecord } from './report';

const WIDTH = 1100;
const LABEL = 230;
const ROW = 26;
const PLOT = WIDTH - LABEL - 20;

const OUTCOME_COLOURS: Readonly<Record<StepRecord['outcome'], string>> = {
  'succeeded': RESULT_COLOURS.pass, 'failed': RESULT_COLOURS.fail, 'timed-out': RESULT_COLOURS.fail,
  'declined': RESULT_COLOURS.warn, 'cancelled': RESULT_COLOURS.warn,
};

const f1 = (n: number): string => n.toFixed(1);

/** A horizontal bar of `measured` against the `objective` line, on a scale that shows both; the title above it. */
function objectiveBar(name: 'rto' | 'rpo', title: string, m: MeasuredObjective): string {
  const width = 900;
  const bar = 640;
  const height = 66;
  const scale = Math.max(m.objectiveSeconds, m.measuredSeconds ?? 0) * 1.15 || 1;
  const x = (s: number): number => (s / scale) * bar;
  const colour = m.pass ? RESULT_COLOURS.pass : RESULT_COLOURS.fail;
  const measured = m.measuredSeconds === undefined ? 'not measured' : humanSeconds(m.measuredSeconds);
  return [
    `<svg class="objective ${name}" data-pass="${m.pass}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img"`
      + ` aria-label="${esc(`${title}: measured ${measured}, objective ${humanSeconds(m.objectiveSeconds)}`)}">`,
    `<text x="0" y="14" font-size="13"><tspan font-weight="bold">${esc(title)}</tspan><tspan fill="#4b5563"> ${esc(m.objective)}</tspan></text>`,
    `<rect x="0" y="22" width="${bar}" height="22" fill="#f3f4f6"/>`,
    m.measuredSeconds === undefined
      ? `<text class="${name}-bar not-measured" x="6" y="38" font-size="12" fill="${RESULT_COLOURS.fail}">not measured</text>`
      : `<rect class="${name}-bar" x="0" y="22" width="${f1(Math.max(2, x(m.measuredSeconds)))}" height="22" fill="${colour}"/>`
        + `<text x="${f1(x(m.measuredSeconds) + 6)}" y="38" font-size="12">${esc(`${measured} ${m.pass ? '(met)' : '(missed)'}`)}</text>`,
    `<line class="${name}-objective" x1="${f1(x(m.objectiveSeconds))}" x2="${f1(x(m.objectiveSeconds))}" y1="18" y2="50" stroke="#111827" stroke-width="2"/>`,
    `<text x="${f1(x(m.objectiveSeconds))}" y="62" font-size="11" text-anchor="middle">objective ${esc(humanSeconds(m.objectiveSeconds))}</text>`,
    '</svg>',
  ].join('\n');
}

/** The timeline: one row per step (the ones not run greyed), the stop-condition alarm, the RTO row; the fault marked. */
function timelineSvg(report: DrillReport): string {
  const fault = Date.parse(report.faultAt);
  const start = Math.min(Date.parse(report.startedAt), fault);
  const rtoEnd = report.rto.measuredSeconds !== undefined ? fault + report.rto.measuredSeconds * 1000 : undefined;
  const deadline = fault + report.rto.objectiveSeconds * 1000;
  const end = Math.max(Date.parse(report.endedAt), rtoEnd ?? 0, deadline, start + 1000);
  const x = (ms: number): number => LABEL + ((ms - start) / (end - start)) * PLOT;
  const alarmNames = [...new Set((report.alarms ?? []).map((a) => a.alarm))];
  const rows = report.timeline.length + report.notRun.length + alarmNames.length + 1;
  const top = 30;
  const height = top + rows * ROW + 36;
  const out = [
    `<svg class="timeline" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="drill timeline">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
  ];
  // Time axis: ticks at round minutes (or seconds for a short run) from the start.
  const spanS = (end - start) / 1000;
  const tick = [10, 30, 60, 300, 600, 1800, 3600, 7200, 21600].find((t) => spanS / t <= 10) ?? 43200;
  for (let s = 0; s <= spanS; s += tick) {
    const tx = x(start + s * 1000);
    out.push(`<line x1="${f1(tx)}" x2="${f1(tx)}" y1="${top - 6}" y2="${height - 30}" stroke="#eeeeee"/>`,
      `<text x="${f1(tx)}" y="${height - 14}" font-size="11" text-anchor="middle">+${esc(humanSeconds(s))}</text>`);
  }
  let row = 0;
  const rowY = (): number => top + row * ROW;
  for (const r of report.timeline) {
    const y = rowY();
    const x0 = x(r.start);
    const w = Math.max(3, x(r.end) - x0);
    const title = `${r.step} (${r.kind}): ${r.outcome}, ${humanSeconds((r.end - r.start) / 1000)}, ${r.attempts} attempt(s)${r.error ? `: ${r.error}` : ''}`;
    out.push(`<g class="step" data-step="${esc(r.step)}" data-outcome="${r.outcome}"><title>${esc(title)}</title>`,
      `<text x="${LABEL - 8}" y="${y + 17}" font-size="12" text-anchor="end">${esc(r.step)}</text>`,
      `<rect x="${f1(x0)}" y="${y + 5}" width="${f1(w)}" height="${ROW - 10}" rx="3" fill="${OUTCOME_COLOURS[r.outcome]}"/>`,
      `<text x="${f1(Math.min(x0 + w + 5, WIDTH - 150))}" y="${y + 17}" font-size="11" fill="#374151">${esc(`${r.outcome}, ${humanSeconds((r.end - r.start) / 1000)}`)}</text>`,
      '</g>');
    row++;
  }
  for (const step of report.notRun) {
    const y = rowY();
    out.push(`<g class="step not-run" data-step="${esc(step)}" data-outcome="not-run">`,
      `<text x="${LABEL - 8}" y="${y + 17}" font-size="12" text-anchor="end" fill="#9ca3af">${esc(step)}</text>`,
      `<text x="${LABEL + 4}" y="${y + 17}" font-size="11" fill="#9ca3af">not run</text>`, '</g>');
    row++;
  }
  for (const alarm of alarmNames) {
    const y = rowY();
    const checks = (report.alarms ?? []).filter((a) => a.alarm === alarm);
    out.push(`<g class="alarm" data-alarm="${esc(alarm)}"><text x="${LABEL - 8}" y="${y + 17}" font-size="12" text-anchor="end">alarm ${esc(alarm)}</text>`);
    checks.forEach((c, i) => {
      const x0 = x(c.at);
      const x1 = x(checks[i + 1]?.at ?? Date.parse(report.endedAt));
      out.push(`<rect class="alarm-state ${c.inAlarm ? 'in-alarm' : 'ok'}" x="${f1(x0)}" y="${y + 8}" width="${f1(Math.max(3, x1 - x0))}" height="${ROW - 16}"`
        + ` fill="${c.inAlarm ? RESULT_COLOURS.fail : '#9ccc9c'}"><title>${esc(`${alarm}: ${c.inAlarm ? 'ALARM' : 'not in ALARM'} from +${humanSeconds((c.at - start) / 1000)}`)}</title></rect>`);
    });
    out.push('</g>');
    row++;
  }
  const y = rowY();
  out.push(`<g class="rto-row"><text x="${LABEL - 8}" y="${y + 17}" font-size="12" font-weight="bold" text-anchor="end">RTO</text>`);
  if (rtoEnd !== undefined) {
    out.push(`<rect class="rto-bar" x="${f1(x(fault))}" y="${y + 4}" width="${f1(Math.max(3, x(rtoEnd) - x(fault)))}" height="${ROW - 8}"`
      + ` fill="${report.rto.pass ? RESULT_COLOURS.pass : RESULT_COLOURS.fail}" fill-opacity="0.8"/>`);
  } else {
    out.push(`<text class="rto-bar not-measured" x="${f1(x(fault) + 4)}" y="${y + 17}" font-size="11" fill="${RESULT_COLOURS.fail}">not measured</text>`);
  }
  out.push(`<line class="rto-deadline" x1="${f1(x(deadline))}" x2="${f1(x(deadline))}" y1="${top - 6}" y2="${y + ROW}" stroke="#111827" stroke-width="2" stroke-dasharray="6 3"/>`,
    `<text x="${f1(x(deadline) + 4)}" y="${top - 10}" font-size="11">${esc(`RTO objective ${humanSeconds(report.rto.objectiveSeconds)}`)}</text>`, '</g>');
  out.push(`<line class="fault" x1="${f1(x(fault))}" x2="${f1(x(fault))}" y1="${top - 6}" y2="${y + ROW}" stroke="${RESULT_COLOURS.fail}" stroke-width="2"/>`,
    `<text x="${f1(x(fault) + 4)}" y="${top - 18}" font-size="11" fill="${RESULT_COLOURS.fail}">fault</text>`);
  out.push('</svg>');
  return out.join('\n');
}

/** The report as a self-contained HTML page. */
export function renderReportHtml(report: DrillReport): string {
  const a = report.automation;
  const stepRows = report.timeline.map((r) => `<tr class="step-row" data-step="${esc(r.step)}"><td>${esc(r.step)}</td><td>${esc(r.kind)}</td>`
    + `<td>${esc(new Date(r.start).toISOString())}</td><td>${esc(humanSeconds((r.end - r.start) / 1000))}</td>`
    + `<td class="${r.outcome}">${esc(r.outcome)}${r.error ? `: ${esc(r.error)}` : ''}</td><td>${r.attempts}</td></tr>`);
  const notRunRows = report.notRun.map((s) => `<tr class="step-row not-run" data-step="${esc(s)}"><td>${esc(s)}</td><td colspan="5">not run</td></tr>`);
  const body = [
    `<h1>Drill report: ${esc(report.title)}</h1>`,
    `<p class="meta">Drill <code>${esc(report.drill)}</code> at tier <code>${esc(report.tier)}</code>. Started ${esc(report.startedAt)}, `
      + `ended ${esc(report.endedAt)}; fault at ${esc(report.faultAt)}.</p>`,
    `<p>Result: <span class="result ${report.outcome}" id="result">${esc(report.outcome.toUpperCase())}</span>${report.reason ? ` ${esc(report.reason)}` : ''}</p>`,
    ...(a ? [`<p class="meta">Run by SSM Automation <code>${esc(a.documentName)}</code> in ${esc(a.region)}: execution `
      + `<code>${esc(a.executionId || 'not started')}</code>, ${esc(a.status)}.</p>`] : []),
    '<h2>Objectives</h2>',
    objectiveBar('rto', `RTO (fault to ${report.rto.endsAt})`, report.rto),
    objectiveBar('rpo', `RPO (${report.rpo.method})`, report.rpo),
    `<p class="meta">RPO: ${esc(report.rpo.note)}</p>`,
    '<h2>Timeline</h2>',
    timelineSvg(report),
    '<table id="steps"><thead><tr><th>Step</th><th>Kind</th><th>Start</th><th>Duration</th><th>Outcome</th><th>Attempts</th></tr></thead>',
    `<tbody>${[...stepRows, ...notRunRows].join('\n')}</tbody></table>`,
    '<h2>Parameters</h2>',
    `<table id="parameters"><tbody>${Object.entries(report.parameters).map(([k, v]) => `<tr><th>${esc(k)}</th><td><code>${esc(v)}</code></td></tr>`).join('\n')}</tbody></table>`,
  ].join('\n');
  return htmlPage(`Drill report: ${report.title}`, body, report);
}
