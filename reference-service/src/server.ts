import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { propagation, ROOT_CONTEXT, SpanStatusCode } from '@opentelemetry/api';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { Catalog } from './catalog';
import type { IamCredentials } from './db';
import type { Faults } from './faults';
import { NO_FAULTS, parseFaults } from './faults';
import type { Logger } from './logger';
import { createLogger, requestContext } from './logger';
import { createDataMetrics, METRICS } from './metrics';
import type { Tracing } from './otel';
import { startTracing } from './otel';
import { DependencyUnavailableError, PLATFORM_RESILIENCE } from './resilience';
import type { CacheSettings, DatabaseSettings } from './settings';
import { SpanKind, tracer } from './telemetry';
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
  /** The database behind the data routes (DB_*). Without it the service serves probes and the sample route only. */
  readonly database?: DatabaseSettings;
  /** The tiered cache in front of the database (CACHE_*). */
  readonly cache?: CacheSettings;
  /** Multiplies health-check, half-open and retry intervals (TIME_SCALE; tests shrink them). Default 1. */
  readonly timeScale?: number;
  /** API requests served at once; more are shed at admission with 503 + Retry-After (MAX_IN_FLIGHT). Default 200. */
  readonly maxInFlight?: number;
  /** OTLP/HTTP endpoint of the collector (OTEL_EXPORTER_OTLP_ENDPOINT): traces are exported when set. */
  readonly otlpEndpoint?: string;
  /** Credentials for signing RDS IAM auth tokens (tests); default the SDK's provider chain. */
  readonly iamCredentials?: IamCredentials;
}

export interface ReferenceServer {
  readonly httpServer: Server;
  readonly registry: Registry;
  readonly logger: Logger;
  /** The data path (undefined without {@link ServerOptions.database}). */
  readonly catalog: Catalog | undefined;
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
  readonly query: URLSearchParams;
  readonly trace: TraceContext;
}

const ITEM_ID = /^[A-Za-z0-9_-]{1,64}$/;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;
const MAX_ADMIN_BODY_BYTES = 4096;
const MAX_ORDER_BODY_BYTES = 4096;
const MAX_ORDER_QUANTITY = 100;
const DEFAULT_POPULAR_LIMIT = 10;
const MAX_POPULAR_LIMIT = 100;

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** 503 with Retry-After: the answer whenever the service sheds load or a dependency refuses work. */
function sendUnavailable(res: ServerResponse, retryAfterSeconds: number, body: Record<string, unknown>): void {
  sendJson(res, 503, body, { 'retry-after': String(retryAfterSeconds) });
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
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
  const maxInFlight = options.maxInFlight ?? 200;
  const timeScale = options.timeScale ?? 1;
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1) throw new Error(`reference-service: maxInFlight must be a positive integer, got ${maxInFlight}`);
  if (!(timeScale > 0 && timeScale <= 1)) throw new Error(`reference-service: timeScale must be in (0, 1], got ${timeScale}`);
  const logger = createLogger(serviceName, options.log);
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
  let tracing: Tracing | undefined;
  let inFlight = 0;

  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: DURATION_METRIC,
    help: 'Duration of HTTP server requests (OpenTelemetry http.server.request.duration).',
    labelNames: ['http_request_method', 'http_route', 'http_response_status_code'] as const,
    buckets: DURATION_BUCKETS_SECONDS,
    registers: [registry],
  });
  const active = new Gauge({
    name: METRICS.activeRequests,
    help: 'API requests in flight (OpenTelemetry http.server.active_requests).',
    registers: [registry],
  });
  const shed = new Counter({
    name: METRICS.shedRequests,
    help: 'API requests shed at admission (503 + Retry-After) because too many were in flight.',
    labelNames: ['http_route'] as const,
    registers: [registry],
  });

  const catalog = options.database
    ? new Catalog({
      database: options.database,
      cache: options.cache ?? { l1TtlSeconds: 300, l1MaxItems: 10_000 },
      serviceName,
      metrics: createDataMetrics(registry),
      logger,
      timeScale,
      random,
      iamCredentials: options.iamCredentials,
    })
    : undefined;

  const writeLog = (level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}): void => {
    logger[level](fields, msg);
  };

  const adminAllowed = (req: IncomingMessage): boolean =>
    options.adminToken !== undefined && options.adminToken !== ''
      ? tokenMatches(req.headers.authorization, options.adminToken)
      : isLoopback(req.socket.remoteAddress);

  /** Dependency errors become 503 + Retry-After; anything else propagates (a 500). */
  const unavailable = (res: ServerResponse, e: unknown): boolean => {
    if (!(e instanceof DependencyUnavailableError)) return false;
    sendUnavailable(res, e.retryAfterSeconds, { error: `${e.dependency} unavailable`, reason: e.reason });
    return true;
  };

  const dataRoutes: Route[] = catalog === undefined ? [] : [
    {
      method: 'GET', template: '/items/:id', pattern: /^\/items\/([^/]+)$/, instrumented: true,
      handle: async ({ res, params }) => {
        const id = decodeURIComponent(params[0]);
        if (!ITEM_ID.test(id)) {
          sendJson(res, 400, { error: 'id must be 1 to 64 letters, digits, _ or -' });
          return;
        }
        try {
          const { value, source } = await catalog.getItem(id);
          if (value === undefined) sendJson(res, 404, { error: `item ${id} not found` }, { 'x-cache': source });
          else sendJson(res, 200, value, { 'x-cache': source });
        } catch (e) {
          if (!unavailable(res, e)) throw e;
        }
      },
    },
    {
      method: 'GET', template: '/items', pattern: /^\/items$/, instrumented: true,
      handle: async ({ res, query }) => {
        if (!query.has('popular')) {
          sendJson(res, 400, { error: 'list items with ?popular (and optionally &limit=1..100)' });
          return;
        }
        const limit = query.has('limit') ? Number(query.get('limit')) : DEFAULT_POPULAR_LIMIT;
        if (!Number.isInteger(limit) || limit < 1 || limit > MAX_POPULAR_LIMIT) {
          sendJson(res, 400, { error: `limit must be an integer between 1 and ${MAX_POPULAR_LIMIT}` });
          return;
        }
        try {
          const { value, source } = await catalog.popular(limit);
          sendJson(res, 200, { items: value }, { 'x-cache': source });
        } catch (e) {
          if (!unavailable(res, e)) throw e;
        }
      },
    },
    {
      method: 'POST', template: '/orders', pattern: /^\/orders$/, instrumented: true,
      handle: async ({ req, res }) => {
        const key = firstHeader(req.headers['idempotency-key']);
        if (key === undefined || !IDEMPOTENCY_KEY.test(key)) {
          sendJson(res, 400, { error: 'an Idempotency-Key header of 1 to 128 letters, digits, ., _, : or - is required' });
          return;
        }
        let body: { itemId?: unknown; quantity?: unknown };
        try {
          body = JSON.parse(await readBody(req, MAX_ORDER_BODY_BYTES)) as typeof body;
        } catch (e) {
          sendJson(res, 400, { error: `invalid JSON body: ${(e as Error).message}` });
          return;
        }
        const { itemId, quantity } = body ?? {};
        if (typeof itemId !== 'string' || !ITEM_ID.test(itemId)) {
          sendJson(res, 400, { error: 'itemId must be 1 to 64 letters, digits, _ or -' });
          return;
        }
        if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > MAX_ORDER_QUANTITY) {
          sendJson(res, 400, { error: `quantity must be an integer between 1 and ${MAX_ORDER_QUANTITY}` });
          return;
        }
        try {
          const outcome = await catalog.placeOrder(key, itemId, quantity);
          switch (outcome.kind) {
            case 'created': sendJson(res, 201, outcome.order); break;
            case 'replayed': sendJson(res, 200, outcome.order, { 'idempotent-replayed': 'true' }); break;
            case 'key_reused': sendJson(res, 422, { error: 'this Idempotency-Key was used for a different order', order: outcome.order }); break;
            case 'not_found': sendJson(res, 404, { error: `item ${itemId} not found` }); break;
            case 'out_of_stock': sendJson(res, 409, { error: `item ${itemId} has fewer than ${quantity} in stock` }); break;
          }
        } catch (e) {
          if (!unavailable(res, e)) throw e;
        }
      },
    },
  ];

  const allRoutes: Route[] = [
    {
      method: 'GET', template: '/health', pattern: /^\/health$/, instrumented: false,
      handle: ({ res }) => sendJson(res, 200, { status: 'up' }),
    },
    {
      // Readiness is the service's own state only: never a dependency's (a database outage must not take every
      // task out of the load balancer, or cached reads could not be served).
      method: 'GET', template: '/ready', pattern: /^\/ready$/, instrumented: false,
      handle: ({ res }) => sendJson(res, state === 'ready' ? 200 : 503, { status: state }),
    },
    {
      method: 'GET', template: '/metrics', pattern: /^\/metrics$/, instrumented: false,
      handle: async ({ res }) => {
        catalog?.collectMetrics();
        const body = await registry.metrics();
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(body);
      },
    },
    {
      method: 'GET', template: '/api/items/:id', pattern: /^\/api\/items\/([^/]+)$/, instrumented: true,
      handle: ({ res, params }) => {
        const id = decodeURIComponent(params[0]);
        if (!ITEM_ID.test(id)) {
          sendJson(res, 400, { error: 'id must be 1 to 64 letters, digits, _ or -' });
          return;
        }
        sendJson(res, 200, { id, name: `item ${id}` });
      },
    },
    ...dataRoutes,
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

  /** API routes: admission control (shed at once when too many are in flight), then injected faults, then the route. */
  const serveApi = async (route: Route, ctx: RequestContext): Promise<void> => {
    const { res } = ctx;
    if (inFlight >= maxInFlight) {
      shed.inc({ http_route: route.template });
      sendUnavailable(res, 1, { error: 'overloaded: too many requests in flight', reason: 'shed' });
      return;
    }
    inFlight += 1;
    active.inc();
    res.once('close', () => {
      inFlight -= 1;
      active.dec();
    });
    const current = faults;
    await sleep(current.addedLatencyMs);
    if (current.errorRate > 0 && random() < current.errorRate) {
      sendJson(res, 500, { error: 'injected fault' });
      return;
    }
    await route.handle(ctx);
  };

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const started = process.hrtime.bigint();
    const incoming = traceContextFrom(req.headers.traceparent);
    const givenRequestId = firstHeader(req.headers['x-request-id']);
    const requestId = givenRequestId !== undefined && REQUEST_ID.test(givenRequestId) ? givenRequestId : randomUUID();
    const method = (req.method ?? 'GET').toUpperCase();
    const [path, queryString] = (req.url ?? '/').split('?', 2);
    const onPath = routes.filter((r) => r.pattern.test(path));
    const route = onPath.find((r) => r.method === method);
    const template = onPath[0]?.template;
    if (state === 'draining') res.setHeader('connection', 'close');

    // The server span continues the caller's trace (W3C traceparent) when the SDK is on; otherwise the ids are ours.
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const attributes = { 'http.request.method': method, 'url.path': path, ...(template ? { 'http.route': template } : {}) };
    tracer.startActiveSpan(template ? `${method} ${template}` : method, { kind: SpanKind.SERVER, attributes }, parent, (span) => {
      const recording = span.isRecording();
      const trace: TraceContext = recording
        ? { traceId: span.spanContext().traceId, spanId: span.spanContext().spanId, ...(incoming.parentSpanId ? { parentSpanId: incoming.parentSpanId } : {}) }
        : incoming;
      res.setHeader('x-request-id', requestId);
      res.setHeader('traceparent', `00-${trace.traceId}-${trace.spanId}-${recording ? '01' : '00'}`);

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
          request_id: requestId,
          trace_id: trace.traceId,
          span_id: trace.spanId,
        };
        if (template !== undefined) fields['http.route'] = template;
        if (trace.parentSpanId !== undefined) fields.parent_span_id = trace.parentSpanId;
        if (!res.writableFinished) fields.aborted = true;
        writeLog(status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info', 'request', fields);
        span.setAttribute('http.response.status_code', status);
        if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
        // While shutting down, a keep-alive connection that just finished its request is closed at once.
        if (state === 'draining') setImmediate(() => httpServer.closeIdleConnections());
      });

      const serve = async (): Promise<void> => {
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
          const ctx: RequestContext = { req, res, params: m ? m.slice(1) : [], query: new URLSearchParams(queryString ?? ''), trace };
          if (route.instrumented) await serveApi(route, ctx);
          else await route.handle(ctx);
        } catch (e) {
          writeLog('error', 'unhandled error', { error: (e as Error).message });
          if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
          else res.destroy();
        }
      };
      requestContext.run({ request_id: requestId, trace_id: trace.traceId, span_id: trace.spanId }, () => { void serve(); });
    });
  };

  const httpServer = createHttpServer(handler);

  /** Applies the schema (retrying with capped, jittered backoff while the database is unreachable), then starts the caches and health checks. */
  const startDataPath = async (data: Catalog): Promise<void> => {
    const { initialDelayMs, maxDelayMs } = PLATFORM_RESILIENCE.retry;
    for (let attempt = 0; ; attempt++) {
      try {
        await data.migrate();
        break;
      } catch (e) {
        if (state !== 'starting') return;
        const delay = Math.floor(random() * Math.min(maxDelayMs, initialDelayMs * 2 ** attempt) * timeScale);
        writeLog('warn', 'database not ready: retrying the migration', { error: (e as Error).message, attempt: attempt + 1, delay_ms: delay });
        await sleep(delay);
      }
    }
    await data.startDependencies();
  };

  const listen = async (): Promise<number> => {
    // Only when configured: without an endpoint no provider is registered and the API's spans are no-ops.
    if (options.otlpEndpoint) tracing = startTracing(options.otlpEndpoint, serviceName);
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(requestedPort, options.host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
    port = (httpServer.address() as AddressInfo).port;
    writeLog('info', 'listening', { port, fault_injection_enabled: faultInjectionEnabled, data_path: catalog !== undefined });
    if (catalog) await startDataPath(catalog);
    if (options.warmUp) await options.warmUp();
    if (state === 'starting') {
      state = 'ready';
      writeLog('info', 'ready');
    }
    return port;
  };

  const closeDependencies = async (): Promise<void> => {
    await catalog?.close();
    await tracing?.shutdown();
  };

  const shutdown = (): Promise<void> => {
    shutdownPromise ??= (async () => {
      state = 'draining';
      writeLog('info', 'draining', { drain_delay_ms: drainDelayMs });
      await sleep(drainDelayMs);
      if (!httpServer.listening) {
        await closeDependencies();
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
      await closeDependencies();
      state = 'stopped';
      writeLog('info', 'stopped');
    })();
    return shutdownPromise;
  };

  return {
    httpServer,
    registry,
    logger,
    catalog,
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
