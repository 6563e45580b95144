/**
 * The reference service's data path against real PostgreSQL and Redis (Debian packages, TLS on with certificates
 * made for the run, started on free ports): TLS and migrations, each cache tier hitting and missing as designed,
 * writes that commit once per idempotency key and invalidate the cache, and the observability the platform relies
 * on (request ids and trace context in logs, pool/cache/breaker metrics, OTLP traces). No mocks of pg or Redis.
 */
import { spawn } from 'node:child_process';
import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { Registry } from 'prom-client';
import type { DatabaseSettings } from '../../reference-service/src';
import { Database, passwordFor } from '../../reference-service/src';
import { createLogger } from '../../reference-service/src/logger';
import { createDataMetrics } from '../../reference-service/src/metrics';
import { freePort, sleep, waitFor } from '../../cli/gameday/local/net';
import type { Dependencies } from './fixture';
import { metricValue, platformEnv, startDependencies, startService, stopServices } from './fixture';

const ROOT = join(__dirname, '..', '..');

let deps: Dependencies;

beforeAll(async () => {
  deps = await startDependencies();
});

beforeEach(() => {
  deps.redis.cli('FLUSHALL');
});

afterEach(stopServices);

afterAll(async () => {
  await deps?.close();
});

function databaseSettings(overrides: Partial<DatabaseSettings> = {}): DatabaseSettings {
  return {
    endpoint: '127.0.0.1', readOnlyEndpoint: '127.0.0.1', port: deps.pg.port, database: deps.pg.database, user: deps.pg.user,
    password: deps.pg.password, iamAuth: false, tls: true, tlsCaFile: deps.pg.certificates?.caFile, poolMax: 2, queryTimeoutMs: 5000,
    ...overrides,
  };
}

function standaloneDatabase(overrides: Partial<DatabaseSettings> = {}): Database {
  return new Database({
    settings: databaseSettings(overrides), applicationName: 'test', metrics: createDataMetrics(new Registry()),
    logger: createLogger('test', () => undefined), timeScale: 0.01, random: Math.random,
  });
}

const key = (id: string): string => `checkout:v1:item:${id}`;

describe('PostgreSQL over TLS', () => {
  test('the service connects with TLS verified against the CA; plain TCP and an untrusted CA are refused', async () => {
    const svc = await startService(platformEnv(deps));
    expect((await svc.get('/items/1')).status).toBe(200);
    const sessions = await deps.pg.sql(
      "SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.usename = 'app'", deps.pg.database);
    expect(sessions.split('\n').filter((l) => l !== '').length).toBeGreaterThan(0);
    expect(sessions.split('\n').filter((l) => l !== '' && l !== 't')).toEqual([]);

    const plain = new pg.Client({ host: '127.0.0.1', port: deps.pg.port, database: deps.pg.database, user: deps.pg.user, password: deps.pg.password, ssl: false });
    await expect(plain.connect()).rejects.toThrow(/no encryption/);

    const untrusted = standaloneDatabase({ tlsCaFile: undefined });
    await expect(untrusted.migrate()).rejects.toThrow(/self[- ]signed|unable to verify/i);
    await untrusted.close();
  });
});

describe('schema migration', () => {
  test('is idempotent: a second task applies nothing, and concurrent starts apply each version once', async () => {
    await startService(platformEnv(deps));
    const second = await startService(platformEnv(deps));
    expect(second.lines.filter((l) => l.msg === 'schema migrated')).toEqual([]);
    expect(await deps.pg.sql('SELECT version FROM schema_migrations ORDER BY version', deps.pg.database)).toBe('1\n2\n');
    expect(await deps.pg.sql('SELECT count(*) FROM items', deps.pg.database)).toBe('1000\n');

    await deps.pg.sql(`CREATE DATABASE race OWNER ${deps.pg.user}`);
    const a = standaloneDatabase({ database: 'race' });
    const b = standaloneDatabase({ database: 'race' });
    const applied = await Promise.all([a.migrate(), b.migrate()]);
    await Promise.all([a.close(), b.close()]);
    expect(applied.flat().sort()).toEqual([1, 2]);
    expect(await deps.pg.sql('SELECT version FROM schema_migrations ORDER BY version', 'race')).toBe('1\n2\n');
  });
});

describe('tiered cache (cache-aside: L1 in-process, L2 Redis, then the read replica)', () => {
  test('a first read misses both tiers and reads the database; the next hits L1; another task hits L2', async () => {
    const a = await startService(platformEnv(deps));
    expect((await a.get('/items/2')).headers.get('x-cache')).toBe('DB');
    const again = await a.get('/items/2');
    expect(again.headers.get('x-cache')).toBe('L1');
    expect(await again.json()).toMatchObject({ id: '2', name: 'Item 2', stock: 1000 });

    const b = await startService(platformEnv(deps));
    expect((await b.get('/items/2')).headers.get('x-cache')).toBe('L2');
    expect((await b.get('/items/2')).headers.get('x-cache')).toBe('L1');
    expect((await a.get('/items/nope-404')).status).toBe(404);

    expect(await a.metric('cache_requests_total', { tier: 'l1', result: 'hit' })).toBe(1);
    expect(await a.metric('cache_requests_total', { tier: 'l1', result: 'miss' })).toBe(2);
    expect(await a.metric('cache_requests_total', { tier: 'l2', result: 'miss' })).toBe(2);
    expect(await b.metric('cache_requests_total', { tier: 'l2', result: 'hit' })).toBe(1);
    expect(await b.metric('cache_requests_total', { tier: 'l1', result: 'hit' })).toBe(1);
    // Versioned keys, with the L2 TTL (default 30 min).
    const ttl = Number(deps.redis.cli('TTL', key('2')));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1800);
  });

  test('DELETE /admin/cache/l1 drops this instance\'s L1 (fault injection on): the next read comes from L2', async () => {
    const a = await startService(platformEnv(deps, { FAULT_INJECTION_ENABLED: 'true' }));
    await a.get('/items/3');
    expect((await a.get('/items/3')).headers.get('x-cache')).toBe('L1');
    const res = await fetch(`${a.server.url}/admin/cache/l1`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ dropped: 1 });
    expect((await a.get('/items/3')).headers.get('x-cache')).toBe('L2');
    const off = await startService(platformEnv(deps));
    expect((await fetch(`${off.server.url}/admin/cache/l1`, { method: 'DELETE' })).status).toBe(404);
  });

  test('L1 keeps CACHE_L1_MAX_ITEMS entries for CACHE_L1_TTL_SECONDS; L2 entries carry CACHE_L2_TTL_SECONDS', async () => {
    const svc = await startService(platformEnv(deps, { CACHE_L1_MAX_ITEMS: '2', CACHE_L1_TTL_SECONDS: '1', CACHE_L2_TTL_SECONDS: '60' }));
    for (const id of ['3', '4', '5']) expect((await svc.get(`/items/${id}`)).headers.get('x-cache')).toBe('DB');
    // Item 3 was the least recently used of three in an L1 of two.
    expect((await svc.get('/items/3')).headers.get('x-cache')).toBe('L2');
    expect((await svc.get('/items/3')).headers.get('x-cache')).toBe('L1');
    const ttl = Number(deps.redis.cli('TTL', key('4')));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
    await sleep(1100);
    expect((await svc.get('/items/3')).headers.get('x-cache')).toBe('L2');
  });

  test('CACHE_L1_MAX_ITEMS=0 turns L1 off; without CACHE_L2_ENDPOINT every read goes to the database', async () => {
    const l2Only = await startService(platformEnv(deps, { CACHE_L1_MAX_ITEMS: '0' }));
    expect((await l2Only.get('/items/6')).headers.get('x-cache')).toBe('DB');
    expect((await l2Only.get('/items/6')).headers.get('x-cache')).toBe('L2');
    const env = { ...platformEnv(deps, { CACHE_L1_MAX_ITEMS: '0' }) } as Record<string, string | undefined>;
    for (const name of ['CACHE_L2_ENDPOINT', 'CACHE_L2_PORT', 'CACHE_L2_USERNAME', 'CACHE_L2_PASSWORD', 'CACHE_L2_TLS_CA_FILE']) delete env[name];
    const dbOnly = await startService(env);
    expect((await dbOnly.get('/items/6')).headers.get('x-cache')).toBe('DB');
    expect((await dbOnly.get('/items/6')).headers.get('x-cache')).toBe('DB');
    expect(await dbOnly.metric('circuit_breaker_state', { dependency: 'cache' })).toBe(0);
  });
});

describe('writes', () => {
  test('an order commits once per idempotency key and invalidates the item in L1 and L2 after the commit', async () => {
    const svc = await startService(platformEnv(deps));
    expect((await svc.get('/items/10')).headers.get('x-cache')).toBe('DB');
    expect(deps.redis.cli('EXISTS', key('10'))).toBe('1');

    const created = await svc.order('order-1', { itemId: '10', quantity: 3 });
    expect(created.status).toBe(201);
    const order = await created.json() as { orderId: string };
    expect(deps.redis.cli('EXISTS', key('10'))).toBe('0');
    const fresh = await svc.get('/items/10');
    expect(fresh.headers.get('x-cache')).toBe('DB');
    expect(await fresh.json()).toMatchObject({ stock: 997 });

    const replay = await svc.order('order-1', { itemId: '10', quantity: 3 });
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.json()).toEqual(order);
    expect((await svc.order('order-1', { itemId: '10', quantity: 4 })).status).toBe(422);
    // Concurrent retries of one request: one order.
    const burst = await Promise.all(Array.from({ length: 5 }, () => svc.order('order-2', { itemId: '10', quantity: 1 })));
    expect(burst.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(await deps.pg.sql("SELECT count(*) FROM orders WHERE idempotency_key IN ('order-1', 'order-2')", deps.pg.database)).toBe('2\n');
    expect(await deps.pg.sql("SELECT stock FROM items WHERE id = '10'", deps.pg.database)).toBe('996\n');

    expect((await svc.order('order-3', { itemId: 'no-such-item', quantity: 1 })).status).toBe(404);
    await deps.pg.sql("UPDATE items SET stock = 2 WHERE id = '11'", deps.pg.database);
    expect((await svc.order('order-4', { itemId: '11', quantity: 3 })).status).toBe(409);
    expect(await deps.pg.sql("SELECT count(*) FROM orders WHERE idempotency_key IN ('order-3', 'order-4')", deps.pg.database)).toBe('0\n');
    const noKey = await fetch(`${svc.server.url}/orders`, { method: 'POST', body: JSON.stringify({ itemId: '1', quantity: 1 }) });
    expect(noKey.status).toBe(400);
    expect((await svc.order('order-5', { itemId: '1', quantity: 0 })).status).toBe(400);
  });

  test('GET /items?popular lists the most ordered items', async () => {
    const svc = await startService(platformEnv(deps));
    expect((await svc.order('popular-1', { itemId: '20', quantity: 50 })).status).toBe(201);
    expect((await svc.order('popular-2', { itemId: '21', quantity: 40 })).status).toBe(201);
    const res = await svc.get('/items?popular&limit=2');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { items: Array<{ id: string }> }).items.map((i) => i.id)).toEqual(['20', '21']);
    expect((await svc.get('/items?popular&limit=2')).headers.get('x-cache')).toBe('L1');
    expect((await svc.get('/items')).status).toBe(400);
  });
});

describe('observability', () => {
  test('a request id and the W3C trace context are accepted or generated, echoed, and written on the log lines', async () => {
    const svc = await startService(platformEnv(deps));
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await svc.get('/items/1', { 'x-request-id': 'req-abc.1', traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    expect(res.headers.get('x-request-id')).toBe('req-abc.1');
    expect(res.headers.get('traceparent')).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-0[01]$`));
    const line = svc.lines.find((l) => l.msg === 'request' && l.request_id === 'req-abc.1');
    expect(line).toMatchObject({ trace_id: traceId, parent_span_id: '00f067aa0ba902b7', 'http.route': '/items/:id' });

    const generated = await svc.get('/items/1', { 'x-request-id': 'bad id with spaces' });
    const id = generated.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(svc.lines.filter((l) => l.request_id === id).map((l) => l.msg)).toEqual(['request']);
  });

  test('pool, dependency-call, cache and breaker metrics are exposed (separate pools for the read-only endpoint)', async () => {
    // "localhost" and "127.0.0.1" are two endpoints to the pools (the certificate names both).
    const svc = await startService(platformEnv(deps, { DB_READ_ONLY_ENDPOINT: 'localhost' }));
    expect((await svc.get('/items/40')).status).toBe(200);
    expect((await svc.order('metrics-1', { itemId: '40', quantity: 1 })).status).toBe(201);
    const text = await svc.metrics();
    expect(metricValue(text, 'db_client_connection_max', { pool_name: 'writer' })).toBe(5);
    expect(metricValue(text, 'db_client_connection_max', { pool_name: 'reader' })).toBe(15);
    expect(metricValue(text, 'db_client_connection_count', { pool_name: 'reader' })).toBeGreaterThan(0);
    expect(metricValue(text, 'db_client_connection_count', { pool_name: 'writer' })).toBeGreaterThan(0);
    expect(metricValue(text, 'db_client_connection_pending_requests', { pool_name: 'reader' })).toBe(0);
    expect(metricValue(text, 'db_client_operation_duration_seconds_count', { db_system_name: 'postgresql', db_operation_name: 'select item' })).toBe(1);
    expect(metricValue(text, 'db_client_operation_duration_seconds_count', { db_system_name: 'postgresql', db_operation_name: 'place order' })).toBe(1);
    expect(metricValue(text, 'db_client_operation_duration_seconds_count', { db_system_name: 'redis', db_operation_name: 'GET' })).toBe(1);
    expect(metricValue(text, 'circuit_breaker_state', { dependency: 'database', state: 'closed' })).toBe(1);
    expect(metricValue(text, 'circuit_breaker_state', { dependency: 'cache', state: 'closed' })).toBe(1);
    expect(metricValue(text, 'cache_bypass_active', { tier: 'l2' })).toBe(0);
    expect(text).toContain('# TYPE http_server_shed_requests_total counter');
    expect(text).toContain('# TYPE bulkhead_rejections_total counter');
    expect(text).toContain('# TYPE dependency_retries_total counter');
    expect(text).toContain('http_server_request_duration_seconds_count{http_request_method="POST",http_route="/orders",http_response_status_code="201"} 1');
  });

  test('with OTEL_EXPORTER_OTLP_ENDPOINT, the process exports HTTP, database and cache spans of one trace over OTLP', async () => {
    // A real process (src/main.ts from the environment, as in the image): the exporter loads node:http lazily,
    // which jest's module sandbox cannot do.
    const received: Array<{ path: string; body: unknown }> = [];
    const collector = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const port = await freePort();
    const env = {
      ...process.env,
      ...platformEnv(deps, { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`, PORT: String(port), SHUTDOWN_DRAIN_DELAY_MS: '0' }),
    };
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'reference-service', 'src', 'main.ts')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => { output += c.toString('utf8'); });
    child.stderr.on('data', (c: Buffer) => { output += c.toString('utf8'); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await waitFor('the service process to be ready', async () => ((await fetch(`http://127.0.0.1:${port}/ready`).catch(() => undefined))?.status === 200 ? true : undefined), 30_000, 100)
        .catch((e: Error) => { throw new Error(`${e.message}\n${output}`); });
      const traceId = '0af7651916cd43dd8448eb211c80319c';
      const res = await fetch(`http://127.0.0.1:${port}/items/50`, { headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` } });
      expect(res.status).toBe(200);
      const [, echoedTrace, serverSpanId] = (res.headers.get('traceparent') ?? '').split('-');
      expect(echoedTrace).toBe(traceId);
      child.kill('SIGTERM');
      expect(await exited).toBe(0); // shutdown flushes the spans not yet exported

      interface OtlpSpan { name: string; kind: number; traceId: string; spanId: string; parentSpanId?: string }
      const spans = received.filter((r) => r.path === '/v1/traces').flatMap((r) =>
        (r.body as { resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }> }).resourceSpans
          .flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)))
        .filter((s) => s.traceId === traceId);
      const server = spans.find((s) => s.name === 'GET /items/:id');
      expect(server).toMatchObject({ kind: 2, spanId: serverSpanId, parentSpanId: 'b7ad6b7169203331' });
      expect(spans.map((s) => s.name)).toEqual(expect.arrayContaining(['GET', 'select item', 'SET']));
      for (const s of spans.filter((x) => x !== server)) expect(s).toMatchObject({ kind: 3, parentSpanId: serverSpanId });
      // The log line of the request carries the exported span's ids.
      const line = output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.msg === 'request' && l.trace_id === traceId);
      expect(line).toMatchObject({ span_id: serverSpanId, 'service.name': 'checkout' });
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await new Promise<void>((resolve) => collector.close(() => resolve()));
    }
  });
});

describe('RDS IAM authentication', () => {
  test('DB_IAM_AUTH=true signs a token for the endpoint, port and user in AWS_REGION, per connection', async () => {
    const settings = databaseSettings({ iamAuth: true, password: undefined, region: 'eu-west-1', endpoint: 'proxy.example.internal', port: 5432 });
    const password = passwordFor(settings, settings.endpoint, { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' });
    expect(typeof password).toBe('function');
    const token = await (password as () => Promise<string>)();
    expect(token).toMatch(/^proxy\.example\.internal:5432\/\?Action=connect&DBUser=app&/);
    expect(token).toContain('X-Amz-Credential=AKIDEXAMPLE%2F');
    expect(token).toContain('%2Feu-west-1%2Frds-db%2Faws4_request');
    expect(token).toContain('X-Amz-Expires=900');
    expect(passwordFor(databaseSettings(), '127.0.0.1')).toBe(deps.pg.password);
  });
});
