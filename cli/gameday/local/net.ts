/**
 * Small building blocks for tests that start real servers on this machine: a free loopback port, polling until a
 * condition holds, and cleanup of processes that a crashed test would otherwise leave behind.
 */
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` every `intervalMs` until it returns a value (not undefined) or `timeoutMs` passes, then fails naming
 * `what` and the last error. The timeout is a safety net for a broken service, not an assertion about speed.
 */
export async function waitFor<T>(
  what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000, intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await sleep(intervalMs);
  }
}

const exitHooks = new Set<() => void>();
let exitHookInstalled = false;

/**
 * Registers a synchronous cleanup (kill a server, remove a directory) that runs when the process exits without the
 * test's own cleanup having run (a crashed or killed jest worker). Returns the function that unregisters it.
 */
export function onProcessExit(hook: () => void): () => void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const h of exitHooks) {
        try { h(); } catch { /* best effort at exit: nothing left to report to */ }
      }
    });
  }
  exitHooks.add(hook);
  return () => { exitHooks.delete(hook); };
}
