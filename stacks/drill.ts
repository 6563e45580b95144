/**
 * Entry of `npm run drill -- <drill> [--execute] ...` (see stacks/drill/cli.ts). SIGINT stops the drill after
 * the current step (on the SSM Automation path: cancels the automation) and writes the report as aborted; a second
 * SIGINT exits at once.
 */
import { createInterface } from 'node:readline/promises';
import { SdkAwsCaller } from './drill/aws';
import { main } from './drill/cli';

const abort = new AbortController();
process.on('SIGINT', () => {
  if (abort.signal.aborted) process.exit(130);
  process.stderr.write('\nSIGINT: stopping after the current step, or cancelling the SSM automation (again to exit now)\n');
  abort.abort();
});

async function confirm(message: string, timeoutMs: number): Promise<boolean> {
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
}

const caller = new SdkAwsCaller();
main(process.argv.slice(2), { out: (t) => process.stdout.write(t), aws: () => caller, confirm, signal: abort.signal })
  .then(({ code }) => {
    caller.destroy();
    process.exit(code);
  })
  .catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  });
