/**
 * Jest global teardown: stops the synthesis producers still running, names the variants a test file had to
 * synthesize itself although no producer planned them (add them to reference-contexts.ts), and removes the run's
 * cache (kept when PLATFORM_STACKS_KEEP_SYNTH_CACHE=1, to read the producers' logs).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PLANNED_SYNTHS } from './reference-contexts';
import { alive, MADE_IN_TESTS_FILE, PRODUCERS_FILE, specKey, SYNTH_CACHE_ENV } from './synth-cache';

export default function globalTeardown(): void {
  const root = process.env[SYNTH_CACHE_ENV];
  if (!root || !existsSync(root)) return;
  const producers = existsSync(join(root, PRODUCERS_FILE)) ? JSON.parse(readFileSync(join(root, PRODUCERS_FILE), 'utf8')) as number[] : [];
  for (const pid of producers.filter(alive)) process.kill(pid, 'SIGTERM');
  const planned = new Set(PLANNED_SYNTHS.map((p) => specKey(p.spec)));
  const unplanned = existsSync(join(root, MADE_IN_TESTS_FILE))
    ? [...new Set(readFileSync(join(root, MADE_IN_TESTS_FILE), 'utf8').split('\n').filter((key) => key && !planned.has(key)))]
    : [];
  if (unplanned.length > 0) {
    console.log(`\nNote: test files synthesized ${unplanned.length} variant(s) of the reference app that test/helpers/reference-contexts.ts does not plan (slower):\n  ${unplanned.join('\n  ')}`);
  }
  if (process.env.PLATFORM_STACKS_KEEP_SYNTH_CACHE === '1') {
    console.log(`\nSynthesis cache kept in ${root}`);
    return;
  }
  rmSync(root, { recursive: true, force: true });
}
