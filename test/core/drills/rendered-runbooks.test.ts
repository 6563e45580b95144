/**
 * The drill runbooks are rendered from constructs/core/drills: a committed file that differs from the
 * rendering fails here. Fix: npm run runbooks:render.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DRILLS, drillRunbookPath } from '../../../constructs/core/drills';
import { RUNBOOK_ROOT, renderedRunbooks } from '../../../stacks/render-runbooks';
import { parseRunbook } from '../../helpers/runbooks';

const DRILL_SECTIONS = ['Objectives', 'Preconditions', 'Steps', 'Verification', 'Failback', 'Report'];

describe('rendered runbooks', () => {
  test.each([...renderedRunbooks().entries()].map(([path, content]) => [path, content] as const))(
    'runbooks/%s is committed as rendered', (path, content) => {
      const file = join(RUNBOOK_ROOT, path);
      const committed = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
      if (committed !== content) {
        throw new Error(`runbooks/${path} ${committed === undefined ? 'is missing' : 'differs from its rendering'}: run npm run runbooks:render and commit the result`);
      }
    });

  test.each(DRILLS.map((d) => [d.id, d] as const))('%s has the drill sections in order and shows each automated command', (_id, drill) => {
    const { frontMatter, sections, body } = parseRunbook(drillRunbookPath(drill).replace(/\.md$/, ''));
    expect(frontMatter.id).toBe(drill.id);
    expect(sections.filter((s) => DRILL_SECTIONS.includes(s))).toEqual(DRILL_SECTIONS);
    for (const step of drill.steps) {
      if (step.kind === 'aws-api' || step.kind === 'wait-for') {
        expect(body).toContain(`aws ${step.call.service} ${step.call.api.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2').toLowerCase()}`);
      }
    }
  });

  test('runbooks/README.md lists every drill', () => {
    const readme = readFileSync(join(RUNBOOK_ROOT, 'README.md'), 'utf8');
    for (const drill of DRILLS) expect(readme).toContain(`](${drillRunbookPath(drill)})`);
  });
});
