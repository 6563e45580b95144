/** Exponential backoff shared by everything that retries AWS throttling (drill runner, restore validation). */

/** Inputs of {@link backoffDelayMs}. */
export interface BackoffOptions {
  /** Backoff ceiling of the first retry in ms; doubles each retry. */
  readonly baseDelayMs: number;
  /** Largest backoff ceiling in ms. */
  readonly maxDelayMs: number;
  /** A number in [0, 1) (injected so tests are deterministic). */
  readonly random: () => number;
}

/**
 * The wait before retry `retry` (1-based) with full jitter: uniform in
 * [0, min(maxDelayMs, baseDelayMs * 2^(retry-1))) — the AWS Architecture Blog's "full jitter".
 */
export function backoffDelayMs(retry: number, options: BackoffOptions): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(options.random() * ceiling);
}
