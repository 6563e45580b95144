/**
 * `platform-stacks postmortem --input <file.json> [--out <file.md>] [--owner <team>]` (`npm run postmortem -- ...`):
 * writes a blameless post-mortem prefilled from a recorded Incident Manager incident, a drill report or a game-day report.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { recognizeInput } from './inputs';
import { buildPostMortem, renderPostMortem } from './postmortem';
import type { CommandIo } from '../command-io';
import { parseFlagValues, STANDARD_IO } from '../command-io';

const USAGE = 'usage: platform-stacks postmortem --input <file.json> [--out <file.md>] [--owner <team>]\n'
  + '  --input   an incident (aws ssm-incidents get-incident-record and list-timeline-events output merged: incidentRecord + eventSummaries,\n'
  + '            optionally events with their eventData), a drill report (<drill>-<time>.json) or a game-day report\n'
  + '  --out     where to write the markdown (default: standard output)\n'
  + '  --owner   owner of the action items until the review reassigns them (default: service-team)\n';

/** What the command writes to; tests replace it. */
export type PostMortemIo = CommandIo;

/** Runs the command with `argv` (after `postmortem`); resolves to the exit code (2: bad input). */
export async function runPostMortemCommand(argv: readonly string[], io: PostMortemIo = STANDARD_IO): Promise<number> {
  const args = parseFlagValues(argv, ['--input', '--out', '--owner'], USAGE, io);
  if (typeof args === 'number') return args;
  const file = args.get('--input');
  if (file === undefined) {
    io.err(`--input is required\n${USAGE}`);
    return 2;
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    io.err(`${file}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  let markdown: string;
  try {
    markdown = renderPostMortem(buildPostMortem(recognizeInput(json, file), args.get('--owner') ?? 'service-team'));
  } catch (e) {
    io.err(`${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  const out = args.get('--out');
  if (out === undefined) {
    io.out(markdown);
  } else {
    writeFileSync(out, markdown);
    io.out(`wrote ${out}\n`);
  }
  return 0;
}
