/**
 * A producer of the run's syntheses, started by jest-global-setup.ts: takes the planned variants in order, each
 * one no other process has taken, and synthesizes it into the run's cache (synth-cache.ts).
 * Usage: node --import tsx test/helpers/synth-producer.ts <cache folder>
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SynthSpec } from './reference-contexts';
import { synthesizeReferenceApp } from './reference-app';
import { lockSpec, PLAN_FILE, readOutcome, specFolder, specKey, storeOutcome, unlockSpec } from './synth-cache';

const [root] = process.argv.slice(2);
const specs = JSON.parse(readFileSync(join(root, PLAN_FILE), 'utf8')) as SynthSpec[];
/** The jest process that started this one: when it is gone (killed before its teardown), so is the need. */
const jest = process.ppid;
for (const spec of specs) {
  if (process.ppid !== jest) break;
  const folder = specFolder(root, spec);
  if (readOutcome(folder) || !lockSpec(folder)) continue;
  try {
    const started = Date.now();
    storeOutcome(folder, synthesizeReferenceApp({ ...spec.context }, spec.packs, folder));
    console.log(`synthesized in ${((Date.now() - started) / 1000).toFixed(1)} s: ${specKey(spec)}`);
  } finally {
    unlockSpec(folder);
  }
}
