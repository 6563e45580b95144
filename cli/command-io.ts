/**
 * What the CLI's subcommands share: where they write (tests pass their own), and the parsing of `--flag value` options.
 */

/** What a command writes to; tests replace it. */
export interface CommandIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** Standard output and standard error. */
export const STANDARD_IO: CommandIo = {
  out: (t) => { process.stdout.write(t); },
  err: (t) => { process.stderr.write(t); },
};

/**
 * The `--flag value` pairs of `argv` whose flag is in `allowed`. `--help`/`-h` prints `usage` and resolves to 0; an
 * unknown argument or a flag without a value is reported with `usage` and resolves to 2 (bad input).
 */
export function parseFlagValues(argv: readonly string[], allowed: readonly string[], usage: string, io: CommandIo): Map<string, string> | number {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      io.out(usage);
      return 0;
    }
    if (!allowed.includes(a) || argv[i + 1] === undefined) {
      io.err(`${argv[i + 1] === undefined && a.startsWith('--') ? `${a} needs a value` : `unknown argument '${a}'`}\n${usage}`);
      return 2;
    }
    args.set(a, argv[++i]);
  }
  return args;
}
