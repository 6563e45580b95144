import { SCALE_OUT } from '../../../constructs/core/incidents/remediations';
import { renderAlertRunbookSections } from '../../../constructs/core/incidents/runbook-sections';

const RUNBOOK = ['---', 'id: X', 'severity: critical', 'owner: t', '---', '# X', '', '## Mitigation', 'Do it.', '', '## Escalation', 'Hand-written advice.', ''].join('\n');

describe('generated alert runbook sections', () => {
  test('insert the Automatic mitigation section before Escalation and the stages under it, keeping the hand-written text', () => {
    const out = renderAlertRunbookSections(RUNBOOK, 'CpuSaturationHigh', 'critical', [SCALE_OUT]);
    const sections = [...out.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(sections).toEqual(['Mitigation', 'Automatic mitigation', 'Escalation']);
    expect(out).toContain('- **Scale the service out to its maximum** (SSM Automation `<service>-remediate-scale-out`)');
    expect(out).toContain('aws ssm put-parameter --region <primary region> --name /<service>/remediation/paused --value true --overwrite');
    expect(out).toContain('| 15 min | Senior engineer |');
    expect(out).toContain('This alert pages');
    expect(out.endsWith('Hand-written advice.\n')).toBe(true);
  });

  test('rendering twice changes nothing; a changed action list replaces the generated text only', () => {
    const once = renderAlertRunbookSections(RUNBOOK, 'CpuSaturationHigh', 'critical', [SCALE_OUT]);
    expect(renderAlertRunbookSections(once, 'CpuSaturationHigh', 'critical', [SCALE_OUT])).toBe(once);
    const none = renderAlertRunbookSections(once, 'CpuSaturationHigh', 'warning', []);
    expect(none).toContain('Nothing runs by itself for CpuSaturationHigh');
    expect(none).not.toContain('remediate-scale-out');
    expect(none).toContain('This alert opens a ticket and pages nobody.');
    expect(none.match(/## Automatic mitigation/g)).toHaveLength(1);
  });

  test('a runbook without an Escalation section is left alone', () => {
    expect(renderAlertRunbookSections('# Y\n', 'Y', 'warning', [])).toBe('# Y\n');
  });
});
