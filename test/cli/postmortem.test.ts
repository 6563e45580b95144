/**
 * The post-mortem generator on recorded inputs (test/cli/fixtures: an Incident Manager incident as `get-incident-record`
 * and `list-timeline-events` return it, a drill report, a game-day report). No AWS call.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPostMortemCommand } from '../../cli/postmortem/command';
import { recognizeInput } from '../../cli/postmortem/inputs';
import { buildPostMortem, renderPostMortem } from '../../cli/postmortem/postmortem';

const FIXTURES = join(__dirname, 'fixtures');
const fixture = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
const SECTIONS = ['Summary', 'Timeline', 'Impact', 'Root cause', 'Contributing factors', 'What went well', 'Action items'];

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runPostMortemCommand(argv, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

describe('postmortem', () => {
  test.each(['incident.json', 'drill-report.json', 'gameday-report.json'])('%s renders the blameless shape, every section in order', async (name) => {
    const { code, out } = await run('--input', join(FIXTURES, name));
    expect(code).toBe(0);
    expect([...out.matchAll(/^## (.+)$/gm)].map((m) => m[1])).toEqual(SECTIONS);
    expect(out).toContain('Blameless: this document describes what happened and why the system allowed it, not who is at fault.');
  });

  describe('from an Incident Manager incident', () => {
    const pm = buildPostMortem(recognizeInput(fixture('incident.json'), 'incident.json'), 'checkout-team');

    test('summary, impact and duration come from the incident record', () => {
      expect(pm.summary).toMatch(/^checkout is failing its users \(page\)\. .* Opened 2026-02-14T09:12:03\.512000\+00:00 by arn:aws:cloudwatch:eu-west-1:111111111111:alarm:checkout-primary-MonitoringPageAlarm-1ABC; resolved 2026-02-14T09:58:41\.207000\+00:00\.$/);
      expect(pm.impact.slice(0, 2)).toEqual(['Impact 2 (high: the service failed for some customers), as set on the incident.', 'Duration from opening to resolution: 47 min.']);
    });

    test('the timeline is in time order, with the recorded event text where GetTimelineEvent was recorded', () => {
      expect(pm.timeline.map((t) => t.event)).toEqual([
        'SSM Incident Record Update: checkout is failing its users (page) — OPEN',
        'Automatic mitigation scale-out started (alarm checkout-primary-MonitoringEcsCpuAlarm-1DEF): SSM Automation checkout-remediate-scale-out, execution 4f1e.',
        'Automatic mitigation replace-unhealthy-tasks held back (alarm checkout-primary-CheckoutUnhealthyTargetsAlarm-1GHI): a deployment of the service is in progress.',
        'SSM Contacts Page for Incident (arn:aws:ssm-contacts:eu-west-1:111111111111:contact/checkout-alice)',
        'SSM Incident Record Update: RESOLVED',
      ]);
    });

    test('automatic mitigations become what went well or contributing factors and action items, owned', () => {
      expect(pm.wentWell[1]).toMatch(/^Automatic mitigation ran: Automatic mitigation scale-out started/);
      expect(pm.contributingFactors[0]).toMatch(/^Automatic mitigation did not help: .*held back .*deployment of the service is in progress/);
      expect(pm.actionItems.map((a) => a.owner)).toEqual(['checkout-team', 'checkout-team']);
    });
  });

  describe('from a drill report', () => {
    const pm = buildPostMortem(recognizeInput(fixture('drill-report.json'), 'drill-report.json'), 'platform-team');

    test('the failed step is the root cause to confirm, the missed RTO a contributing factor, both action items', () => {
      expect(pm.rootCause[0]).toBe('Step FailoverGlobalCluster failed: InvalidGlobalClusterStateFault: the global cluster is busy.');
      expect(pm.contributingFactors.slice(0, 2)).toEqual([
        'Objective RTO 30m missed: measured 2490s against 1800s.', 'Step ScaleSecondaryService needed 2 attempts (throttling or a slow dependency).',
      ]);
      expect(pm.actionItems).toEqual([
        { item: 'Fix step FailoverGlobalCluster of drill pilot-light-failover (failed: InvalidGlobalClusterStateFault: the global cluster is busy) and run the drill again', owner: 'platform-team' },
        { item: 'Bring RTO 30m within its objective (measured 2490s)', owner: 'platform-team' },
      ]);
      expect(pm.wentWell).toEqual(['RPO 1m: met (0.8s).', '3 of 4 steps succeeded.']);
    });

    test('the timeline starts at the fault and lists every step and what did not run', () => {
      expect(pm.timeline[0]).toEqual({ time: '2026-02-20T10:02:00.000Z', event: 'Fault injected' });
      expect(pm.timeline.at(-1)).toEqual({ time: '2026-02-20T10:41:30.000Z', event: 'MoveTrafficToSecondary: not run' });
      expect(pm.timeline[4].event).toBe('FailoverGlobalCluster (aws-api): failed: InvalidGlobalClusterStateFault: the global cluster is busy, 3s, 3 attempt(s)');
    });
  });

  describe('from a game-day report (extra fields tolerated)', () => {
    const pm = buildPostMortem(recognizeInput(fixture('gameday-report.json'), 'gameday-report.json'), 'platform-team');

    test('detection gaps and failed targets become contributing factors and owned action items', () => {
      expect(pm.summary).toBe('Game day quick: 1 experiment(s) passed, 1 failed, 1 detection gap(s).');
      expect(pm.contributingFactors.slice(0, 2)).toEqual([
        'cache-failure: recovery 48.2s exceeds the 30s target.', 'cache-failure: no alert fired (a detection gap).',
      ]);
      expect(pm.actionItems).toEqual([
        { item: 'Make cache-failure meet its target (recovery 30s, error ratio 0.001)', owner: 'platform-team' },
        { item: 'Add an alert that detects cache-failure', owner: 'platform-team' },
      ]);
      expect(pm.wentWell).toContain('database-failure: detected by DatabaseCircuitOpen after 41s.');
      expect(pm.impact[0]).toBe('database-failure: error ratio 0.0002 (at most 0.001), 0 lost of 5120 acknowledged writes, p99 12 → 340 → 13 ms.');
    });
  });

  test('a pipe in the data cannot break the tables', () => {
    const md = renderPostMortem({ ...buildPostMortem(recognizeInput(fixture('drill-report.json'), 'x'), 'a|b'), actionItems: [{ item: 'x | y', owner: 'a|b' }] });
    expect(md).toContain('| x \\| y | a\\|b |');
  });

  test('--out writes the file; bad input exits 2 naming what was expected', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'postmortem-'));
    const out = join(dir, 'pm.md');
    expect((await run('--input', join(FIXTURES, 'drill-report.json'), '--out', out, '--owner', 'sre')).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('| sre |');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"hello": 1}');
    expect(await run('--input', bad)).toEqual({ code: 2, out: '', err: `${bad}: not an incident (incidentRecord + eventSummaries), a drill report (drill, timeline, rto) or a game-day report (experiments, summary)\n` });
    writeFileSync(bad, '{"incidentRecord": {}}');
    expect((await run('--input', bad)).err).toMatch(/an incident needs its timeline: merge the outputs of aws ssm-incidents get-incident-record and list-timeline-events/);
    expect((await run()).code).toBe(2);
    expect((await run('--input')).err).toMatch(/^--input needs a value/);
  });
});
