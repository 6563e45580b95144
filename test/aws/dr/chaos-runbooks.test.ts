import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHAOS_EXPERIMENTS } from '../../../constructs/aws/dr/chaos-experiments';
import { RUNBOOK_ROOT, parseRunbook, runbookPaths } from '../../helpers/runbooks';

const SECTIONS = ['Hypothesis', 'Blast radius', 'Stop conditions', 'Steps', 'Observations / Verification', 'Rollback'];
const EXPERIMENTS = Object.values(CHAOS_EXPERIMENTS);

/** The README's "Chaos experiments" section: from its heading to the next `## ` heading or the end. */
function chaosSection(): string {
  const readme = readFileSync(join(RUNBOOK_ROOT, 'README.md'), 'utf8');
  const m = /^## Chaos experiments\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme);
  return m ? m[1] : '';
}

describe('chaos runbooks', () => {
  test.each(EXPERIMENTS.map((e) => [e.id, e] as const))('%s: the runbook exists with every section, and its steps start the deployed template', (id, meta) => {
    const path = `chaos/${id}`;
    expect(existsSync(join(RUNBOOK_ROOT, `${path}.md`))).toBe(true);
    const runbook = parseRunbook(path);
    expect(runbook.sections).toEqual(SECTIONS);
    const steps = runbook.body.split('## Steps')[1].split('## Observations')[0];
    expect(steps).toContain('aws fis start-experiment --experiment-template-id "$TEMPLATE_ID"');
    expect(steps).toContain(`OutputKey=='${meta.output}'`);
  });

  test('the README lists every chaos experiment, outside the generated markers, and nothing else under chaos/', () => {
    const section = chaosSection();
    expect(section).not.toContain('<!--');
    const linked = [...section.matchAll(/\]\((chaos\/[a-z0-9-]+)\.md\)/g)].map((m) => m[1]).sort();
    expect(linked).toEqual(EXPERIMENTS.map((e) => `chaos/${e.id}`).sort());
    expect(runbookPaths('chaos')).toEqual(linked);
  });
});
