/**
 * The game-day report: `report.json` (the contract: field names stable, DESIGN.md "Reports are data first"), rendered
 * to `report.md`, `timeline.svg` and `report.html` (report-html.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecondBucket } from './stats';
import { renderReportHtml } from './report-html';
import { renderTimeline } from './timeline';

/** An alert that fired during an experiment, and the notification it caused. */
export interface FiredAlert {
  readonly alertname: string;
  readonly severity: string;
  /** From the fault's start to Prometheus firing it (polled every second). */
  readonly firedAfterSeconds: number;
  readonly runbookUrl: string;
  /** Whether `runbooks/<path>.md` of the link is in this repository. */
  readonly runbookExists: boolean;
  /** From the fault's start to its notification reaching the harness's webhook; null when none came within the experiment. */
  readonly notifiedAfterSeconds: number | null;
  /** The receiver Alertmanager routed it to: `critical` (page), `warning` (ticket); null when no notification came. */
  readonly receiver: string | null;
}

/** One target checked against its measurement. */
export interface Check {
  readonly name: string;
  readonly target: string;
  readonly measured: string;
  readonly passed: boolean;
}

export interface ExperimentReport {
  readonly name: string;
  /** The FIS experiment (stacks' ChaosExperiments) it corresponds to, with its runbook; null when there is none. */
  readonly fisExperiment: string | null;
  readonly fault: string;
  readonly target: Record<string, number>;
  /** Seconds since the run's start: the fault's start and end (equal for an instantaneous fault), the experiment's end. */
  readonly window: {
    readonly startSeconds: number; readonly faultStartSeconds: number; readonly faultEndSeconds: number; readonly endSeconds: number;
  };
  readonly measured: {
    readonly recoverySeconds: number | null;
    readonly errorRatio: number;
    readonly requests: number;
    readonly p50Ms: { readonly before: number; readonly during: number; readonly after: number };
    readonly p99Ms: { readonly before: number; readonly during: number; readonly after: number };
    readonly hitRates: {
      readonly before: { readonly l1: number | null; readonly l2: number | null };
      readonly during: { readonly l1: number | null; readonly l2: number | null };
      readonly after: { readonly l1: number | null; readonly l2: number | null };
    };
    readonly alerts: readonly FiredAlert[];
    readonly lostWrites?: number;
    readonly acknowledgedWrites?: number;
    readonly failedReads?: number;
    readonly shedRequests?: number;
    readonly shedP99Ms?: number;
    readonly admittedP99Ms?: number;
  };
  readonly checks: readonly Check[];
  /** Alerts the platform is expected to raise for this fault (a missing one is noted, not failed). */
  readonly expectedAlerts: readonly string[];
  /** The user-visible impact crossed a target and no alert fired. */
  readonly detectionGap: boolean;
  /** Why the experiment was aborted (stop condition, steady state not reached), when it was. */
  readonly aborted: string | null;
  readonly notes: readonly string[];
  readonly passed: boolean;
}

export interface GameDayReport {
  readonly profile: string;
  /** How time was scaled in this profile. */
  readonly scaling: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly environment: Record<string, string | number>;
  readonly experiments: readonly ExperimentReport[];
  /** Per second of the run: requests, errors, shed, p50/p99 (the timeline's data). */
  readonly timeline: readonly SecondBucket[];
  readonly summary: { readonly passed: number; readonly failed: number; readonly detectionGaps: number };
}

const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);

/** The report as markdown: a summary table, then each experiment's checks, alerts and notes. */
export function renderMarkdown(report: GameDayReport): string {
  const lines = [
    `# Game day report (${report.profile} profile)`,
    '',
    `Started ${report.startedAt}, finished ${report.finishedAt}. ${report.summary.passed} passed, ${report.summary.failed} failed, `
      + `${report.summary.detectionGaps} detection gap(s).`,
    '',
    `Scaling: ${report.scaling}.`,
    '',
    `Environment: ${Object.entries(report.environment).map(([k, v]) => `${k} ${v}`).join('; ')}.`,
    '',
    '| experiment | FIS experiment | result | recovery (s) | error ratio | p99 before / during / after (ms) | alerts |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...report.experiments.map((e) => `| ${e.name} | ${e.fisExperiment ?? '–'} | ${e.passed ? 'passed' : 'FAILED'}${e.detectionGap ? ' (detection gap)' : ''} `
      + `| ${e.measured.recoverySeconds ?? '–'} | ${(e.measured.errorRatio * 100).toFixed(3)}% `
      + `| ${e.measured.p99Ms.before} / ${e.measured.p99Ms.during} / ${e.measured.p99Ms.after} `
      + `| ${e.measured.alerts.map((a) => `${a.alertname} (${a.severity}, +${a.firedAfterSeconds}s)`).join(', ') || 'none'} |`),
    '',
    '![timeline](timeline.svg)',
    '',
  ];
  for (const e of report.experiments) {
    lines.push(`## ${e.name}`, '', `Fault: ${e.fault}.`, '');
    if (e.aborted) lines.push(`**Aborted:** ${e.aborted}.`, '');
    lines.push('| check | target | measured | |', '| --- | --- | --- | --- |',
      ...e.checks.map((c) => `| ${c.name} | ${c.target} | ${c.measured} | ${c.passed ? 'ok' : 'FAILED'} |`), '');
    const h = e.measured.hitRates;
    lines.push(`Hit rates L1 / L2-of-L1-misses: before ${pct(h.before.l1)} / ${pct(h.before.l2)}, during ${pct(h.during.l1)} / ${pct(h.during.l2)}, `
      + `after ${pct(h.after.l1)} / ${pct(h.after.l2)}. Requests: ${e.measured.requests}.`, '');
    if (e.measured.alerts.length > 0) {
      lines.push('| alert | severity | fired after | notified after (receiver) | runbook |', '| --- | --- | --- | --- | --- |',
        ...e.measured.alerts.map((a) => `| ${a.alertname} | ${a.severity} | ${a.firedAfterSeconds} s | `
          + `${a.notifiedAfterSeconds === null ? 'not within the experiment' : `${a.notifiedAfterSeconds} s (${a.receiver})`} | `
          + `[${a.runbookUrl.replace(/^.*\/runbooks\//, 'runbooks/')}](${a.runbookUrl})${a.runbookExists ? '' : ' (MISSING)'} |`), '');
    } else {
      lines.push('No alert fired.', '');
    }
    if (e.expectedAlerts.length > 0) lines.push(`Expected alerts: ${e.expectedAlerts.join(', ')}.`, '');
    if (e.detectionGap) lines.push('**Detection gap:** the impact crossed a target and no alert fired.', '');
    for (const n of e.notes) lines.push(`- ${n}`);
    if (e.notes.length > 0) lines.push('');
  }
  return lines.join('\n');
}

/** Writes report.json, report.md, timeline.svg and report.html into `dir` (created if missing). */
export function writeReport(dir: string, report: GameDayReport): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, 'report.md'), renderMarkdown(report));
  writeFileSync(join(dir, 'timeline.svg'), renderTimeline(report));
  writeFileSync(join(dir, 'report.html'), renderReportHtml(report));
}
