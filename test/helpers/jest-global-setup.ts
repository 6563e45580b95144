/**
 * Jest global setup: makes the run's synthesis cache (synth-cache.ts), plans the variants of the reference app the
 * selected test files read (reference-contexts.ts) and starts two producers, one per core, that synthesize them. They
 * run at a lower priority, so the other test files (jest-sequencer.js runs them first) keep the CPU they ask for and
 * the producers take the rest, until a test file waits on them.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { PLANNED_SYNTHS } from './reference-contexts';
import { PLAN_FILE, PRODUCERS_FILE, SYNTH_CACHE_ENV } from './synth-cache';

/** Set by jest-sequencer.js: the absolute paths of the test files of this run. */
const SELECTED_TESTS_ENV = 'PLATFORM_STACKS_SELECTED_TESTS';
const PRODUCERS = 2;
const NICENESS = 10;

export default function globalSetup(): void {
  const repo = join(__dirname, '..', '..');
  const root = mkdtempSync(join(tmpdir(), 'platform-stacks-synth-'));
  process.env[SYNTH_CACHE_ENV] = root;
  const selected = new Set((JSON.parse(process.env[SELECTED_TESTS_ENV] ?? '[]') as string[]).map((path) => relative(repo, path)));
  const planned = PLANNED_SYNTHS.filter((p) => p.usedBy.some((file) => selected.has(file))).map((p) => p.spec);
  writeFileSync(join(root, PLAN_FILE), JSON.stringify(planned));
  const pids: number[] = [];
  for (let i = 0; i < Math.min(PRODUCERS, planned.length); i++) {
    const log = openSync(join(root, `producer-${i}.log`), 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'synth-producer.ts'), root], { cwd: repo, stdio: ['ignore', log, log] });
    child.unref();
    if (child.pid === undefined) continue;
    try {
      setPriority(child.pid, NICENESS);
    } catch {
      // Same priority then: still correct, the tests only share the CPU evenly with it.
    }
    pids.push(child.pid);
  }
  writeFileSync(join(root, PRODUCERS_FILE), JSON.stringify(pids));
}
