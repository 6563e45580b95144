/** The drill report (JSON, markdown and HTML) kept for audit: timeline, measured RTO/RPO against the objectives. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReportHtml } from './report-html';

/** One step as it ran. */
export interface StepRecord {
  readonly step: string;
  readonly kind: string;
  /** Epoch milliseconds. */
  readonly start: number;
  readonly end: number;
  /** `cancelled`: the step was running when the CLI stopped the drill's SSM automation. */
  readonly outcome: 'succeeded' | 'failed' | 'timed-out' | 'declined' | 'cancelled';
  /** Calls made (the SSM Automation path records 1: SSM does not report a step's attempts). */
  readonly attempts: number;
  readonly error?: string;
}

/** The drill's stop-condition alarm as the CLI saw it: its first check, then every change of state. */
export interface AlarmObservation {
  /** The CloudWatch alarm (metric or composite). */
  readonly alarm: string;
  /** Epoch milliseconds of the check. */
  readonly at: number;
  readonly inAlarm: boolean;
}

/** Adds a check of `alarm` to `log` when it is the alarm's first or its state changed; returns `inAlarm`. */
export function recordAlarmCheck(log: AlarmObservation[], alarm: string, at: number, inAlarm: boolean): boolean {
  const last = log.filter((o) => o.alarm === alarm).at(-1);
  if (last?.inAlarm !== inAlarm) log.push({ alarm, at, inAlarm });
  return inAlarm;
}

/** A measured objective. */
export interface MeasuredObjective {
  readonly objective: string;
  readonly objectiveSeconds: number;
  readonly measuredSeconds?: number;
  readonly pass: boolean;
}

/** The report of one drill run. */
export interface DrillReport {
  readonly drill: string;
  readonly title: string;
  readonly tier: string;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly faultAt: string;
  /** pass: every step succeeded and RTO and RPO met; fail: a step failed or an objective was missed; aborted: stop condition or operator. */
  readonly outcome: 'pass' | 'fail' | 'aborted';
  readonly reason?: string;
  readonly timeline: StepRecord[];
  readonly notRun: string[];
  readonly rto: MeasuredObjective & { readonly endsAt: string };
  readonly rpo: MeasuredObjective & { readonly method: string; readonly note: string };
  readonly parameters: Record<string, string>;
  /** The stop-condition alarm's first check and each change of its state; absent when the drill had no stop condition. */
  readonly alarms?: readonly AlarmObservation[];
  /** The SSM Automation execution that ran the steps (`--via-automation`); absent when the CLI ran them with the SDK. */
  readonly automation?: AutomationRun;
}

/** An SSM Automation execution of a drill's document. */
export interface AutomationRun {
  readonly documentName: string;
  readonly region: string;
  /** Empty until StartAutomationExecution answered. */
  readonly executionId: string;
  /** The final AutomationExecutionStatus the CLI saw. */
  readonly status: string;
  /** The role the automation assumed (empty: the permissions of who started it). */
  readonly assumeRole: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const seconds = (s: number | undefined): string => (s === undefined ? 'not measured' : `${Math.round(s * 1000) / 1000}s`);

/** The report as markdown. */
export function renderReportMarkdown(report: DrillReport): string {
  return [
    `# Drill report: ${report.title}`,
    '',
    `- Drill: \`${report.drill}\` at tier \`${report.tier}\``,
    `- Started ${report.startedAt}, ended ${report.endedAt}; fault at ${report.faultAt}`,
    `- Result: **${report.outcome.toUpperCase()}**${report.reason ? `: ${report.reason}` : ''}`,
    ...(report.automation ? [`- Run by SSM Automation \`${report.automation.documentName}\` in ${report.automation.region}: execution `
      + `\`${report.automation.executionId || 'not started'}\`, ${report.automation.status}; role \`${report.automation.assumeRole || '(the caller\'s permissions)'}\``] : []),
    '',
    '## Objectives',
    '',
    '| | Objective | Measured | Result |',
    '| --- | --- | --- | --- |',
    `| RTO (fault to \`${report.rto.endsAt}\`) | ${report.rto.objective} | ${seconds(report.rto.measuredSeconds)} | ${report.rto.pass ? 'pass' : 'fail'} |`,
    `| RPO (${report.rpo.method}) | ${report.rpo.objective} | ${seconds(report.rpo.measuredSeconds)} | ${report.rpo.pass ? 'pass' : 'fail'} |`,
    '',
    `RPO: ${report.rpo.note}`,
    '',
    '## Timeline',
    '',
    '| Step | Kind | Start | End | Outcome | Attempts |',
    '| --- | --- | --- | --- | --- | --- |',
    ...report.timeline.map((r) => `| ${r.step} | ${r.kind} | ${iso(r.start)} | ${iso(r.end)} | ${r.outcome}${r.error ? `: ${r.error.replace(/\|/g, '\\|')}` : ''} | ${r.attempts} |`),
    ...(report.notRun.length > 0 ? ['', `Not run: ${report.notRun.join(', ')}.`] : []),
    '',
    '## Parameters',
    '',
    ...Object.entries(report.parameters).map(([k, v]) => `- ${k}: \`${v}\``),
    '',
  ].join('\n');
}

/** Writes `<dir>/<drill>-<start>.json`, `.md` and `.html`; returns the paths. */
export function writeReport(dir: string, report: DrillReport): { json: string; markdown: string; html: string } {
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `${report.drill}-${report.startedAt.replace(/[:.]/g, '-')}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${base}.md`, renderReportMarkdown(report));
  writeFileSync(`${base}.html`, renderReportHtml(report));
  return { json: `${base}.json`, markdown: `${base}.md`, html: `${base}.html` };
}
