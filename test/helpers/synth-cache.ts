/**
 * One synthesis per jest run for each variant of the reference app. Synthesizing is the slow part of the stack
 * tests (aws-cdk-lib's CloudFormation validator, cdk-nag, cfn-guard), and many test files read the same variant.
 *
 * The jest global setup (jest-global-setup.ts) makes a folder for the run, names it in `SYNTH_CACHE_ENV`, writes the
 * plan (the variants the selected test files read, reference-contexts.ts) and starts producers (synth-producer.ts)
 * that take the planned variants one by one, at a lower priority while the other test files run. A test file reads
 * a variant's outcome from there: the cloud assembly as `cdk synth` writes it. A variant's lock file names the
 * process making it. A reader waits while that process lives, or while the variant is planned and a producer
 * lives (and then gives the producers the normal priority back: a test waits on them); otherwise (not planned, or
 * its maker died) it synthesizes the variant itself.
 * Without the global setup (no `SYNTH_CACHE_ENV`) every call synthesizes.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SynthSpec } from './reference-contexts';

/** Environment variable naming the run's cache folder (set by the jest global setup, inherited by the workers). */
export const SYNTH_CACHE_ENV = 'PLATFORM_STACKS_SYNTH_CACHE';

/** Lines `<spec key>` of the variants a test file had to synthesize itself (the global teardown reports them). */
export const MADE_IN_TESTS_FILE = 'made-in-tests.txt';

/** The planned variants (`SynthSpec[]`, in the order the producers take them), in the cache folder. */
export const PLAN_FILE = 'plan.json';

/** The producers' process ids (`number[]`), in the cache folder. */
export const PRODUCERS_FILE = 'producers.json';

/** An acknowledgement in the construct tree: the construct's path and the rule ids it acknowledges, with reasons. */
export interface AcknowledgedRules {
  readonly path: string;
  readonly rules: Readonly<Record<string, unknown>>;
}

/** What one synthesis left behind. */
export interface SynthOutcome {
  /** The cloud assembly folder (`cdk.out`). */
  readonly directory: string;
  /** The message of what the synthesis threw (a validation plugin's finding fails it), if it threw. */
  readonly thrown?: string;
  /** Its stack trace, for the report of a test that rethrows it. */
  readonly stack?: string;
  /** Every `Validations.of(x).acknowledge(...)` of the synthesized construct tree. */
  readonly acknowledgements: readonly AcknowledgedRules[];
}

/** The variant's identity: its context with sorted keys, and its plugins. */
export function specKey(spec: SynthSpec): string {
  const context = Object.fromEntries(Object.entries(spec.context).sort(([a], [b]) => a.localeCompare(b)));
  return JSON.stringify({ context, packs: spec.packs ?? null });
}

/** The variant's cloud assembly folder in the run's cache; `<folder>.lock` and `<folder>.outcome.json` beside it. */
export function specFolder(root: string, spec: SynthSpec): string {
  return join(root, createHash('sha256').update(specKey(spec)).digest('hex').slice(0, 16));
}

/** Takes the variant's lock for the calling process; false when someone holds it. */
export function lockSpec(folder: string): boolean {
  try {
    writeFileSync(`${folder}.lock`, String(process.pid), { flag: 'wx' });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/** The process holding the variant's lock, if any. */
export function lockOwner(folder: string): number | undefined {
  try {
    const pid = Number(readFileSync(`${folder}.lock`, 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function unlockSpec(folder: string): void {
  rmSync(`${folder}.lock`, { force: true });
}

/** Whether process `pid` still runs. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function storeOutcome(folder: string, outcome: SynthOutcome): void {
  const file = `${folder}.outcome.json`;
  writeFileSync(`${file}.tmp`, JSON.stringify(outcome));
  renameSync(`${file}.tmp`, file);
}

export function readOutcome(folder: string): SynthOutcome | undefined {
  try {
    return JSON.parse(readFileSync(`${folder}.outcome.json`, 'utf8')) as SynthOutcome;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Blocks the thread for `ms` (test files read variants synchronously, while jest collects their tests). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** How long a test file waits for a variant another process makes before it gives up (a hung producer). */
const MAX_WAIT_MS = 30 * 60 * 1000;

function readJson<T>(file: string, fallback: T): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw e;
  }
}

/** The run's plan and producers, read once per test file. */
let run: { readonly root: string; readonly planned: ReadonlySet<string>; readonly producers: readonly number[] } | undefined;

function runOf(root: string): NonNullable<typeof run> {
  if (run?.root !== root) {
    run = {
      root,
      planned: new Set(readJson<SynthSpec[]>(join(root, PLAN_FILE), []).map(specKey)),
      producers: readJson<number[]>(join(root, PRODUCERS_FILE), []),
    };
  }
  return run;
}

let hurried = false;

/** A test waits on the producers now: they no longer yield the CPU to the other test files. */
function hurry(producers: readonly number[]): void {
  if (hurried) return;
  hurried = true;
  for (const pid of producers) {
    try {
      setPriority(pid, 0);
    } catch {
      // Gone, or not allowed to raise a priority here: it finishes at its own pace.
    }
  }
}

/**
 * The outcome of `spec`'s synthesis in this jest run: read back when it is done, waited for while a live process
 * makes it or a live producer will, else made here by `synthesize(outdir)` and kept for the rest of the run.
 */
export function cachedSynthesis(spec: SynthSpec, synthesize: (outdir: string) => SynthOutcome): SynthOutcome {
  const root = process.env[SYNTH_CACHE_ENV];
  if (!root) return synthesize(mkdtempSync(join(tmpdir(), 'cdk.out')));
  const { planned, producers } = runOf(root);
  const folder = specFolder(root, spec);
  const started = Date.now();
  for (;;) {
    const done = readOutcome(folder);
    if (done) return done;
    const owner = lockOwner(folder);
    if (owner !== undefined && !alive(owner)) {
      // Its maker died without an outcome: take the variant over.
      unlockSpec(folder);
      continue;
    }
    const coming = owner !== undefined || (planned.has(specKey(spec)) && producers.some(alive));
    if (!coming) {
      if (!lockSpec(folder)) continue;
      try {
        const raced = readOutcome(folder);
        if (raced) return raced;
        appendFileSync(join(root, MADE_IN_TESTS_FILE), `${specKey(spec)}\n`);
        const outcome = synthesize(folder);
        storeOutcome(folder, outcome);
        return outcome;
      } finally {
        unlockSpec(folder);
      }
    }
    hurry(producers);
    if (Date.now() - started > MAX_WAIT_MS) {
      throw new Error(`waited ${MAX_WAIT_MS / 60000} min for ${owner ? `process ${owner}` : 'the producers'} to synthesize ${specKey(spec)} into ${folder}`);
    }
    sleep(200);
  }
}
