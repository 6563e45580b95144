/**
 * The blameless post-mortem as data, prefilled from an incident, a drill report or a game-day report, and its
 * markdown: summary, timeline, impact, root cause, contributing factors, what went well, action items with owners.
 * Facts come from the input; what only the review can say (the root cause, the lessons) is marked for it to confirm.
 */
import type { DrillReport } from '../drill/report';
import type { GameDayReport, IncidentInput, PostMortemInput, TimelineEvent } from './inputs';

/** One line of the timeline. */
export interface TimelineEntry {
  readonly time: string;
  readonly event: string;
}

/** An action item and who owns it. */
export interface ActionItem {
  readonly item: string;
  readonly owner: string;
}

/** The post-mortem, data first. */
export interface PostMortem {
  readonly title: string;
  readonly source: string;
  readonly summary: string;
  readonly timeline: readonly TimelineEntry[];
  readonly impact: readonly string[];
  readonly rootCause: readonly string[];
  readonly contributingFactors: readonly string[];
  readonly wentWell: readonly string[];
  readonly actionItems: readonly ActionItem[];
}

const IMPACT = ['', 'critical: full service failure for most customers', 'high: the service failed for some customers',
  'medium: partial failure for some customers', 'low: degraded, little customer impact', 'no customer impact'];
const TO_CONFIRM = '_To confirm in the review._';

function minutes(fromIso: string, toIso?: string): string {
  if (!toIso) return 'not resolved when recorded';
  const m = Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 60000);
  return `${m} min`;
}

function eventText(e: TimelineEvent): string {
  if (e.eventData === undefined) return `${e.eventType}${e.eventReferences?.length ? ` (${e.eventReferences.map((r) => r.resource ?? r.relatedItemId).join(', ')})` : ''}`;
  try {
    const parsed: unknown = JSON.parse(e.eventData);
    if (typeof parsed === 'string') return parsed;
    if (typeof parsed === 'object' && parsed !== null) {
      const o = parsed as Record<string, unknown>;
      const text = [o.title, o.summary, o.status, o.content, o.message].filter((x) => typeof x === 'string').join(' — ');
      if (text) return `${e.eventType}: ${text}`;
    }
  } catch {
    // Not JSON: the event's text as written.
  }
  return `${e.eventType}: ${e.eventData}`;
}

function fromIncident(input: IncidentInput, owner: string): PostMortem {
  const r = input.incidentRecord;
  const detailed = new Map((input.events ?? []).map((e) => [e.eventId, e]));
  const events = input.eventSummaries.map((s) => detailed.get(s.eventId) ?? s).sort((a, b) => a.eventTime.localeCompare(b.eventTime));
  const mitigations = events.filter((e) => (e.eventData ?? '').includes('Automatic mitigation'));
  const heldBack = mitigations.filter((e) => /held back|failed to start|ended: (Failed|TimedOut|Cancelled)/.test(e.eventData ?? ''));
  const alarm = r.incidentRecordSource?.resourceArn;
  return {
    title: `Post-mortem: ${r.title}`,
    source: `Incident Manager incident ${r.arn}`,
    summary: `${r.title}. ${r.summary ?? ''}`.trim() + ` Opened ${r.creationTime}${alarm ? ` by ${alarm}` : ''}; ${r.status === 'RESOLVED' ? `resolved ${r.resolvedTime}` : `status ${r.status}`}.`,
    timeline: events.map((e) => ({ time: e.eventTime, event: eventText(e) })),
    impact: [
      `Impact ${r.impact} (${IMPACT[r.impact] ?? 'unknown'}), as set on the incident.`,
      `Duration from opening to resolution: ${minutes(r.creationTime, r.resolvedTime)}.`,
      'Users, requests and data affected: _from the dashboards and the SLO error budget, to fill in._',
    ],
    rootCause: [TO_CONFIRM, 'Describe the conditions that made the failure possible, not who acted last.'],
    contributingFactors: [
      ...heldBack.map((e) => `Automatic mitigation did not help: ${eventText(e)}`),
      ...(alarm ? [] : ['The incident was opened by hand: no alarm detected it (a detection gap).']),
      TO_CONFIRM,
    ],
    wentWell: [
      ...(alarm ? [`Detection: the page alarm opened the incident (${alarm}).`] : []),
      ...mitigations.filter((e) => / started | ended: Success/.test(e.eventData ?? '')).map((e) => `Automatic mitigation ran: ${eventText(e)}`),
      TO_CONFIRM,
    ],
    actionItems: [
      ...(alarm ? [] : [{ item: 'Add an alert that detects this failure before a person notices it', owner }]),
      ...heldBack.map((e) => ({ item: `Make the automatic mitigation effective next time: ${eventText(e)}`, owner })),
      { item: 'Update the runbook with what the responders needed and did not find', owner },
    ],
  };
}

const secs = (s: number | undefined): string => (s === undefined ? 'not measured' : `${Math.round(s * 10) / 10}s`);

function fromDrill(d: DrillReport, owner: string): PostMortem {
  const failed = d.timeline.filter((s) => s.outcome !== 'succeeded');
  const missed = [d.rto, d.rpo].filter((o) => !o.pass);
  return {
    title: `Post-mortem: drill ${d.title}`,
    source: `drill report ${d.drill} (${d.startedAt})`,
    summary: `Drill ${d.drill} at tier ${d.tier}: ${d.outcome.toUpperCase()}${d.reason ? ` (${d.reason})` : ''}. Started ${d.startedAt}, fault at ${d.faultAt}, ended ${d.endedAt}.`,
    timeline: [
      { time: d.faultAt, event: 'Fault injected' },
      ...d.timeline.map((s) => ({
        time: new Date(s.start).toISOString(),
        event: `${s.step} (${s.kind}): ${s.outcome}${s.error ? `: ${s.error}` : ''}, ${secs((s.end - s.start) / 1000)}, ${s.attempts} attempt(s)`,
      })),
      ...d.notRun.map((step) => ({ time: d.endedAt, event: `${step}: not run` })),
    ],
    impact: [
      `RTO: ${secs(d.rto.measuredSeconds)} measured against ${d.rto.objective} (${d.rto.pass ? 'met' : 'missed'}).`,
      `RPO: ${secs(d.rpo.measuredSeconds)} measured against ${d.rpo.objective} (${d.rpo.pass ? 'met' : 'missed'}; ${d.rpo.method}).`,
      'A drill: no customer impact beyond what the measured RTO and RPO would mean in a real failure.',
    ],
    rootCause: failed.length > 0
      ? [...failed.map((s) => `Step ${s.step} ${s.outcome}${s.error ? `: ${s.error}` : ''}.`), TO_CONFIRM]
      : missed.length > 0 ? [`Every step succeeded, but ${missed.map((o) => o.objective).join(' and ')} was missed: the recovery path is too slow.`, TO_CONFIRM]
        : ['Nothing failed: the drill met its objectives.'],
    contributingFactors: [
      ...missed.map((o) => `Objective ${o.objective} missed: measured ${secs(o.measuredSeconds)} against ${secs(o.objectiveSeconds)}.`),
      ...d.timeline.filter((s) => s.attempts > 1).map((s) => `Step ${s.step} needed ${s.attempts} attempts (throttling or a slow dependency).`),
      TO_CONFIRM,
    ],
    wentWell: [
      ...[d.rto, d.rpo].filter((o) => o.pass).map((o) => `${o.objective}: met (${secs(o.measuredSeconds)}).`),
      `${d.timeline.filter((s) => s.outcome === 'succeeded').length} of ${d.timeline.length} steps succeeded.`,
    ],
    actionItems: [
      ...failed.map((s) => ({ item: `Fix step ${s.step} of drill ${d.drill} (${s.outcome}${s.error ? `: ${s.error}` : ''}) and run the drill again`, owner })),
      ...missed.map((o) => ({ item: `Bring ${o.objective} within its objective (measured ${secs(o.measuredSeconds)})`, owner })),
      ...(failed.length === 0 && missed.length === 0 ? [{ item: `Schedule the next run of drill ${d.drill}`, owner }] : []),
    ],
  };
}

function fromGameDay(g: GameDayReport, owner: string): PostMortem {
  const failed = g.experiments.filter((e) => !e.passed);
  const undetected = g.experiments.filter((e) => (e.measured.alerts ?? []).length === 0);
  const start = Date.parse(g.startedAt);
  return {
    title: `Post-mortem: game day (${g.profile}) of ${g.startedAt}`,
    source: `game-day report (${g.profile}, ${g.startedAt})`,
    summary: `Game day ${g.profile}: ${g.summary.passed} experiment(s) passed, ${g.summary.failed} failed, ${g.summary.detectionGaps} detection gap(s).`,
    timeline: [
      { time: g.startedAt, event: 'Game day started' },
      ...g.experiments.flatMap((e) => [
        ...(e.measured.alerts ?? []).map((a) => ({
          time: Number.isNaN(start) ? `+${a.firedAfterSeconds}s` : `${g.startedAt} +${a.firedAfterSeconds}s`,
          event: `${e.name}: alert ${a.alertname} (${a.severity}) fired after ${a.firedAfterSeconds}s${a.runbookUrl ? `, runbook ${a.runbookUrl}` : ''}`,
        })),
        { time: `${g.startedAt} (${e.name})`, event: `${e.name}: recovered in ${secs(e.measured.recoverySeconds)} (target ${e.target.recoverySeconds}s), ${e.passed ? 'passed' : 'failed'}` },
      ]),
    ],
    impact: g.experiments.map((e) => `${e.name}: error ratio ${e.measured.errorRatio ?? 'not measured'} (at most ${e.target.maxErrorRatio}), `
      + `${e.measured.lostWrites ?? 'unknown'} lost of ${e.measured.acknowledgedWrites ?? 'unknown'} acknowledged writes`
      + `${e.measured.p99Ms ? `, p99 ${e.measured.p99Ms.before ?? '?'} → ${e.measured.p99Ms.during ?? '?'} → ${e.measured.p99Ms.after ?? '?'} ms` : ''}.`),
    rootCause: failed.length > 0 ? [...failed.map((e) => `${e.name} failed its target.`), TO_CONFIRM] : ['Nothing failed: every experiment met its target.'],
    contributingFactors: [
      ...g.experiments.filter((e) => (e.measured.lostWrites ?? 0) > 0).map((e) => `${e.name}: ${e.measured.lostWrites} acknowledged writes were lost.`),
      ...g.experiments.filter((e) => e.measured.recoverySeconds !== undefined && e.measured.recoverySeconds > e.target.recoverySeconds)
        .map((e) => `${e.name}: recovery ${secs(e.measured.recoverySeconds)} exceeds the ${e.target.recoverySeconds}s target.`),
      ...undetected.map((e) => `${e.name}: no alert fired (a detection gap).`),
      TO_CONFIRM,
    ],
    wentWell: [
      ...g.experiments.filter((e) => e.passed).map((e) => `${e.name}: recovered in ${secs(e.measured.recoverySeconds)} within ${e.target.recoverySeconds}s.`),
      ...g.experiments.filter((e) => (e.measured.alerts ?? []).length > 0)
        .map((e) => `${e.name}: detected by ${e.measured.alerts!.map((a) => `${a.alertname} after ${a.firedAfterSeconds}s`).join(', ')}.`),
    ],
    actionItems: [
      ...failed.map((e) => ({ item: `Make ${e.name} meet its target (recovery ${e.target.recoverySeconds}s, error ratio ${e.target.maxErrorRatio})`, owner })),
      ...undetected.map((e) => ({ item: `Add an alert that detects ${e.name}`, owner })),
      ...(failed.length === 0 && undetected.length === 0 ? [{ item: 'Run the next game day with a harder profile', owner }] : []),
    ],
  };
}

/** The post-mortem of `input`; action items are owned by `owner` until the review reassigns them. */
export function buildPostMortem(input: PostMortemInput, owner: string): PostMortem {
  switch (input.kind) {
    case 'incident': return fromIncident(input.incident, owner);
    case 'drill': return fromDrill(input.drill, owner);
    case 'gameday': return fromGameDay(input.gameday, owner);
  }
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const bullets = (items: readonly string[]): string[] => items.map((i) => `- ${i}`);

/** The post-mortem as markdown. */
export function renderPostMortem(pm: PostMortem): string {
  return [
    `# ${pm.title}`,
    '',
    `Blameless: this document describes what happened and why the system allowed it, not who is at fault. Prefilled from ${pm.source}.`,
    '',
    '## Summary', '', pm.summary, '',
    '## Timeline', '', '| Time (UTC) | Event |', '| --- | --- |', ...pm.timeline.map((t) => `| ${cell(t.time)} | ${cell(t.event)} |`), '',
    '## Impact', '', ...bullets(pm.impact), '',
    '## Root cause', '', ...bullets(pm.rootCause), '',
    '## Contributing factors', '', ...bullets(pm.contributingFactors), '',
    '## What went well', '', ...(pm.wentWell.length > 0 ? bullets(pm.wentWell) : ['- _To fill in._']), '',
    '## Action items', '', '| Action | Owner |', '| --- | --- |', ...pm.actionItems.map((a) => `| ${cell(a.item)} | ${cell(a.owner)} |`), '',
  ].join('\n');
}
