/**
 * The escalation policy of the platform, declared once (engine-neutral): who is engaged when an incident is not
 * acknowledged. Rendered to AWS Systems Manager Incident Manager (the escalation plan's stages) and into the Escalation
 * section of every alert runbook (`npm run runbooks:render`).
 */

/** The roles an incident escalates through, in order. */
export type EscalationRole = 'primary-on-call' | 'secondary-on-call' | 'senior-engineer' | 'incident-commander';

/** One stage of the escalation policy. */
export interface EscalationStage {
  readonly role: EscalationRole;
  /** Who, in words (`Primary on-call`). */
  readonly title: string;
  /** Minutes after the incident opened at which this stage is engaged (unless someone acknowledged). */
  readonly afterMinutes: number;
  /** What the stage is expected to do, one sentence. */
  readonly duty: string;
}

/** Detect within 2 minutes, acknowledge within 5, senior engineer at +15, incident commander at +30 (the playbook). */
export const ESCALATION_STAGES: readonly EscalationStage[] = [
  {
    role: 'primary-on-call', title: 'Primary on-call', afterMinutes: 0,
    duty: 'acknowledges within 5 minutes, follows this runbook and states the impact in the incident',
  },
  {
    role: 'secondary-on-call', title: 'Secondary on-call', afterMinutes: 5,
    duty: 'takes the page when the primary has not acknowledged, or joins when asked',
  },
  {
    role: 'senior-engineer', title: 'Senior engineer', afterMinutes: 15,
    duty: 'joins to diagnose while the incident is still unmitigated',
  },
  {
    role: 'incident-commander', title: 'Incident commander', afterMinutes: 30,
    duty: 'takes command: coordinates responders, communication and the decision to fail over',
  },
];

/**
 * Minutes each stage lasts before the next one is engaged (Incident Manager's `DurationInMinutes`): the gap to the next
 * stage; the last stage waits 0 (nothing follows).
 */
export function escalationStageDurations(stages: readonly EscalationStage[] = ESCALATION_STAGES): number[] {
  return stages.map((s, i) => (i + 1 < stages.length ? stages[i + 1].afterMinutes - s.afterMinutes : 0));
}

/** The stages as a markdown table (`| After | Who | Expected |`). */
export function escalationTable(stages: readonly EscalationStage[] = ESCALATION_STAGES): string[] {
  return [
    '| After | Who | Expected |',
    '| --- | --- | --- |',
    ...stages.map((s) => `| ${s.afterMinutes} min | ${s.title} | ${s.duty} |`),
  ];
}
