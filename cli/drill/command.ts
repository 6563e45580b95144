/**
 * `platform-stacks drill ...` on a terminal (see ./cli.ts): prompts on stdin, AWS SDK v3 clients, and SIGINT, which stops
 * the drill after the current step (on the SSM Automation path: cancels the automation) and writes the report as
 * aborted; a second SIGINT exits at once.
 */
import { createInterface } from 'node:readline/promises';
import { SdkAwsCaller } from './aws';
import { main } from './cli';

/** Runs the drill command with `argv` (after `drill`); returns the exit code. */
export async function runDrillCommand(argv: readonly string[]): Promise<number> {
  const abort = new AbortController();
  const onSigint = (): void => {
    if (abort.signal.aborted) process.exit(130);
    process.stderr.write('\nSIGINT: stopping after the current step, or cancelling the SSM automation (again to exit now)\n');
    abort.abort();
  };
  const confirm = async (message: string, timeoutMs: number): Promise<boolean> => {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const timer = AbortSignal.timeout(Math.max(1, timeoutMs));
    try {
      const answer = await rl.question(`${message}\nType yes to go on: `, { signal: AbortSignal.any([timer, abort.signal]) });
      return answer.trim().toLowerCase() === 'yes';
    } catch {
      return false;
    } finally {
      rl.close();
    }
  };
  let caller: SdkAwsCaller | undefined;
  process.on('SIGINT', onSigint);
  try {
    const out = (text: string): void => {
      process.stdout.write(text);
    };
    const { code } = await main(argv, { out, aws: () => (caller ??= new SdkAwsCaller()), confirm, signal: abort.signal });
    return code;
  } finally {
    process.off('SIGINT', onSigint);
    caller?.destroy();
  }
}
