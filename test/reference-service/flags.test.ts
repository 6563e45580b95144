/**
 * The reference service's feature flags (OpenFeature over the platform's evaluated-flags document). A local HTTP
 * endpoint stands in for the AWS AppConfig agent (it serves the document the agent serves at
 * /applications/<app>/environments/<env>/configurations/<profile>, and can be switched or stopped); a temporary file
 * stands in for the Kubernetes ConfigMap. The flags are honoured against real PostgreSQL and Redis (fixture.ts).
 * Tests read the flags with `refreshFlags()` instead of waiting for a poll.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { OpenFeature } from '@openfeature/server-sdk';
import { evaluatedFlags, OPERATIONAL_FLAGS, SHED_MORE_FLAG } from '../../constructs/core/release/flags';
import { FLAG_KEYS, FLAGS_OFF, KILLABLE_FEATURES, PlatformFlagsProvider, SHED_MORE_ADMIT_PERCENT, killSwitchKey } from '../../reference-service/src';
import type { Dependencies } from './fixture';
import { platformEnv, startDependencies, startService, stopServices } from './fixture';

type Doc = Record<string, Record<string, unknown>>;
const PATH = '/applications/checkout/environments/eu-west-1/configurations/feature-flags';

/** The agent's stand-in: serves `doc` as JSON on PATH (503 while `down`), counts the requests. */
interface FakeAgent {
  doc: Doc;
  down: boolean;
  requests: number;
  readonly url: string;
  close(): Promise<void>;
}

async function fakeAgent(doc: Doc = { ...evaluatedFlags() }): Promise<FakeAgent> {
  const state = { doc, down: false, requests: 0 };
  const server: Server = createServer((req, res) => {
    state.requests += 1;
    if (state.down || req.url !== PATH) {
      res.writeHead(state.down ? 503 : 404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(state.doc));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${PATH}`;
  return Object.assign(state, { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
}

const on = (doc: Doc, flag: string, extra: Record<string, unknown> = {}): Doc => ({ ...doc, [flag]: { ...doc[flag], ...extra, enabled: true } });
const logs: Array<{ level: string; msg: string }> = [];
const log = (level: 'info' | 'warn', msg: string): void => { logs.push({ level, msg }); };

describe('the flag keys', () => {
  test('the service honours exactly the operational flags the platform declares (core OPERATIONAL_FLAGS)', () => {
    const service = [...Object.values(FLAG_KEYS), ...KILLABLE_FEATURES.map(killSwitchKey)].sort();
    expect(service).toEqual(OPERATIONAL_FLAGS.map((f) => f.key).sort());
    expect(FLAG_KEYS.shedMore).toBe(SHED_MORE_FLAG);
    expect(Object.keys(OPERATIONAL_FLAGS.find((f) => f.key === SHED_MORE_FLAG)?.attributes ?? {})).toEqual([SHED_MORE_ADMIT_PERCENT]);
  });
});

describe('PlatformFlagsProvider (OpenFeature)', () => {
  let agent: FakeAgent;
  beforeEach(async () => { agent = await fakeAgent(); logs.length = 0; });
  afterEach(async () => { await agent.close(); await OpenFeature.clearProviders(); });

  test('resolves a boolean flag to <flag>.enabled and a number flag <flag>.<attribute> through an OpenFeature client', async () => {
    agent.doc = on(agent.doc, 'shed-more', { admitPercent: 25 });
    await OpenFeature.setProviderAndWait('provider-test', new PlatformFlagsProvider(agent.url, 1000, log));
    const client = OpenFeature.getClient('provider-test');
    expect(await client.getBooleanValue('shed-more', false)).toBe(true);
    expect(await client.getBooleanValue('read-only', true)).toBe(false);
    expect(await client.getNumberValue('shed-more.admitPercent', 50)).toBe(25);
    const missing = await client.getBooleanDetails('no-such-flag', false);
    expect([missing.value, missing.errorCode]).toEqual([false, 'FLAG_NOT_FOUND']);
    const mismatch = await client.getNumberDetails('shed-more.enabled', 7);
    expect([mismatch.value, mismatch.errorCode]).toEqual([7, 'TYPE_MISMATCH']);
  });

  test('an unreachable source leaves every flag at its default; once read, a failed read keeps the values last read', async () => {
    agent.down = true;
    const provider = new PlatformFlagsProvider(agent.url, 1000, log);
    await OpenFeature.setProviderAndWait('down-test', provider);
    const client = OpenFeature.getClient('down-test');
    expect(await client.getBooleanValue('read-only', false)).toBe(false);
    expect(logs).toEqual([{ level: 'warn', msg: 'feature flags source not answering: flags stay off' }]);
    agent.down = false;
    agent.doc = on(agent.doc, 'read-only');
    expect(await provider.poll()).toBe(true);
    expect(await client.getBooleanValue('read-only', false)).toBe(true);
    agent.down = true;
    expect(await provider.poll()).toBe(false);
    expect(await client.getBooleanValue('read-only', false)).toBe(true);
    expect(logs.map((l) => l.msg)).toEqual([
      'feature flags source not answering: flags stay off', 'feature flags source answers again',
      'feature flags source not answering: keeping the values last read',
    ]);
  });

  test('a file:// source (a mounted ConfigMap) is read the same way, and a malformed document is not taken', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flags-'));
    try {
      const file = join(dir, 'flags.json');
      writeFileSync(file, JSON.stringify(on(evaluatedFlags(), 'kill-popular')));
      const provider = new PlatformFlagsProvider(pathToFileURL(file).href, 1000, log);
      await OpenFeature.setProviderAndWait('file-test', provider);
      const client = OpenFeature.getClient('file-test');
      expect(await client.getBooleanValue('kill-popular', false)).toBe(true);
      writeFileSync(file, '["not", "flags"]');
      expect(await provider.poll()).toBe(false);
      expect(await client.getBooleanValue('kill-popular', false)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the service honours each flag (real PostgreSQL and Redis)', () => {
  let deps: Dependencies;
  let agent: FakeAgent;
  beforeAll(async () => { deps = await startDependencies(); });
  beforeEach(async () => { deps.redis.cli('FLUSHALL'); agent = await fakeAgent(); });
  afterEach(async () => { await stopServices(); await agent.close(); });
  afterAll(async () => { await deps?.close(); });

  const service = (extra: Record<string, string> = {}) => startService(platformEnv(deps, {
    FLAGS_URL: agent.url, FLAGS_POLL_INTERVAL_MS: '600000', CACHE_L1_MAX_ITEMS: '0', ...extra,
  }));

  test('cache-bypass: reads skip L2 (to the database) and count as bypassed; off again, L2 answers', async () => {
    const s = await service();
    expect((await s.get('/items/7')).headers.get('x-cache')).toBe('DB');
    expect((await s.get('/items/7')).headers.get('x-cache')).toBe('L2');
    agent.doc = on(agent.doc, 'cache-bypass');
    await s.server.refreshFlags();
    expect(s.server.flags.cacheBypass).toBe(true);
    expect((await s.get('/items/7')).headers.get('x-cache')).toBe('DB');
    expect(await s.metric('cache_requests_total', { tier: 'l2', result: 'bypass' })).toBe(1);
    expect(await s.metric('cache_bypass_active', { tier: 'l2' })).toBe(1);
    agent.doc = evaluatedFlags();
    await s.server.refreshFlags();
    expect((await s.get('/items/7')).headers.get('x-cache')).toBe('L2');
    expect(await s.metric('cache_bypass_active', { tier: 'l2' })).toBe(0);
    expect(s.lines.filter((l) => l.msg === 'feature flags changed').map((l) => l.cacheBypass)).toEqual([true, false]);
  });

  test('read-only: a valid write answers 503 + Retry-After (nothing written), a malformed one still 400; reads are served', async () => {
    const s = await service();
    agent.doc = on(agent.doc, 'read-only');
    await s.server.refreshFlags();
    const refused = await s.order('ro-1', { itemId: '3', quantity: 1 });
    expect([refused.status, refused.headers.get('retry-after'), ((await refused.json()) as { reason: string }).reason]).toEqual([503, '30', 'read-only']);
    expect((await s.order('ro-2', { itemId: '3', quantity: 0 })).status).toBe(400);
    expect((await s.get('/items/3')).status).toBe(200);
    agent.doc = evaluatedFlags();
    await s.server.refreshFlags();
    expect((await s.order('ro-1', { itemId: '3', quantity: 1 })).status).toBe(201);
  });

  test('kill-popular: the popular list answers empty with x-feature-disabled, without a cache or database read', async () => {
    const s = await service();
    agent.doc = on(agent.doc, 'kill-popular');
    await s.server.refreshFlags();
    const before = await s.metric('db_client_operation_duration_seconds_count', { db_system_name: 'postgresql' });
    const killed = await s.get('/items?popular');
    expect([killed.status, killed.headers.get('x-feature-disabled'), await killed.json()]).toEqual([200, 'kill-popular', { items: [], disabled: 'kill-popular' }]);
    expect(await s.metric('db_client_operation_duration_seconds_count', { db_system_name: 'postgresql' })).toBe(before);
    agent.doc = evaluatedFlags();
    await s.server.refreshFlags();
    expect(((await (await s.get('/items?popular')).json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
  });

  test('shed-more: admission admits admitPercent of MAX_IN_FLIGHT and sheds the rest with 503 + Retry-After', async () => {
    const s = await service({ MAX_IN_FLIGHT: '4', FAULT_INJECTION_ENABLED: 'true', FAULT_ADDED_LATENCY_MS: '3000' });
    agent.doc = on(agent.doc, 'shed-more', { admitPercent: 50 });
    await s.server.refreshFlags();
    expect([s.server.flags.shedMore, s.server.flags.admitPercent]).toEqual([true, 50]);
    // Two slow requests fill the lowered limit (2 of 4); the third is shed at once.
    const slow = [s.get('/items/1'), s.get('/items/2')];
    await waitForInFlight(s, 2);
    const shed = await s.get('/items/3');
    expect([shed.status, shed.headers.get('retry-after'), ((await shed.json()) as { reason: string }).reason]).toEqual([503, '1', 'shed-more']);
    await Promise.all(slow);
  });

  test('without FLAGS_URL, or with the agent unreachable at start, the service is ready with every flag off', async () => {
    agent.down = true;
    const unreachable = await service();
    expect((await unreachable.get('/ready')).status).toBe(200);
    expect(unreachable.server.flags).toEqual(FLAGS_OFF);
    const none = await startService(platformEnv(deps));
    expect((await none.get('/ready')).status).toBe(200);
    expect(none.server.flags).toEqual(FLAGS_OFF);
    expect(none.lines.some((l) => String(l.msg).startsWith('feature flags'))).toBe(false);
  });
});

/** Waits until the service reports `n` API requests in flight (its gauge), polling. */
async function waitForInFlight(s: Awaited<ReturnType<typeof startService>>, n: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await s.metric('http_server_active_requests') >= n) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never ${n} requests in flight`);
}
