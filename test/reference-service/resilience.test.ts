/**
 * The resilience policies as composed for each dependency (cockatiel): retries are bounded, exponential with full
 * jitter, only for reads and only for dependency failures; the breaker opens after the configured consecutive
 * failures and the health check closes it again. Delays are asserted as the values the policy chose (from its log
 * lines and an injected random source), never as measured durations.
 */
import { TaskCancelledError } from 'cockatiel';
import { Registry } from 'prom-client';
import type { DependencyOptions } from '../../reference-service/src';
import { Dependency, DependencyUnavailableError, fullJitter, PLATFORM_RESILIENCE } from '../../reference-service/src';
import { createLogger } from '../../reference-service/src/logger';
import { createDataMetrics } from '../../reference-service/src/metrics';
import { metricValue } from './fixture';

const connectionRefused = (): Error => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

function dependency(overrides: Partial<DependencyOptions> = {}): { dep: Dependency; lines: Array<Record<string, unknown>>; registry: Registry } {
  const lines: Array<Record<string, unknown>> = [];
  const registry = new Registry();
  const dep = new Dependency({
    name: 'database',
    timeoutMs: 1000,
    breakerFailures: 100,
    healthIntervalMs: 20,
    healthTimeoutMs: 100,
    healthCheck: async () => undefined,
    bulkhead: { limit: 2, queue: 0 },
    retry: { retries: 4, initialDelayMs: 10, maxDelayMs: 80, random: Math.random },
    isFailure: () => true,
    metrics: createDataMetrics(registry),
    logger: createLogger('test', (line) => lines.push(JSON.parse(line) as Record<string, unknown>)),
    ...overrides,
  });
  return { dep, lines, registry };
}

describe('retries of idempotent reads', () => {
  test('are bounded (4 retries, 5 attempts) with full-jitter delays drawn below 1-2-4-8 x the base', async () => {
    const draws = [0.5, 0.25, 0.9, 0.1];
    let i = 0;
    const { dep, lines, registry } = dependency({ retry: { retries: 4, initialDelayMs: 10, maxDelayMs: 80, random: () => draws[i++] } });
    let attempts = 0;
    await expect(dep.read.execute(() => { attempts += 1; throw connectionRefused(); })).rejects.toThrow(/ECONNREFUSED/);
    expect(attempts).toBe(5);
    const retries = lines.filter((l) => l.msg === 'retrying');
    // floor(draw x min(80, 10 x 2^n)): 0.5 x 10, 0.25 x 20, 0.9 x 40, 0.1 x 80.
    expect(retries.map((l) => l.delay_ms)).toEqual([5, 5, 36, 8]);
    expect(retries.every((l) => l.dependency === 'database')).toBe(true);
    expect(metricValue(await registry.metrics(), 'dependency_retries_total', { dependency: 'database' })).toBe(4);
  });

  test('the platform numbers: ceilings 1, 2, 4, 8 s (never above 8 s), scaled by TIME_SCALE in tests', () => {
    const { initialDelayMs, maxDelayMs, retries } = PLATFORM_RESILIENCE.retry;
    expect({ initialDelayMs, maxDelayMs, retries }).toEqual({ initialDelayMs: 1000, maxDelayMs: 8000, retries: 4 });
    const ceilingOf = fullJitter(() => 0.999999);
    const nothing = fullJitter(() => 0);
    const options = { initialDelay: initialDelayMs, maxDelay: maxDelayMs, exponent: 2, generator: ceilingOf };
    const ceilings: number[] = [];
    let state: number | undefined;
    for (let n = 0; n < 6; n++) {
      const [delay, next] = ceilingOf(state, options);
      ceilings.push(delay);
      expect(nothing(state, options)[0]).toBe(0);
      state = next;
    }
    expect(ceilings).toEqual([999, 1999, 3999, 7999, 7999, 7999]);
  });

  test('stop at errors that are not dependency failures, and writes are never retried', async () => {
    const { dep } = dependency({ isFailure: (e) => (e as Error & { code?: string }).code === 'ECONNREFUSED' });
    let reads = 0;
    await expect(dep.read.execute(() => { reads += 1; throw new Error('duplicate key value violates unique constraint'); })).rejects.toThrow(/duplicate/);
    expect(reads).toBe(1);
    let writes = 0;
    await expect(dep.write.execute(() => { writes += 1; throw connectionRefused(); })).rejects.toThrow(/ECONNREFUSED/);
    expect(writes).toBe(1);
  });

  test('stop as soon as the breaker opens: no retry storm against a dependency that is down', async () => {
    const { dep, lines } = dependency({ breakerFailures: 2, healthIntervalMs: 60_000 });
    let attempts = 0;
    const error = await dep.read.execute(() => { attempts += 1; throw connectionRefused(); }).catch((e: unknown) => e);
    expect(attempts).toBe(2);
    expect(dep.state).toBe('open');
    expect(dep.classify(error)).toBeInstanceOf(DependencyUnavailableError);
    expect(lines.filter((l) => l.msg === 'circuit breaker open')).toHaveLength(1);
    await dep.stop();
  });
});

describe('circuit breaker, bulkhead and health checks', () => {
  test('the breaker opens after N consecutive failures, refuses calls at once, and a passing health check closes it', async () => {
    let healthy = false;
    const { dep, registry } = dependency({
      breakerFailures: 2, retry: undefined, healthIntervalMs: 500, healthCheck: async () => { if (!healthy) throw connectionRefused(); },
    });
    const calls: number[] = [];
    for (let n = 0; n < 4; n++) await dep.write.execute(() => { calls.push(n); throw connectionRefused(); }).catch(() => undefined);
    expect(calls).toEqual([0, 1]); // the 3rd and 4th were refused without a call
    expect(dep.state).toBe('open');
    const refused = await dep.write.execute(() => 'never').catch((e: unknown) => dep.classify(e));
    expect(refused).toMatchObject({ reason: 'circuit_open', retryAfterSeconds: 1 });
    expect(metricValue(await registry.metrics(), 'circuit_breaker_state', { dependency: 'database', state: 'open' })).toBe(1);

    healthy = true;
    await new Promise((r) => setTimeout(r, 600)); // past halfOpenAfter (the 500 ms health interval)
    expect(await dep.checkHealth()).toBe(true);
    expect(dep.state).toBe('closed');
    expect(metricValue(await registry.metrics(), 'circuit_breaker_state', { dependency: 'database', state: 'closed' })).toBe(1);
  });

  test('failing health checks alone open the breaker (no traffic needed)', async () => {
    const { dep } = dependency({ breakerFailures: 2, healthCheck: async () => { throw connectionRefused(); } });
    expect(await dep.checkHealth()).toBe(false);
    expect(dep.state).toBe('closed');
    expect(await dep.checkHealth()).toBe(false);
    expect(dep.state).toBe('open');
  });

  test('the bulkhead admits limit + queue calls and rejects the rest at once', async () => {
    const { dep, registry } = dependency({ bulkhead: { limit: 2, queue: 1 }, retry: undefined });
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const results = Array.from({ length: 5 }, () => dep.write.execute(() => gate).then(() => 'ok', (e: unknown) => dep.classify(e)));
    release();
    const settled = await Promise.all(results);
    expect(settled.filter((r) => r === 'ok')).toHaveLength(3);
    expect(settled.filter((r) => r instanceof DependencyUnavailableError && r.reason === 'bulkhead_full')).toHaveLength(2);
    expect(metricValue(await registry.metrics(), 'bulkhead_rejections_total', { dependency: 'database' })).toBe(2);
  });

  test('a call slower than the timeout fails as a timeout and counts for the breaker', async () => {
    const { dep } = dependency({ timeoutMs: 20, breakerFailures: 1, retry: undefined });
    const error = await dep.write.execute(() => new Promise((r) => setTimeout(r, 500))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskCancelledError);
    expect(dep.state).toBe('open');
  });
});
