/**
 * `platform-stacks scorecard <cloud assembly> [--format table|markdown|json] [--min N]` (`npm run scorecard -- cdk.out`):
 * scores any synthesized CDK app against the production excellence scorecard and the operational checklist.
 */
import { AssemblyError, readAssembly } from './assembly';
import { scoreAll } from './checklist';
import { Index } from './model';
import type { Scorecard } from './model';
import { renderMarkdown, renderTable } from './render';
import type { CommandIo } from '../command-io';
import { STANDARD_IO } from '../command-io';

export type { AreaScore, ChecklistResult, Evidence, Missing, Scorecard } from './model';

const USAGE = 'usage: platform-stacks scorecard <cloud assembly dir> [--format table|markdown|json] [--min N]\n'
  + '  <dir>      what `cdk synth` wrote (cdk.out): manifest.json, templates, metadata\n'
  + '  --format   table (default), markdown or json (the report: areas, checklist, total, max)\n'
  + '  --min N    exit 1 when the total is below N (0-18): a CI gate, e.g. --min 15\n';

/** What the command writes to; tests replace it. */
export type ScorecardIo = CommandIo;

/** Scores the cloud assembly in `directory`. */
export function scoreAssembly(directory: string): Scorecard {
  const { areas, checklist } = scoreAll(new Index(readAssembly(directory)));
  return { areas, checklist, total: areas.reduce((sum, a) => sum + a.level, 0), max: 18 };
}

/** Runs the command with `argv` (after `scorecard`); resolves to the exit code (1: below --min, 2: bad input). */
export async function runScorecardCommand(argv: readonly string[], io: ScorecardIo = STANDARD_IO): Promise<number> {
  let directory: string | undefined;
  let format = 'table';
  let min: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      io.out(USAGE);
      return 0;
    }
    if (a === '--format' || a === '--min') {
      const value = argv[++i];
      if (value === undefined) {
        io.err(`${a} needs a value\n${USAGE}`);
        return 2;
      }
      if (a === '--format') {
        if (!['table', 'markdown', 'json'].includes(value)) {
          io.err(`--format ${value} is not a format: use table, markdown or json\n`);
          return 2;
        }
        format = value;
      } else {
        min = Number(value);
        if (!/^\d+$/.test(value) || min > 18) {
          io.err(`--min ${value} is not a score: use a whole number from 0 to 18 (e.g. --min 15)\n`);
          return 2;
        }
      }
    } else if (a.startsWith('--') || directory !== undefined) {
      io.err(`unknown argument '${a}'\n${USAGE}`);
      return 2;
    } else {
      directory = a;
    }
  }
  if (directory === undefined) {
    io.err(`name the cloud assembly directory (e.g. cdk.out)\n${USAGE}`);
    return 2;
  }
  let card: Scorecard;
  try {
    card = scoreAssembly(directory);
  } catch (e) {
    if (e instanceof AssemblyError || (e as NodeJS.ErrnoException).code !== undefined || e instanceof SyntaxError) {
      io.err(`${e instanceof Error ? e.message : String(e)}\n`);
      return 2;
    }
    throw e;
  }
  io.out(format === 'json' ? `${JSON.stringify(card, null, 2)}\n` : format === 'markdown' ? renderMarkdown(card) : renderTable(card));
  if (min !== undefined && card.total < min) {
    io.err(`scorecard: total ${card.total} is below --min ${min}\n`);
    return 1;
  }
  return 0;
}
