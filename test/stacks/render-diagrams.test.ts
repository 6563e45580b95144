/**
 * The committed architecture pictures (`docs/architecture-<tier>.svg`, shown in the README) are what `npm run diagram`
 * draws now: each is rendered again from this run's synthesis of the reference app at its tier (synth-cache.ts) and
 * compared byte for byte. A change to the stacks that moves a link, a resource or a label fails here until the
 * pictures are drawn again (`npm run diagram`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { diagramOf } from '../../cli/diagram/command';
import { DrTier } from '../../constructs/core/dr-tier';
import { diagramContext, diagramFile } from '../../stacks/render-diagrams';
import { sharedReferenceApp } from '../helpers/reference-app';

describe('docs/architecture-<tier>.svg', () => {
  test.each(DrTier.ALL.map((t) => [t.id, t] as const))('%s is up to date (npm run diagram)', (_id, tier) => {
    const file = diagramFile(tier);
    expect({ file, exists: existsSync(file) }).toEqual({ file, exists: true });
    const drawn = diagramOf(sharedReferenceApp(diagramContext(tier)).assembly.directory);
    // Not toEqual on the text: a stale picture should fail with a short message, not a diff of 30 kB of SVG.
    const stale = readFileSync(file, 'utf8') !== drawn;
    expect({ file, stale, fix: stale ? 'run npm run diagram and commit docs/' : 'none' }).toEqual({ file, stale: false, fix: 'none' });
  });
});
