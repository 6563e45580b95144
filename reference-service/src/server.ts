import type { Server } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { Catalog } from './catalog';
import type { IamCredentials } from './db';
import type { Faults } from './faults';
import type { FlagState } from './flags';
import { FLAGS_OFF, ServiceFlags } from './flags';
import { NO_FAULTS, parseFaults } from './faults';
import { createAdmission } from './http/admission';
import { catalogRoutes, sampleRoute } from './http/catalog-routes';
import { adminAllowed, cacheAdminRoutes, faultRoutes } from './http/fault-routes';
import { createRequestHandler } from './http/handler';
import { probeRoutes } from './http/probes';
import { createHttpMetrics } from './http/request-metrics';
import { sleep } from './http/respond';
import type { LogWriter, Route, ServerState } from './http/route';
import { isAdminRoute } from './http/route';
import type { Logger } from './logger';
import { createLogger } from './logger';
import { createDataMetrics } from './metrics';
import type { Tracing } from './otel';
import { startTracing } from './otel';
import { PLATFORM_RESILIENCE } from './resilience';
import type { CacheSettings, DatabaseSettings } from './settings';

export { DURATION_BUCKETS_SECONDS, DURATION_METRIC } from './http/request-metrics';
export type { ServerState } from './http/route';

/** Options of {@link createServer}; `optionsFromEnv` (config.ts) reads them from the environment. */
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
  /** Where the feature flags are read (FLAGS_URL: the AppConfig agent, or a file); none: every flag off. */
  readonly flagsUrl?: string;
  /** How often the flags are read (FLAGS_POLL_INTERVAL_MS). Default 5000. */
  readonly flagsPollIntervalMs?: number;
  /** Timeout of one read of the flags (FLAGS_TIMEOUT_MS). Default 1000. */
  readonly flagsTimeoutMs?: number;
}

/** The running service: its HTTP server, metrics, logger, data path, state and faults, and its lifecycle. */
export interface ReferenceServer {
  readonly httpServer: Server;
  readonly registry: Registry;
  readonly logger: Logger;
  /** The data path (undefined without {@link ServerOptions.database}). */
  readonly catalog: Catalog | undefined;
  /** The feature flags as the request path reads them (every flag off until `listen()` has read them). */
  readonly flags: FlagState;
  readonly state: ServerState;
  /** The port listened on (after {@link listen}). */
  readonly port: number;
  /** `http://127.0.0.1:<port>` (after {@link listen}). */
  readonly url: string;
  faults: Faults;
  /** Reads the feature flags now (without waiting for the next poll). */
  refreshFlags(): Promise<void>;
  /** Starts listening, runs `warmUp`, then turns ready. Resolves with the port. */
  listen(): Promise<number>;
  /** Readiness 503, wait `drainDelayMs`, stop accepting connections, let in-flight requests finish. */
  shutdown(): Promise<void>;
}

/** Each server instance reads its flags through an OpenFeature domain of its own (several may run in one process). */
let flagDomains = 0;

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

  let flags: ServiceFlags | undefined;
  const currentFlags = (): FlagState => flags?.state ?? FLAGS_OFF;
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const httpMetrics = createHttpMetrics(registry);

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
      flags: currentFlags,
    })
    : undefined;

  const writeLog: LogWriter = (level, msg, fields = {}) => {
    logger[level](fields, msg);
  };

  const allRoutes: Route[] = [
    ...probeRoutes({ state: () => state, registry, ...(catalog ? { catalog } : {}) }),
    sampleRoute(),
    ...(catalog ? catalogRoutes(catalog, currentFlags) : []),
    ...faultRoutes({ current: () => faults, set: (f) => { faults = f; } }, writeLog),
    ...(catalog ? cacheAdminRoutes(() => catalog.cache.clearL1(), writeLog) : []),
  ];
  // Without FAULT_INJECTION_ENABLED the admin endpoints do not exist (404), not merely refuse.
  const routes = allRoutes.filter((r) => faultInjectionEnabled || !isAdminRoute(r));

  const handler = createRequestHandler({
    routes,
    state: () => state,
    serveApi: createAdmission({ maxInFlight, metrics: httpMetrics, faults: () => faults, random, flags: currentFlags }),
    adminAllowed: (req) => adminAllowed(options.adminToken, req),
    duration: httpMetrics.duration,
    writeLog,
    closeIdleConnections: () => httpServer.closeIdleConnections(),
  });
  const httpServer: Server = createHttpServer(handler);

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
    // Bounded by the flags timeout and never failing: an unreachable flag source leaves every flag off.
    flags = await ServiceFlags.start({
      url: options.flagsUrl,
      pollIntervalMs: options.flagsPollIntervalMs ?? 5000,
      timeoutMs: options.flagsTimeoutMs ?? 1000,
      domain: `${serviceName}:${flagDomains++}`,
      log: (level, msg, fields) => writeLog(level, msg, fields),
    });
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
    flags?.close();
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
    get flags() { return currentFlags(); },
    refreshFlags: async () => { await flags?.refresh(); },
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
