import type { CircuitBreakerPolicy, GeneratorFn, IPolicy } from 'cockatiel';
import {
  bulkhead, circuitBreaker, CircuitState, ConsecutiveBreaker, ExponentialBackoff, handleWhen, isBrokenCircuitError,
  isBulkheadRejectedError, retry, TaskCancelledError, timeout, TimeoutStrategy, wrap,
} from 'cockatiel';
import type { Logger } from './logger';
import type { BreakerStateName, DataMetrics } from './metrics';
import { BREAKER_STATES } from './metrics';

/**
 * The platform's resilience numbers (the table), before TIME_SCALE: idempotent reads retry 1-2-4-8 s with
 * full jitter; the database breaker opens after 2 failures and is probed every 30 s (5 s timeout); the cache is
 * checked every 15 s (1 s timeout) and bypassed after 5 failures.
 */
export const PLATFORM_RESILIENCE = {
  retry: { retries: 4, initialDelayMs: 1000, maxDelayMs: 8000 },
  database: { breakerFailures: 2, healthIntervalMs: 30_000, healthTimeoutMs: 5000, connectTimeoutMs: 5000 },
  cache: { breakerFailures: 5, healthIntervalMs: 15_000, healthTimeoutMs: 1000, callTimeoutMs: 1000 },
} as const;

/** Full jitter (AWS Builders' Library): a delay drawn uniformly from [0, min(cap, base * 2^attempt)). */
export function fullJitter(random: () => number): GeneratorFn<number> {
  return (attempt = 0, options) => {
    const ceiling = Math.min(options.maxDelay, options.initialDelay * options.exponent ** attempt);
    return [Math.floor(random() * ceiling), attempt + 1];
  };
}

/**
 * The `error_type` of a failed dependency call: `timeout` (the policy's, or the client's own: pg's query and connect
 * timeouts, ioredis' command timeout), else the error's code (SQLSTATE, ECONNREFUSED...), else its name.
 */
export function errorType(error: unknown): string {
  // (instanceof: cockatiel 3.2's isTaskCancelledError also matches bulkhead rejections)
  if (error instanceof TaskCancelledError) return 'timeout';
  if (error instanceof Error && /timeout|timed out/i.test(error.message)) return 'timeout';
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code !== '') return code;
  return error instanceof Error ? error.name : 'unknown';
}

/** The error a caller gets when a dependency refuses work: the response is 503 with this Retry-After. */
export class DependencyUnavailableError extends Error {
  constructor(readonly dependency: string, readonly reason: 'circuit_open' | 'bulkhead_full' | 'failed', readonly retryAfterSeconds: number, cause?: unknown) {
    super(`${dependency} unavailable (${reason})`, { cause });
  }
}

export interface DependencyOptions {
  /** `database`, `cache`: the `dependency` label. */
  readonly name: string;
  /** Timeout of one call (innermost policy). */
  readonly timeoutMs: number;
  /** Consecutive failures that open the breaker. */
  readonly breakerFailures: number;
  /** Health-check period; also how long the breaker stays open before a half-open probe. */
  readonly healthIntervalMs: number;
  readonly healthTimeoutMs: number;
  /** The health check (a `SELECT 1`, a `PING`); runs through the breaker, so it is the half-open probe too. */
  readonly healthCheck: () => Promise<unknown>;
  /** Concurrent calls, and calls allowed to wait for a slot; beyond that calls are rejected at once. */
  readonly bulkhead: { readonly limit: number; readonly queue: number };
  /** Retries of idempotent reads (undefined: none). */
  readonly retry?: { readonly retries: number; readonly initialDelayMs: number; readonly maxDelayMs: number; readonly random: () => number };
  /** Whether an error means the dependency is failing (counts for the breaker, and reads retry it). */
  readonly isFailure: (error: Error) => boolean;
  readonly metrics: DataMetrics;
  readonly logger: Logger;
}

const STATE_NAMES: Record<CircuitState, BreakerStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'isolated',
};

/**
 * The policies of one dependency, composed once and reused (STYLE.md "Runtime resilience"): a bulkhead outermost,
 * retries (reads only), the circuit breaker, a timeout innermost. A health check runs through the same breaker on a
 * timer, so a dependency that is down opens the breaker without traffic, and one that is back closes it by itself.
 */
export class Dependency {
  readonly breaker: CircuitBreakerPolicy;
  /** For idempotent reads: bulkhead, retry, breaker, timeout. */
  readonly read: IPolicy;
  /** For writes and other non-idempotent calls: bulkhead, breaker, timeout. */
  readonly write: IPolicy;
  private readonly health: IPolicy;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private checking: Promise<void> | undefined;

  constructor(private readonly options: DependencyOptions) {
    const { name, metrics, logger } = options;
    const isFailure = handleWhen((e) => !isBrokenCircuitError(e) && !isBulkheadRejectedError(e) && options.isFailure(e));
    this.breaker = circuitBreaker(isFailure, {
      halfOpenAfter: options.healthIntervalMs,
      breaker: new ConsecutiveBreaker(options.breakerFailures),
    });
    const limit = bulkhead(options.bulkhead.limit, options.bulkhead.queue);
    const callTimeout = timeout(options.timeoutMs, TimeoutStrategy.Aggressive);
    this.write = wrap(limit, this.breaker, callTimeout);
    if (options.retry) {
      const { retries, initialDelayMs, maxDelayMs, random } = options.retry;
      const reads = retry(isFailure, {
        maxAttempts: retries,
        backoff: new ExponentialBackoff({ generator: fullJitter(random), initialDelay: initialDelayMs, maxDelay: maxDelayMs, exponent: 2 }),
      });
      reads.onRetry((event) => {
        metrics.retries.inc({ dependency: name });
        const error = 'error' in event ? event.error.message : 'unexpected result';
        logger.warn({ dependency: name, attempt: event.attempt, delay_ms: event.delay, error }, 'retrying');
      });
      this.read = wrap(limit, reads, this.breaker, callTimeout);
    } else {
      this.read = this.write;
    }
    this.health = wrap(this.breaker, timeout(options.healthTimeoutMs, TimeoutStrategy.Aggressive));

    limit.onReject(() => metrics.bulkheadRejections.inc({ dependency: name }));
    const setState = (state: CircuitState): void => {
      for (const s of BREAKER_STATES) metrics.breakerState.set({ dependency: name, state: s }, s === STATE_NAMES[state] ? 1 : 0);
    };
    setState(CircuitState.Closed);
    this.breaker.onStateChange((state) => setState(state));
    this.breaker.onBreak((reason) => {
      const error = 'error' in reason ? reason.error.message : 'isolated';
      logger.error({ dependency: name, error }, 'circuit breaker open');
    });
    this.breaker.onHalfOpen(() => logger.info({ dependency: name }, 'circuit breaker half-open: probing'));
    this.breaker.onReset(() => logger.info({ dependency: name }, 'circuit breaker closed'));
  }

  get state(): BreakerStateName {
    return STATE_NAMES[this.breaker.state];
  }

  /** Seconds a caller should wait before retrying while this dependency refuses work. */
  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.options.healthIntervalMs / 1000));
  }

  /** Runs one health check now (through the breaker). Resolves true when it passed. */
  async checkHealth(): Promise<boolean> {
    try {
      await this.health.execute(() => this.options.healthCheck());
      return true;
    } catch (e) {
      if (!isBrokenCircuitError(e)) {
        this.options.logger.warn({ dependency: this.options.name, error: (e as Error).message }, 'health check failed');
      }
      return false;
    }
  }

  /** Starts the periodic health checks. */
  startHealthChecks(): void {
    const schedule = (): void => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        this.checking = this.checkHealth().then(() => undefined);
        void this.checking.then(schedule);
      }, this.options.healthIntervalMs);
      this.timer.unref();
    };
    schedule();
  }

  /** Stops the health checks (waits for one in progress). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.checking;
  }

  /**
   * What a caller answers for an error of this dependency's policies: a {@link DependencyUnavailableError} (503 +
   * Retry-After) when the dependency refused or failed the work; any other error (a bug, a rejected statement) as is.
   */
  classify(error: unknown): Error {
    if (isBrokenCircuitError(error)) return new DependencyUnavailableError(this.options.name, 'circuit_open', this.retryAfterSeconds, error);
    if (isBulkheadRejectedError(error)) return new DependencyUnavailableError(this.options.name, 'bulkhead_full', 1, error);
    if (error instanceof Error && this.options.isFailure(error)) return new DependencyUnavailableError(this.options.name, 'failed', 1, error);
    return error instanceof Error ? error : new Error(String(error));
  }
}
