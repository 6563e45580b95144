import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReferenceServer, ServerOptions } from '../../reference-service/src';
import { createServer, optionsFromEnv, start, traceContextFrom } from '../../reference-service/src';

const SERVICE_DIR = join(__dirname, '..', '..', 'reference-service');

interface Started {
  readonly server: ReferenceServer;
  readonly lines: Record<string, unknown>[];
}

const running: ReferenceServer[] = [];

async function startServer(options: ServerOptions = {}): Promise<Started> {
  const lines: Record<string, unknown>[] = [];
  const server = createServer({
    port: 0,
    host: '127.0.0.1',
    serviceName: 'checkout',
    defaultMetrics: false,
    log: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
    ...options,
  });
  running.push(server);
  await server.listen();
  return { server, lines };
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.shutdown()));
});

/** The sample lines of one metric from a Prometheus text exposition. */
function samples(exposition: string, name: string): string[] {
  return exposition.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
}

function requestLines(lines: Record<string, unknown>[]): Record<string, unknown>[] {
  return lines.filter((l) => l.msg === 'request');
}

describe('probes', () => {
  test('/health is 200 and /ready is 200 once started', async () => {
    const { server } = await startServer();
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const ready = await fetch(`${server.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  test('/ready is 503 while starting (warm-up) and 200 after', async () => {
    let finishWarmUp = (): void => undefined;
    const warmedUp = new Promise<void>((resolve) => { finishWarmUp = resolve; });
    let listening = (): void => undefined;
    const isListening = new Promise<void>((resolve) => { listening = resolve; });
    const server = createServer({
      port: 0, host: '127.0.0.1', defaultMetrics: false, log: () => undefined,
      warmUp: async () => { listening(); await warmedUp; },
    });
    running.push(server);
    const listened = server.listen();
    await isListening;
    expect(server.state).toBe('starting');
    expect((await fetch(`${server.url}/ready`)).status).toBe(503);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    finishWarmUp();
    await listened;
    expect((await fetch(`${server.url}/ready`)).status).toBe(200);
  });

  test('during drain /ready is 503, in-flight requests finish, then the server stops', async () => {
    const { server, lines } = await startServer({
      faultInjectionEnabled: true, faults: { addedLatencyMs: 400 }, drainDelayMs: 300,
    });
    const inFlight = fetch(`${server.url}/api/items/42`);
    await new Promise((r) => setTimeout(r, 50));
    const stopped = server.shutdown();
    expect(server.state).toBe('draining');
    const ready = await fetch(`${server.url}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'draining' });
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: '42', name: 'item 42' });
    await stopped;
    expect(server.state).toBe('stopped');
    expect(server.httpServer.listening).toBe(false);
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['draining', 'stopped']));
  });
});

describe('metrics', () => {
  test('exposes the OTel HTTP server histogram with route templates, not raw paths', async () => {
    const { server } = await startServer();
    await fetch(`${server.url}/api/items/1`);
    await fetch(`${server.url}/api/items/2`);
    await fetch(`${server.url}/api/items/bad!id`);
    await fetch(`${server.url}/nope`);
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toContain('# TYPE http_server_request_duration_seconds histogram');
    expect(samples(text, 'http_server_request_duration_seconds_count')).toEqual(expect.arrayContaining([
      'http_server_request_duration_seconds_count{http_request_method="GET",http_route="/api/items/:id",http_response_status_code="200"} 2',
      'http_server_request_duration_seconds_count{http_request_method="GET",http_route="/api/items/:id",http_response_status_code="400"} 1',
      // No route matched: http.route is absent (OTel), so cardinality stays bounded.
      'http_server_request_duration_seconds_count{http_request_method="GET",http_response_status_code="404"} 1',
    ]));
    expect(text).not.toContain('/api/items/1"');
    expect(samples(text, 'http_server_request_duration_seconds_sum').length).toBeGreaterThan(0);
    const les = samples(text, 'http_server_request_duration_seconds_bucket')
      .filter((l) => l.includes('http_response_status_code="200"'))
      .map((l) => /le="([^"]+)"/.exec(l)?.[1]);
    expect(les).toEqual(['0.005', '0.01', '0.025', '0.05', '0.075', '0.1', '0.25', '0.5', '0.75', '1', '2.5', '5', '7.5', '10', '+Inf']);
    // Probes and scrapes do not dilute the SLIs.
    expect(text).not.toMatch(/http_route="\/(health|ready|metrics)"/);
  });

  test('includes process metrics by default', async () => {
    const { server } = await startServer({ defaultMetrics: true });
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toContain('process_cpu_seconds_total');
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });
});

describe('logs', () => {
  test('one JSON line per request with http fields, duration and the trace id from traceparent', async () => {
    const { server, lines } = await startServer();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await fetch(`${server.url}/api/items/7?token=secret-query`, {
      headers: {
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
        authorization: 'Bearer super-secret',
        cookie: 'session=also-secret',
      },
    });
    const [line, ...rest] = requestLines(lines);
    expect(rest).toHaveLength(0);
    expect(line).toEqual({
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      level: 'info',
      msg: 'request',
      'service.name': 'checkout',
      'http.request.method': 'GET',
      'http.route': '/api/items/:id',
      'url.path': '/api/items/7',
      'http.response.status_code': 200,
      duration_ms: expect.any(Number),
      request_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      trace_id: traceId,
      span_id: expect.stringMatching(/^[0-9a-f]{16}$/),
      parent_span_id: '00f067aa0ba902b7',
    });
    const raw = JSON.stringify(lines);
    expect(raw).not.toContain('super-secret');
    expect(raw).not.toContain('also-secret');
    expect(raw).not.toContain('secret-query');
  });

  test('generates a trace id when traceparent is absent or invalid; 5xx logs at error level', async () => {
    const { server, lines } = await startServer({ faultInjectionEnabled: true, faults: { errorRate: 1 } });
    await fetch(`${server.url}/api/items/7`);
    await fetch(`${server.url}/api/items/7`, { headers: { traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' } });
    const reqs = requestLines(lines);
    expect(reqs).toHaveLength(2);
    for (const l of reqs) {
      expect(l.trace_id).toMatch(/^[0-9a-f]{32}$/);
      expect(l.trace_id).not.toMatch(/^0+$/);
      expect(l.level).toBe('error');
      expect(l.parent_span_id).toBeUndefined();
    }
    expect(reqs[0].trace_id).not.toBe(reqs[1].trace_id);
  });

  test('traceContextFrom follows W3C Trace Context', () => {
    expect(traceContextFrom('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01').traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(traceContextFrom('ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01').traceId).not.toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(traceContextFrom('00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01').parentSpanId).toBeUndefined();
    expect(traceContextFrom(undefined).traceId).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('fault injection', () => {
  const post = (url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    fetch(`${url}/admin/faults`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  test('errorRate 1 turns every sample-route request into a 500, DELETE clears it', async () => {
    const { server, lines } = await startServer({ faultInjectionEnabled: true });
    const set = await post(server.url, { errorRate: 1 });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ errorRate: 1, addedLatencyMs: 0 });
    const statuses = await Promise.all(Array.from({ length: 5 }, () => fetch(`${server.url}/api/items/1`).then((r) => r.status)));
    expect(statuses).toEqual([500, 500, 500, 500, 500]);
    expect(lines.some((l) => l.msg === 'faults injected')).toBe(true);
    expect((await fetch(`${server.url}/admin/faults`, { method: 'DELETE' })).status).toBe(200);
    expect((await fetch(`${server.url}/api/items/1`)).status).toBe(200);
    const text = await server.registry.metrics();
    expect(text).toContain('http_server_request_duration_seconds_count{http_request_method="GET",http_route="/api/items/:id",http_response_status_code="500"} 5');
  });

  test('errorRate applies with the given probability', async () => {
    const values = [0.1, 0.6, 0.2, 0.9];
    let i = 0;
    const { server } = await startServer({ faultInjectionEnabled: true, faults: { errorRate: 0.5 }, random: () => values[i++ % values.length] });
    const statuses: number[] = [];
    for (let n = 0; n < 4; n++) statuses.push((await fetch(`${server.url}/api/items/1`)).status);
    expect(statuses).toEqual([500, 200, 500, 200]);
  });

  test('addedLatencyMs delays the sample route and shows in the histogram', async () => {
    const { server } = await startServer({ faultInjectionEnabled: true });
    expect((await post(server.url, { addedLatencyMs: 300 })).status).toBe(200);
    const t0 = Date.now();
    expect((await fetch(`${server.url}/api/items/1`)).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    const text = await server.registry.metrics();
    const bucket = (le: string): number => Number(samples(text, 'http_server_request_duration_seconds_bucket')
      .find((l) => l.includes(`le="${le}"`) && l.includes('status_code="200"'))?.split(' ')[1]);
    expect(bucket('0.25')).toBe(0);
    expect(bucket('0.5')).toBe(1);
    const sum = Number(samples(text, 'http_server_request_duration_seconds_sum')[0].split(' ')[1]);
    expect(sum).toBeGreaterThanOrEqual(0.29);
  });

  test('rejects invalid fault specs with a message naming the field', async () => {
    const { server } = await startServer({ faultInjectionEnabled: true });
    const bad = await post(server.url, { errorRate: 2 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/errorRate must be a number between 0 and 1, got 2/);
    expect((await post(server.url, { errorRat: 1 })).status).toBe(400);
    expect((await fetch(`${server.url}/admin/faults`, { method: 'POST', body: 'not json' })).status).toBe(400);
  });

  test('admin endpoints do not exist without FAULT_INJECTION_ENABLED, and faults from options are ignored', async () => {
    const { server } = await startServer({ faults: { errorRate: 1 } });
    expect((await post(server.url, { errorRate: 1 })).status).toBe(404);
    expect((await fetch(`${server.url}/admin/faults`, { method: 'DELETE' })).status).toBe(404);
    expect((await fetch(`${server.url}/api/items/1`)).status).toBe(200);
  });

  test('with an admin token, the admin endpoints require it', async () => {
    const { server } = await startServer({ faultInjectionEnabled: true, adminToken: 's3cret' });
    expect((await post(server.url, { errorRate: 1 })).status).toBe(403);
    expect((await post(server.url, { errorRate: 1 }, { authorization: 'Bearer wrong!' })).status).toBe(403);
    expect((await post(server.url, { errorRate: 1 }, { authorization: 'Bearer s3cret' })).status).toBe(200);
  });
});

describe('configuration from the environment', () => {
  test('defaults: port 8080, fault injection off', () => {
    expect(optionsFromEnv({})).toMatchObject({ port: 8080, serviceName: 'reference-service', faultInjectionEnabled: false });
  });

  test('reads PORT, SERVICE_NAME and FAULT_* ', () => {
    expect(optionsFromEnv({
      PORT: '9090', SERVICE_NAME: 'checkout', FAULT_INJECTION_ENABLED: 'true', FAULT_ERROR_RATE: '0.25', FAULT_ADDED_LATENCY_MS: '100',
    })).toMatchObject({ port: 9090, serviceName: 'checkout', faultInjectionEnabled: true, faults: { errorRate: 0.25, addedLatencyMs: 100 } });
  });

  test('bad values fail with the variable name and the fix', () => {
    expect(() => optionsFromEnv({ PORT: 'eighty' })).toThrow(/PORT="eighty" is not an integer between 0 and 65535/);
    expect(() => optionsFromEnv({ FAULT_INJECTION_ENABLED: 'yes' })).toThrow(/FAULT_INJECTION_ENABLED="yes" must be "true" or "false"/);
    expect(() => optionsFromEnv({ FAULT_ERROR_RATE: '0.5' })).toThrow(/FAULT_INJECTION_ENABLED is not "true"/);
    expect(() => optionsFromEnv({ FAULT_INJECTION_ENABLED: 'true', FAULT_ERROR_RATE: '1.5' })).toThrow(/errorRate must be a number between 0 and 1/);
  });

  test('start() runs the service from the environment', async () => {
    const server = await start({ env: { SERVICE_NAME: 'from-env' }, overrides: { port: 0, host: '127.0.0.1', log: () => undefined, drainDelayMs: 0 }, handleSignals: false });
    running.push(server);
    expect((await fetch(`${server.url}/ready`)).status).toBe(200);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(SERVICE_DIR, 'Dockerfile'), 'utf8');
  const instructions = dockerfile.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));

  test('is multi-stage and runs the bundle as uid 1000 on port 8080 with a healthcheck', () => {
    expect(instructions.filter((l) => /^FROM /i.test(l)).length).toBeGreaterThanOrEqual(2);
    const lastFrom = instructions.map((l) => /^FROM /i.test(l)).lastIndexOf(true);
    const runtime = instructions.slice(lastFrom);
    expect(runtime).toContain('USER 1000:1000');
    expect(runtime).toContain('EXPOSE 8080');
    expect(runtime).toContain('ENV PORT=8080');
    expect(runtime.some((l) => /^HEALTHCHECK .*\/health/.test(l))).toBe(true);
    expect(runtime.some((l) => /^CMD \["node", ".+\.js"\]$/.test(l))).toBe(true);
    // The image must run with a read-only root filesystem: nothing in the runtime stage writes at start.
    expect(runtime.some((l) => /^RUN /i.test(l))).toBe(false);
  });

  test('the service package declares exactly the packages its source imports (the image bundles from them)', () => {
    const pkg = JSON.parse(readFileSync(join(SERVICE_DIR, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const srcDir = join(SERVICE_DIR, 'src');
    const imported = new Set<string>();
    for (const file of readdirSync(srcDir).filter((f) => f.endsWith('.ts'))) {
      for (const m of readFileSync(join(srcDir, file), 'utf8').matchAll(/^import (?!type )[^;]*? from '([^.'][^']*)';$/gm)) {
        const spec = m[1];
        if (spec.startsWith('node:')) continue;
        imported.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
      }
    }
    expect([...imported].sort()).toEqual(Object.keys(pkg.dependencies).sort());
    // The root installs them too (the tests run the service from the root), at compatible versions.
    const root = JSON.parse(readFileSync(join(SERVICE_DIR, '..', 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    for (const name of imported) expect({ name, root: root.devDependencies[name] }).toEqual({ name, root: pkg.dependencies[name] });
  });
});
