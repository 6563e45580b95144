/**
 * Jest global setup: makes the run's synthesis cache (synth-cache.ts) and starts two producers, one per core, that
 * synthesize the variants of the reference app the selected test files read (reference-contexts.ts). They run at a
 * lower priority, so the other test files (jest-sequencer.js runs them first) keep the CPU they ask for and the
 * producers take the rest; a test file that reads a variant waits for it, and gives its producer back the normal
 * priority.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { PLANNED_SYNTHS } from './reference-contexts';
import type { PlannedSynth } from './reference-contexts';
import { lockSpec, specFolder, SYNTH_CACHE_ENV } from './synth-cache';

/** Set by jest-sequencer.js: the absolute paths of the test files of this run. */
const SELECTED_TESTS_ENV = 'PLATFORM_STACKS_SELECTED_TESTS';
/** The producers' file of process ids, in the cache folder (the global teardown stops those still running). */
export const PRODUCERS_FILE = 'producers.json';
const PRODUCERS = 2;
const NICENESS = 10;

/** `planned` shared between `count` producers: each variant to the least loaded, costliest first; plan order kept. */
function share(planned: readonly PlannedSynth[], count: number): PlannedSynth[][] {
  const loads = new Array<number>(count).fill(0);
  const lists: PlannedSynth[][] = Array.from({ length: count }, () => []);
  for (const p of [...planned].sort((a, b) => b.seconds - a.seconds)) {
    const least = loads.indexOf(Math.min(...loads));
    lists[least].push(p);
    loads[least] += p.seconds;
  }
  return lists.map((list) => list.sort((a, b) => planned.indexOf(a) - planned.indexOf(b))).filter((list) => list.length > 0);
}

export default function globalSetup(): void {
  const repo = join(__dirname, '..', '..');
  const root = mkdtempSync(join(tmpdir(), 'platform-stacks-synth-'));
  process.env[SYNTH_CACHE_ENV] = root;
  const selected = new Set((JSON.parse(process.env[SELECTED_TESTS_ENV] ?? '[]') as string[]).map((path) => relative(repo, path)));
  const planned = PLANNED_SYNTHS.filter((p) => p.usedBy.some((file) => selected.has(file)));
  const pids = share(planned, PRODUCERS).map((list, i) => {
    const variants = join(root, `producer-${i}.json`);
    writeFileSync(variants, JSON.stringify(list.map((p) => p.spec)));
    const log = openSync(join(root, `producer-${i}.log`), 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'synth-producer.ts'), root, variants],
      { cwd: repo, stdio: ['ignore', log, log] });
    child.unref();
    const pid = child.pid;
    if (pid === undefined) return undefined;
    try {
      setPriority(pid, NICENESS);
    } catch {
      // Same priority then: still correct, the tests only share the CPU evenly with it.
    }
    // Held for the producer from now on: a test file that reads one of these waits while the producer lives.
    for (const p of list) lockSpec(specFolder(root, p.spec), pid);
    return pid;
  }).filter((pid) => pid !== undefined);
  writeFileSync(join(root, PRODUCERS_FILE), JSON.stringify(pids));
}
