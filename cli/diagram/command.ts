/**
 * `platform-stacks diagram [--cdk-out <dir>] [--out <file>] [--format svg|dot]`: the architecture of a synthesized
 * platform (regions, stacks, main resources and their links) drawn from its cloud assembly, as SVG through Graphviz's
 * `dot` or as the DOT source. In this repository `npm run diagram` draws the reference platform at every DR tier.
 */
import { writeFileSync } from 'node:fs';
import { readAssembly } from './assembly';
import { renderDot, renderSvg } from './dot';
import { architectureDiagram } from './graph';
import type { CommandIo } from '../command-io';
import { parseFlagValues, STANDARD_IO } from '../command-io';

const USAGE = 'usage: platform-stacks diagram [--cdk-out <dir>] [--out <file>] [--format svg|dot]\n'
  + '  --cdk-out  the cloud assembly cdk synth wrote (default: cdk.out)\n'
  + '  --out      where to write the picture (default: standard output)\n'
  + '  --format   svg (default; needs Graphviz\'s dot, Debian package graphviz) or dot (the Graphviz source)\n';

/** What the command writes to; tests replace it. */
export type DiagramIo = CommandIo;

/** The picture of the cloud assembly in `cdkOut`: SVG, or the DOT source. */
export function diagramOf(cdkOut: string, format: 'svg' | 'dot' = 'svg'): string {
  const dot = renderDot(architectureDiagram(readAssembly(cdkOut)));
  return format === 'dot' ? dot : renderSvg(dot);
}

/** Runs the command with `argv` (after `diagram`); resolves to the exit code (2: bad input). */
export async function runDiagramCommand(argv: readonly string[], io: DiagramIo = STANDARD_IO): Promise<number> {
  const args = parseFlagValues(argv, ['--cdk-out', '--out', '--format'], USAGE, io);
  if (typeof args === 'number') return args;
  const format = args.get('--format') ?? 'svg';
  if (format !== 'svg' && format !== 'dot') {
    io.err(`--format ${format}: use svg or dot\n${USAGE}`);
    return 2;
  }
  let picture: string;
  try {
    picture = diagramOf(args.get('--cdk-out') ?? 'cdk.out', format);
  } catch (e) {
    io.err(`${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  const out = args.get('--out');
  if (out === undefined) {
    io.out(picture);
  } else {
    writeFileSync(out, picture);
    io.out(`wrote ${out}\n`);
  }
  return 0;
}
