/**
 * A producer of the run's syntheses, started by jest-global-setup.ts: synthesizes the variants listed in a JSON
 * file, in order, into the run's cache (synth-cache.ts), skipping those done or held by another live process.
 * Usage: node --import tsx test/helpers/synth-producer.ts <cache folder> <variants.json>
 */
import { readFileSync } from 'node:fs';
import type { SynthSpec } from './reference-contexts';
import { synthesizeReferenceApp } from './reference-app';
import { lockOwner, lockSpec, readOutcome, specFolder, specKey, storeOutcome, unlockSpec } from './synth-cache';

const [root, variantsFile] = process.argv.slice(2);
const specs = JSON.parse(readFileSync(variantsFile, 'utf8')) as SynthSpec[];
/** The jest process that started this one: when it is gone (killed before its teardown), so is the need. */
const jest = process.ppid;
for (const spec of specs) {
  if (process.ppid !== jest) break;
  const folder = specFolder(root, spec);
  if (readOutcome(folder) || (lockOwner(folder) !== process.pid && !lockSpec(folder))) continue;
  try {
    const started = Date.now();
    storeOutcome(folder, synthesizeReferenceApp({ ...spec.context }, spec.packs, folder));
    console.log(`synthesized in ${((Date.now() - started) / 1000).toFixed(1)} s: ${specKey(spec)}`);
  } finally {
    unlockSpec(folder);
  }
}
