/**
 * Failure modes of the reference service against real PostgreSQL and Redis (TLS), reached through TCP proxies so
 * the tests can also slow them down or cut them off: Redis stopping (bypass, no failed request, recovery), a cache
 * partition (invalidations replayed before L2 is used again), PostgreSQL stopping (breaker, cached and stale reads,
 * 503 + Retry-After for writes, recovery by itself), a slow database (timeouts, bounded queues) and overload (shed
 * with 503 at admission). TIME_SCALE=0.01 shrinks the platform's intervals (health checks every 300 ms / 150 ms,
 * retries 10-20-40-80 ms); assertions are on states and counts, not on durations.
 */
import { sleep, waitFor } from '../../cli/gameday/local/net';
import type { Dependencies, LogLine, RunningService } from './fixture';
import { platformEnv, startDependencies, startService, stopServices } from './fixture';

let deps: Dependencies;

beforeAll(async () => {
  deps = await startDependencies({ proxy: true });
});

beforeEach(() => {
  deps.redis.cli('FLUSHALL');
});

afterEach(async () => {
  await stopServices();
  // Whatever a failed test left behind: dependencies up, proxies transparent.
  if (!deps.redis.running) await deps.redis.start();
  if (!deps.pg.running) await deps.pg.start();
  for (const proxy of [deps.dbProxy, deps.cacheProxy]) {
    if (proxy) {
      proxy.delayMs = 0;
      proxy.refuse = false;
    }
  }
});

afterAll(async () => {
  await deps?.close();
});

const SCALED = { TIME_SCALE: '0.01' };

/** Reads in a loop until stopped; every status is kept. */
function readLoop(svc: RunningService, ids: readonly string[]): { stop(): Promise<number[]> } {
  const statuses: number[] = [];
  let running = true;
  const loop = (async () => {
    for (let i = 0; running; i++) {
      const res = await svc.get(`/items/${ids[i % ids.length]}`);
      await res.arrayBuffer();
      statuses.push(res.status);
    }
  })();
  return { stop: async () => { running = false; await loop; return statuses; } };
}

const breakerState = async (svc: RunningService, dependency: string): Promise<string | undefined> => {
  for (const state of ['closed', 'open', 'half_open']) {
    if (await svc.metric('circuit_breaker_state', { dependency, state }) === 1) return state;
  }
  return undefined;
};

const linesOf = (svc: RunningService, requestId: string | null): LogLine[] => svc.lines.filter((l) => l.request_id === requestId);

describe('cache outage', () => {
  test('stopping Redis switches reads to bypass after 5 failures with no failed request, and back when it returns', async () => {
    // L1 off, so every read would reach L2.
    const svc = await startService(platformEnv(deps, { ...SCALED, CACHE_L1_MAX_ITEMS: '0' }));
    const ids = Array.from({ length: 10 }, (_, i) => String(100 + i));
    for (const id of ids) await (await svc.get(`/items/${id}`)).arrayBuffer();
    expect(await svc.metric('cache_requests_total', { tier: 'l2', result: 'miss' })).toBe(10);
    const reads = readLoop(svc, ids);

    await deps.redis.stop();
    await waitFor('the L2 bypass', async () => (await svc.metric('cache_bypass_active', { tier: 'l2' }) === 1 ? true : undefined));
    const errorsAtBypass = await svc.metric('cache_requests_total', { tier: 'l2', result: 'error' });
    // At most the breaker's 5 consecutive failures reached L2 from requests (health checks may have made some).
    expect(errorsAtBypass).toBeLessThanOrEqual(5);
    expect(svc.lines.filter((l) => l.msg === 'circuit breaker open' && l.dependency === 'cache').length).toBeGreaterThanOrEqual(1);
    // While bypassed, reads go L1 → database and make no L2 calls at all.
    const bypassedBefore = await svc.metric('cache_requests_total', { tier: 'l2', result: 'bypass' });
    await waitFor('reads during the bypass', async () => (await svc.metric('cache_requests_total', { tier: 'l2', result: 'bypass' }) >= bypassedBefore + 20 ? true : undefined));
    expect(await svc.metric('cache_requests_total', { tier: 'l2', result: 'error' })).toBe(errorsAtBypass);
    // Readiness never depends on the cache.
    expect((await svc.get('/ready')).status).toBe(200);

    await deps.redis.start();
    await waitFor('the bypass to end', async () => (await svc.metric('cache_bypass_active', { tier: 'l2' }) === 0 ? true : undefined));
    const hitsBefore = await svc.metric('cache_requests_total', { tier: 'l2', result: 'hit' });
    await waitFor('L2 hits again', async () => (await svc.metric('cache_requests_total', { tier: 'l2', result: 'hit' }) > hitsBefore ? true : undefined));
    const statuses = await reads.stop();
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(svc.lines.some((l) => l.msg === 'cache bypass ended')).toBe(true);
  });

  test('an invalidation that cannot reach L2 is replayed before the bypass ends: no stale read after recovery', async () => {
    const svc = await startService(platformEnv(deps, { ...SCALED, CACHE_L1_MAX_ITEMS: '0' }));
    await (await svc.get('/items/150')).arrayBuffer();
    expect((await svc.get('/items/150')).headers.get('x-cache')).toBe('L2');
    const proxy = deps.cacheProxy;
    if (!proxy) throw new Error('the cache proxy is missing');
    proxy.refuse = true;
    proxy.cutConnections();

    const order = await svc.order('partition-1', { itemId: '150', quantity: 7 });
    expect({ status: order.status, body: await order.json() as unknown, logs: order.status === 201 ? [] : svc.lines.slice(-15) })
      .toMatchObject({ status: 201 });
    // Redis still holds the old entry: only the service's path to it is cut.
    expect(deps.redis.cli('EXISTS', 'checkout:v1:item:150')).toBe('1');
    expect(await svc.metric('cache_invalidation_failures_total')).toBeGreaterThanOrEqual(1);
    await waitFor('the L2 bypass', async () => (await svc.metric('cache_bypass_active', { tier: 'l2' }) === 1 ? true : undefined));
    const during = await svc.get('/items/150');
    expect(during.headers.get('x-cache')).toBe('DB');
    expect(await during.json()).toMatchObject({ stock: 993 });

    proxy.refuse = false;
    await waitFor('the bypass to end', async () => (await svc.metric('cache_bypass_active', { tier: 'l2' }) === 0 ? true : undefined));
    expect(deps.redis.cli('EXISTS', 'checkout:v1:item:150')).toBe('0');
    const after = await svc.get('/items/150');
    expect(after.headers.get('x-cache')).toBe('DB');
    expect(await after.json()).toMatchObject({ stock: 993 });
    expect(svc.lines.some((l) => l.msg === 'replayed cache invalidations')).toBe(true);
  });

  test('the service starts and turns ready with Redis down (bypassed), and uses L2 once it is up', async () => {
    await deps.redis.stop();
    const svc = await startService(platformEnv(deps, { ...SCALED, CACHE_L1_MAX_ITEMS: '0' }));
    expect((await svc.get('/ready')).status).toBe(200);
    expect((await svc.get('/items/160')).status).toBe(200);
    await waitFor('the L2 bypass', async () => (await svc.metric('cache_bypass_active', { tier: 'l2' }) === 1 ? true : undefined));
    await deps.redis.start();
    await waitFor('the bypass to end', async () => (await svc.metric('cache_bypass_active', { tier: 'l2' }) === 0 ? true : undefined));
    await (await svc.get('/items/160')).arrayBuffer();
    expect((await svc.get('/items/160')).headers.get('x-cache')).toBe('L2');
  });
});

describe('database outage', () => {
  test('stopping PostgreSQL opens the breaker: cached and stale reads are served, writes get 503 + Retry-After, then it recovers by itself', async () => {
    const svc = await startService(platformEnv(deps, { ...SCALED, CACHE_L1_TTL_SECONDS: '1' }));
    await (await svc.get('/items/200')).arrayBuffer();
    await (await svc.get('/items?popular&limit=3')).arrayBuffer();

    await deps.pg.stop();
    const miss = await svc.get('/items/201', { 'x-request-id': 'outage-read' });
    expect(miss.status).toBe(503);
    expect(miss.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    // Its retries were bounded and jittered below the (scaled) 10-20-40-80 ms ceilings, and logged with its request id.
    const retries = linesOf(svc, 'outage-read').filter((l) => l.msg === 'retrying');
    expect(retries.length).toBeGreaterThanOrEqual(1);
    expect(retries.length).toBeLessThanOrEqual(4);
    retries.forEach((l, n) => {
      expect(l.delay_ms).toBeLessThan(10 * 2 ** n);
      expect(l.trace_id).toBe(linesOf(svc, 'outage-read').find((x) => x.msg === 'request')?.trace_id);
    });
    await waitFor('the database breaker to open', async () => ((await breakerState(svc, 'database')) !== 'closed' ? true : undefined));

    // Graceful degradation: cached items and the popular list are still served.
    const cached = await svc.get('/items/200');
    expect(cached.status).toBe(200);
    expect(['L1', 'L2']).toContain(cached.headers.get('x-cache'));
    deps.redis.cli('FLUSHALL');
    await sleep(1100); // the popular list's L1 entry expires: only its stale copy is left
    const popular = await svc.get('/items?popular&limit=3');
    expect(popular.status).toBe(200);
    expect(popular.headers.get('x-cache')).toBe('STALE');
    expect(((await popular.json()) as { items: unknown[] }).items).toHaveLength(3);

    const write = await svc.order('outage-write', { itemId: '200', quantity: 1 });
    expect(write.status).toBe(503);
    expect(write.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(await write.json()).toMatchObject({ error: 'database unavailable' });
    expect((await svc.get('/ready')).status).toBe(200);

    await deps.pg.start();
    await waitFor('the database breaker to close', async () => ((await breakerState(svc, 'database')) === 'closed' ? true : undefined));
    expect((await svc.order('outage-write', { itemId: '200', quantity: 1 })).status).toBe(201);
    expect((await svc.get('/items/201')).status).toBe(200);
    expect(svc.lines.filter((l) => l.msg === 'circuit breaker closed' && l.dependency === 'database').length).toBeGreaterThanOrEqual(1);
  });

  test('a slow database triggers timeouts and bulkhead rejections, answered at once with 503: no unbounded queue', async () => {
    const svc = await startService(platformEnv(deps, { ...SCALED, DB_POOL_MAX: '4', DB_QUERY_TIMEOUT_MS: '250', CACHE_L1_MAX_ITEMS: '0' }));
    expect((await svc.get('/items/300')).status).toBe(200);
    const proxy = deps.dbProxy;
    if (!proxy) throw new Error('the database proxy is missing');
    proxy.delayMs = 800;

    const ids = Array.from({ length: 40 }, (_, i) => String(301 + i));
    const responses = await Promise.all(ids.map(async (id) => {
      const res = await svc.get(`/items/${id}`);
      return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() as { reason?: string } };
    }));
    expect(responses.filter((r) => r.status !== 503)).toEqual([]);
    expect(responses.filter((r) => r.retryAfter === null)).toEqual([]);
    const reasons = responses.map((r) => r.body.reason);
    expect(reasons.filter((r) => !['failed', 'bulkhead_full', 'circuit_open'].includes(r ?? ''))).toEqual([]);
    // 4 calls at a time plus 4 waiting: the rest were refused at admission to the database, not queued.
    const rejected = reasons.filter((r) => r === 'bulkhead_full').length;
    expect(rejected).toBeGreaterThan(0);
    expect(await svc.metric('bulkhead_rejections_total', { dependency: 'database' })).toBe(rejected);
    expect(await svc.metric('db_client_operation_duration_seconds_count', { db_system_name: 'postgresql', error_type: 'timeout' })).toBeGreaterThan(0);
    expect(await svc.metric('http_server_active_requests')).toBe(0);

    proxy.delayMs = 0;
    await waitFor('reads to succeed again', async () => ((await svc.get('/items/341')).status === 200 ? true : undefined));
    expect(await breakerState(svc, 'database')).toBe('closed');
  });
});

describe('overload', () => {
  test('requests beyond MAX_IN_FLIGHT are shed at once with 503 + Retry-After, before the admitted ones finish', async () => {
    const svc = await startService(platformEnv(deps, { MAX_IN_FLIGHT: '4', FAULT_INJECTION_ENABLED: 'true', FAULT_ADDED_LATENCY_MS: '1500' }));
    const completed: number[] = [];
    const responses = await Promise.all(Array.from({ length: 20 }, async (_, i) => {
      const res = await svc.get(`/items/${400 + i}`);
      const body = await res.json() as { reason?: string };
      completed.push(res.status);
      return { status: res.status, retryAfter: res.headers.get('retry-after'), reason: body.reason };
    }));
    const shed = responses.filter((r) => r.status === 503);
    expect(shed).toHaveLength(16);
    expect(shed.every((r) => r.retryAfter === '1' && r.reason === 'shed')).toBe(true);
    expect(responses.filter((r) => r.status === 200)).toHaveLength(4);
    // Shed, not queued: every rejection came back before any admitted request finished.
    expect(completed.slice(0, 16).every((s) => s === 503)).toBe(true);
    expect(await svc.metric('http_server_shed_requests_total', { http_route: '/items/:id' })).toBe(16);
    expect(await svc.metric('http_server_request_duration_seconds_count', { http_route: '/items/:id', http_response_status_code: '503' })).toBe(16);
    // Probes are never shed.
    expect((await svc.get('/health')).status).toBe(200);
  });
});
