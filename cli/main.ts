#!/usr/bin/env node
/**
 * `platform-stacks <command> [args]`: the operator tooling shipped with the package (package.json `bin`), e.g.
 * `npx platform-stacks drill pilot-light-failover --cdk-out cdk.out`; in this repository `npm run drill -- <args>`.
 * Each command reads the deployment from what `cdk synth` and `cdk deploy --outputs-file` leave behind and from its
 * flags, never from the reference app's config.
 */
import { runDiagramCommand } from './diagram/command';
import { runDrillCommand } from './drill/command';
import { runPostMortemCommand } from './postmortem/command';
import { runScorecardCommand } from './scorecard/command';

/** A subcommand: what `--help` says of it, and how it runs (argv after the command name; resolves to the exit code). */
interface Command {
  readonly summary: string;
  readonly run: (argv: readonly string[]) => Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  drill: {
    summary: 'print the plan of a DR drill, or run it (--execute) and write its report; platform-stacks drill --help',
    run: runDrillCommand,
  },
  diagram: {
    summary: 'draw the architecture of a synthesized platform (regions, stacks, links) as SVG with Graphviz; platform-stacks diagram --help',
    run: (argv) => runDiagramCommand(argv),
  },
  postmortem: {
    summary: 'write a blameless post-mortem prefilled from an incident, a drill report or a game-day report; platform-stacks postmortem --help',
    run: (argv) => runPostMortemCommand(argv),
  },
  scorecard: {
    summary: 'score a synthesized CDK app (cdk.out) against the production excellence scorecard and checklist; platform-stacks scorecard --help',
    run: (argv) => runScorecardCommand(argv),
  },
};

const USAGE = [
  'usage: platform-stacks <command> [args]',
  'commands:',
  ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(11)}${c.summary}`),
  '',
].join('\n');

/** Dispatches `argv` (after the program name) to its command; resolves to the exit code (2: bad input). */
export async function run(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const command = name === undefined ? undefined : COMMANDS[name];
  if (command === undefined) {
    process.stderr.write(`${name === undefined ? 'name a command' : `unknown command '${name}'`}\n${USAGE}`);
    return 2;
  }
  return command.run(rest);
}

if (require.main === module) {
  run(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(2);
    },
  );
}
