/**
 * What a post-mortem is prefilled from, as recorded JSON: an Incident Manager incident (`GetIncidentRecord` and
 * `ListTimelineEvents` output merged, optionally the `GetTimelineEvent` events with their text), a drill report
 * (`platform-stacks drill --execute`, cli/drill/report.ts) or a game-day report (cli/gameday). Each is recognized by
 * its fields; extra fields are ignored.
 */
import type { DrillReport } from '../drill/report';

/** `GetIncidentRecord`'s `incidentRecord` (the fields read). */
export interface IncidentRecord {
  readonly arn: string;
  readonly title: string;
  readonly summary?: string;
  readonly status: string;
  readonly impact: number;
  readonly creationTime: string;
  readonly resolvedTime?: string;
  readonly incidentRecordSource?: {
    readonly createdBy?: string; readonly invokedBy?: string; readonly resourceArn?: string; readonly source?: string;
  };
  readonly automationExecutions?: ReadonlyArray<{ readonly ssmExecutionArn?: string }>;
}

/** A timeline event: `ListTimelineEvents`' summary, with `eventData` when the `GetTimelineEvent` output was recorded too. */
export interface TimelineEvent {
  readonly eventId: string;
  readonly eventTime: string;
  readonly eventType: string;
  readonly eventData?: string;
  readonly eventReferences?: ReadonlyArray<{ readonly resource?: string; readonly relatedItemId?: string }>;
}

/** A recorded incident: `{ incidentRecord, eventSummaries, events? }`. */
export interface IncidentInput {
  readonly incidentRecord: IncidentRecord;
  readonly eventSummaries: readonly TimelineEvent[];
  /** `GetTimelineEvent` outputs' `event`s (with `eventData`), matched to the summaries by `eventId`. */
  readonly events?: readonly TimelineEvent[];
}

/** An alert an experiment fired (game-day report). */
export interface GameDayAlert {
  readonly alertname: string;
  readonly severity: string;
  readonly firedAfterSeconds: number;
  readonly runbookUrl?: string;
}

/** One experiment of a game day. */
export interface GameDayExperiment {
  readonly name: string;
  readonly target: { readonly recoverySeconds: number; readonly maxErrorRatio: number };
  readonly measured: {
    readonly recoverySeconds?: number;
    readonly errorRatio?: number;
    readonly lostWrites?: number;
    readonly acknowledgedWrites?: number;
    readonly p99Ms?: { readonly before?: number; readonly during?: number; readonly after?: number };
    readonly alerts?: readonly GameDayAlert[];
  };
  readonly passed: boolean;
}

/** The game-day report (cli/gameday's JSON contract; only these fields are read). */
export interface GameDayReport {
  readonly profile: string;
  readonly startedAt: string;
  readonly experiments: readonly GameDayExperiment[];
  readonly summary: { readonly passed: number; readonly failed: number; readonly detectionGaps: number };
}

/** A recognized input. */
export type PostMortemInput =
  | { readonly kind: 'incident'; readonly incident: IncidentInput }
  | { readonly kind: 'drill'; readonly drill: DrillReport }
  | { readonly kind: 'gameday'; readonly gameday: GameDayReport };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Recognizes `json`; throws naming what was expected when it is none of the three. */
export function recognizeInput(json: unknown, source: string): PostMortemInput {
  if (isObject(json) && isObject(json.incidentRecord)) {
    if (!Array.isArray(json.eventSummaries)) {
      throw new Error(`${source}: an incident needs its timeline: merge the outputs of aws ssm-incidents get-incident-record and list-timeline-events `
        + '(jq -s \'.[0] * .[1]\' record.json timeline.json), so the file has incidentRecord and eventSummaries');
    }
    return { kind: 'incident', incident: json as unknown as IncidentInput };
  }
  if (isObject(json) && typeof json.drill === 'string' && Array.isArray(json.timeline) && isObject(json.rto)) {
    return { kind: 'drill', drill: json as unknown as DrillReport };
  }
  if (isObject(json) && Array.isArray(json.experiments) && isObject(json.summary)) {
    return { kind: 'gameday', gameday: json as unknown as GameDayReport };
  }
  throw new Error(`${source}: not an incident (incidentRecord + eventSummaries), a drill report (drill, timeline, rto) or a game-day report (experiments, summary)`);
}
