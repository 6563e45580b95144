/**
 * `npm run diagram`: synthesizes the reference app at every DR tier (the default config otherwise, as `npx cdk synth
 * -c drTier=<tier>` does) and draws each cloud assembly to `docs/architecture-<tier>.svg` with Graphviz's `dot`
 * (`platform-stacks diagram`, cli/diagram). test/stacks/render-diagrams.test.ts fails when a committed picture differs
 * from this rendering of the test run's syntheses.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { diagramOf } from '../cli/diagram/command';
import { DrTier } from '../constructs/core/dr-tier';
import { loadConfig } from './config';
import { buildPlatform } from './platform';

/** Where the pictures go. */
export const DIAGRAM_DIR = join(__dirname, '..', 'docs');

/** The committed picture of `tier`. */
export function diagramFile(tier: DrTier): string {
  return join(DIAGRAM_DIR, `architecture-${tier.id}.svg`);
}

/** The context `-c drTier=<tier>` synthesizes with: cdk.json's (the feature flags) and the tier. */
export function diagramContext(tier: DrTier): Record<string, string> {
  return { drTier: tier.id };
}

function synthesize(tier: DrTier, outdir: string): void {
  const flags = (JSON.parse(readFileSync(join(__dirname, '..', 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
  const app = new App({ outdir, analyticsReporting: false, context: { ...flags, ...diagramContext(tier) } });
  buildPlatform(app, loadConfig((key) => app.node.tryGetContext(key)));
  app.synth();
}

if (require.main === module) {
  mkdirSync(DIAGRAM_DIR, { recursive: true });
  for (const tier of DrTier.ALL) {
    const outdir = mkdtempSync(join(tmpdir(), `diagram-${tier.id}-`));
    try {
      synthesize(tier, outdir);
      writeFileSync(diagramFile(tier), diagramOf(outdir));
      process.stdout.write(`wrote ${diagramFile(tier)}\n`);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }
}
