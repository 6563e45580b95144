import { ESCALATION_STAGES, escalationStageDurations, escalationTable } from '../../../constructs/core/incidents/escalation';

describe('escalation policy', () => {
  test('stages at 0, 5, 15 and 30 minutes: primary on-call, secondary, senior engineer, incident commander', () => {
    expect(ESCALATION_STAGES.map((s) => [s.afterMinutes, s.role])).toEqual([
      [0, 'primary-on-call'], [5, 'secondary-on-call'], [15, 'senior-engineer'], [30, 'incident-commander'],
    ]);
  });

  test('each stage lasts until the next one starts; the last waits 0 (Incident Manager durations, 0 to 30)', () => {
    expect(escalationStageDurations()).toEqual([5, 10, 15, 0]);
    expect(escalationStageDurations().every((d) => d >= 0 && d <= 30)).toBe(true);
  });

  test('the runbook table names every stage with its minute', () => {
    const table = escalationTable().join('\n');
    for (const s of ESCALATION_STAGES) expect(table).toContain(`| ${s.afterMinutes} min | ${s.title} |`);
  });
});
