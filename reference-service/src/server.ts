import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { Faults } from './faults';
import { NO_FAULTS, parseFaults } from './faults';
import type { TraceContext } from './trace';
import { traceContextFrom } from './trace';

/** OpenTelemetry's HTTP server duration buckets (seconds), as the semantic conventions advise. */
export const DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** The contract's metric (DESIGN.md "Metrics"): OTel `http.server.request.duration` in Prometheus form. */
export const DURATION_METRIC = 'http_server_request_duration_seconds';

export type ServerState = 'starting' | 'ready' | 'draining' | 'stopped';

export interface ServerOptions {
  /** TCP port; 0 picks a free one. Default 8080. */
  readonly port?: number;
  /** Interface to listen on. Default: all interfaces. */
  readonly host?: string;
  /** OTel `service.name`, written on every log line. Default `reference-service`. */
  readonly serviceName?: string;
  /** Enables the admin fault endpoints and the initial {@link faults}. Default false. */
  readonly faultInjectionEnabled?: boolean;
  /** Faults active from the start (only when fault injection is enabled). */
  readonly faults?: Partial<Faults>;
  /**
   * Bearer token the admin endpoints require. Without one, the admin endpoints accept only loopback
   * callers (a sidecar, `kubectl exec`, ECS Exec, or a test in the same process).
   */
  readonly adminToken?: string;
  /** After SIGTERM (or {@link ReferenceServer.shutdown}), how long `/ready` answers 503 before the listener closes. Default 0. */
  readonly drainDelayMs?: number;
  /** How long in-flight requests may take to finish during shutdown before connections are cut. Default 25000. */
  readonly shutdownTimeoutMs?: number;
  /** Work to do after the listener is up and before `/ready` answers 200 (cache warm-up, connection pools). */
  readonly warmUp?: () => Promise<void>;
  /** Where JSON log lines go (one string per line, without newline). Default: stdout. */
  readonly log?: (line: string) => void;
  /** Random source for fault injection, in [0, 1). Default Math.random. */
  readonly random?: () => number;
  /** Collect prom-client's default process/Node.js metrics. Default true. */
  readonly defaultMetrics?: boolean;
}

export interface ReferenceServer {
  readonly httpServer: Server;
  readonly registry: Registry;
  readonly state: ServerState;
  /** The port listened on (after {@link listen}). */
  readonly port: number;
  /** `http://127.0.0.1:<port>` (after {@link listen}). */
  readonly url: string;
  faults: Faults;
  /** Starts listening, runs `warmUp`, then turns ready. Resolves with the port. */
  listen(): Promise<number>;
  /** Readiness 503, wait `drainDelayMs`, stop accepting connections, let in-flight requests finish. */
  shutdown(): Promise<void>;
}

interface Route {
  readonly method: string;
  readonly template: string;
  readonly pattern: RegExp;
  /** Recorded in the request-duration histogram (API traffic; probes, scrapes and admin calls are not). */
  readonly instrumented: boolean;
  readonly handle: (ctx: RequestContext) => Promise<void> | void;
}

interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly params: readonly string[];
  readonly trace: TraceContext;
}

const ITEM_ID = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_ADMIN_BODY_BYTES = 4096;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error(`body larger than ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const m = header === undefined ? null : /^Bearer (.+)$/.exec(header);
  if (!m) return false;
  const given = Buffer.from(m[1]);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function validNonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`reference-service: ${name} must be a non-negative integer, got ${value}`);
  }
  return value;
}

/** Creates the reference service (not yet listening: call `listen()`). */
export function createServer(options: ServerOptions = {}): ReferenceServer {
  const serviceName = options.serviceName ?? 'reference-service';
  const faultInjectionEnabled = options.faultInjectionEnabled ?? false;
  const drainDelayMs = validNonNegative('drainDelayMs', options.drainDelayMs, 0);
  const shutdownTimeoutMs = validNonNegative('shutdownTimeoutMs', options.shutdownTimeoutMs, 25_000);
  const requestedPort = validNonNegative('port', options.port, 8080);
  const log = options.log ?? ((line: string) => { process.stdout.write(`${line}\n`); });
  const random = options.random ?? Math.random;

  let initialFaults = NO_FAULTS;
  if (faultInjectionEnabled && options.faults) {
    const parsed = parseFaults({ ...options.faults });
    if (typeof parsed === 'string') throw new Error(`reference-service: faults: ${parsed}`);
    initialFaults = parsed;
  }
  let faults: Faults = initialFaults;
  let state: ServerState = 'starting';
  let port = 0;
  let shutdownPromise: Promise<void> | undefined;

  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: DURATION_METRIC,
    help: 'Duration of HTTP server requests (OpenTelemetry http.server.request.duration).',
    labelNames: ['http_request_method', 'http_route', 'http_response_status_code'] as const,
    buckets: DURATION_BUCKETS_SECONDS,
    registers: [registry],
  });

  const writeLog = (level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}): void => {
    log(JSON.stringify({ timestamp: new Date().toISOString(), level, msg, 'service.name': serviceName, ...fields }));
  };

  const adminAllowed = (req: IncomingMessage): boolean =>
    options.adminToken !== undefined && options.adminToken !== ''
      ? tokenMatches(req.headers.authorization, options.adminToken)
      : isLoopback(req.socket.remoteAddress);

  const allRoutes: Route[] = [
    {
      method: 'GET', template: '/health', pattern: /^\/health$/, instrumented: false,
      handle: ({ res }) => sendJson(res, 200, { status: 'up' }),
    },
    {
      method: 'GET', template: '/ready', pattern: /^\/ready$/, instrumented: false,
      handle: ({ res }) => sendJson(res, state === 'ready' ? 200 : 503, { status: state }),
    },
    {
      method: 'GET', template: '/metrics', pattern: /^\/metrics$/, instrumented: false,
      handle: async ({ res }) => {
        const body = await registry.metrics();
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(body);
      },
    },
    {
      method: 'GET', template: '/api/items/:id', pattern: /^\/api\/items\/([^/]+)$/, instrumented: true,
      handle: async ({ res, params }) => {
        const current = faults;
        await sleep(current.addedLatencyMs);
        if (current.errorRate > 0 && random() < current.errorRate) {
          sendJson(res, 500, { error: 'injected fault' });
          return;
        }
        const id = decodeURIComponent(params[0]);
        if (!ITEM_ID.test(id)) {
          sendJson(res, 400, { error: 'id must be 1 to 64 letters, digits, _ or -' });
          return;
        }
        sendJson(res, 200, { id, name: `item ${id}` });
      },
    },
    {
      method: 'GET', template: '/admin/faults', pattern: /^\/admin\/faults$/, instrumented: false,
      handle: ({ res }) => sendJson(res, 200, faults),
    },
    {
      method: 'POST', template: '/admin/faults', pattern: /^\/admin\/faults$/, instrumented: false,
      handle: async ({ req, res, trace }) => {
        let body: unknown;
        try {
          body = JSON.parse(await readBody(req, MAX_ADMIN_BODY_BYTES));
        } catch (e) {
          sendJson(res, 400, { error: `invalid JSON body: ${(e as Error).message}` });
          return;
        }
        const parsed = parseFaults(body, faults);
        if (typeof parsed === 'string') {
          sendJson(res, 400, { error: parsed });
          return;
        }
        faults = parsed;
        writeLog('warn', 'faults injected', { ...parsed, trace_id: trace.traceId });
        sendJson(res, 200, faults);
      },
    },
    {
      method: 'DELETE', template: '/admin/faults', pattern: /^\/admin\/faults$/, instrumented: false,
      handle: ({ res, trace }) => {
        faults = NO_FAULTS;
        writeLog('info', 'faults cleared', { trace_id: trace.traceId });
        sendJson(res, 200, faults);
      },
    },
  ];
  // Without FAULT_INJECTION_ENABLED the admin endpoints do not exist (404), not merely refuse.
  const routes = allRoutes.filter((r) => faultInjectionEnabled || !r.template.startsWith('/admin/'));

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = process.hrtime.bigint();
    const trace = traceContextFrom(req.headers.traceparent);
    const method = (req.method ?? 'GET').toUpperCase();
    const path = (req.url ?? '/').split('?')[0];
    const onPath = routes.filter((r) => r.pattern.test(path));
    const route = onPath.find((r) => r.method === method);
    const template = onPath[0]?.template;
    if (state === 'draining') res.setHeader('connection', 'close');

    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const status = res.statusCode;
      // API routes and unmatched paths (404) count; probes, scrapes and admin calls do not dilute the SLIs.
      if (onPath.length === 0 || onPath[0].instrumented) {
        // OTel: http.route is absent when no route matched (keeps cardinality bounded).
        duration.observe(template === undefined
          ? { http_request_method: method, http_response_status_code: String(status) }
          : { http_request_method: method, http_route: template, http_response_status_code: String(status) }, seconds);
      }
      const fields: Record<string, unknown> = {
        'http.request.method': method,
        'url.path': path,
        'http.response.status_code': status,
        duration_ms: Math.round(seconds * 1e6) / 1e3,
        trace_id: trace.traceId,
        span_id: trace.spanId,
      };
      if (template !== undefined) fields['http.route'] = template;
      if (trace.parentSpanId !== undefined) fields.parent_span_id = trace.parentSpanId;
      if (!res.writableFinished) fields.aborted = true;
      writeLog(status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info', 'request', fields);
      // While shutting down, a keep-alive connection that just finished its request is closed at once.
      if (state === 'draining') setImmediate(() => httpServer.closeIdleConnections());
    });

    try {
      if (!route) {
        if (onPath.length > 0) {
          res.setHeader('allow', onPath.map((r) => r.method).join(', '));
          sendJson(res, 405, { error: `method ${method} not allowed` });
        } else {
          sendJson(res, 404, { error: 'not found' });
        }
        return;
      }
      if (route.template.startsWith('/admin/') && !adminAllowed(req)) {
        sendJson(res, 403, { error: 'admin endpoints need the admin bearer token (or a loopback caller when none is configured)' });
        return;
      }
      const m = route.pattern.exec(path);
      await route.handle({ req, res, params: m ? m.slice(1) : [], trace });
    } catch (e) {
      writeLog('error', 'unhandled error', { error: (e as Error).message, trace_id: trace.traceId });
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.destroy();
    }
  };

  const httpServer = createHttpServer((req, res) => { void handler(req, res); });

  const listen = async (): Promise<number> => {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(requestedPort, options.host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
    port = (httpServer.address() as AddressInfo).port;
    writeLog('info', 'listening', { port, fault_injection_enabled: faultInjectionEnabled });
    if (options.warmUp) await options.warmUp();
    if (state === 'starting') {
      state = 'ready';
      writeLog('info', 'ready');
    }
    return port;
  };

  const shutdown = (): Promise<void> => {
    shutdownPromise ??= (async () => {
      state = 'draining';
      writeLog('info', 'draining', { drain_delay_ms: drainDelayMs });
      await sleep(drainDelayMs);
      if (!httpServer.listening) {
        state = 'stopped';
        return;
      }
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      const force = setTimeout(() => {
        writeLog('warn', 'shutdown timeout: closing remaining connections', { shutdown_timeout_ms: shutdownTimeoutMs });
        httpServer.closeAllConnections();
      }, shutdownTimeoutMs);
      force.unref();
      await closed;
      clearTimeout(force);
      state = 'stopped';
      writeLog('info', 'stopped');
    })();
    return shutdownPromise;
  };

  return {
    httpServer,
    registry,
    get state() { return state; },
    get port() { return port; },
    get url() { return `http://127.0.0.1:${port}`; },
    get faults() { return faults; },
    set faults(f: Faults) {
      const parsed = parseFaults({ ...f });
      if (typeof parsed === 'string') throw new Error(`reference-service: faults: ${parsed}`);
      faults = parsed;
    },
    listen,
    shutdown,
  };
}
