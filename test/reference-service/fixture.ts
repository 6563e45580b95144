/**
 * Shared setup for the reference service's tests against real dependencies: PostgreSQL and Redis with TLS (test
 * certificates), optionally behind TCP proxies, and services started in-process from an environment, exactly as
 * the platform starts them (`start()` reads the variables through ENV_VARS).
 */
import type { Env, ReferenceServer, ServerOptions } from '../../reference-service/src';
import { start } from '../../reference-service/src';
import type { PostgresServer } from '../../cli/gameday/local/postgres';
import { startPostgres } from '../../cli/gameday/local/postgres';
import type { RedisServer } from '../../cli/gameday/local/redis';
import { startRedis } from '../../cli/gameday/local/redis';
import type { TcpProxy } from '../../cli/gameday/local/tcp-proxy';
import { startTcpProxy } from '../../cli/gameday/local/tcp-proxy';

export interface Dependencies {
  readonly pg: PostgresServer;
  readonly redis: RedisServer;
  /** Proxies in front of PostgreSQL and Redis (the service connects through them when `proxy` was asked for). */
  readonly dbProxy: TcpProxy | undefined;
  readonly cacheProxy: TcpProxy | undefined;
  close(): Promise<void>;
}

/** Starts PostgreSQL and Redis (in parallel); everything started is stopped again if one of them fails. */
export async function startDependencies(options: { proxy?: boolean } = {}): Promise<Dependencies> {
  const [pg, redis] = await Promise.allSettled([startPostgres(), startRedis()]);
  if (pg.status === 'rejected' || redis.status === 'rejected') {
    if (pg.status === 'fulfilled') await pg.value.close();
    if (redis.status === 'fulfilled') await redis.value.close();
    throw (pg.status === 'rejected' ? pg.reason : (redis as PromiseRejectedResult).reason) as Error;
  }
  const dbProxy = options.proxy ? await startTcpProxy({ host: pg.value.host, port: pg.value.port }) : undefined;
  const cacheProxy = options.proxy ? await startTcpProxy({ host: redis.value.host, port: redis.value.port }) : undefined;
  return {
    pg: pg.value,
    redis: redis.value,
    dbProxy,
    cacheProxy,
    close: async () => {
      await dbProxy?.close();
      await cacheProxy?.close();
      await Promise.all([pg.value.close(), redis.value.close()]);
    },
  };
}

/** The environment the platform would give the service for these dependencies (plus the test CAs). */
export function platformEnv(deps: Dependencies, extra: Env = {}): Env {
  const { pg, redis, dbProxy, cacheProxy } = deps;
  return {
    SERVICE_NAME: 'checkout',
    DB_ENDPOINT: '127.0.0.1',
    DB_PORT: String(dbProxy?.port ?? pg.port),
    DB_NAME: pg.database,
    DB_USER: pg.user,
    DB_PASSWORD: pg.password,
    DB_TLS: 'require',
    DB_TLS_CA_FILE: pg.certificates?.caFile,
    CACHE_L2_ENDPOINT: '127.0.0.1',
    CACHE_L2_PORT: String(cacheProxy?.port ?? redis.port),
    CACHE_L2_TLS: 'true',
    CACHE_L2_USERNAME: redis.username,
    CACHE_L2_PASSWORD: redis.password,
    CACHE_L2_TLS_CA_FILE: redis.certificates?.caFile,
    ...extra,
  };
}

export type LogLine = Record<string, unknown>;

export interface RunningService {
  readonly server: ReferenceServer;
  readonly lines: LogLine[];
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  order(idempotencyKey: string, body: unknown): Promise<Response>;
  metrics(): Promise<string>;
  /** The sum of the samples matching `labels` (0 when none). */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
}

const running: ReferenceServer[] = [];

/** Starts the service in-process from `env`, logging into memory. Stopped by {@link stopServices}. */
export async function startService(env: Env, overrides: ServerOptions = {}): Promise<RunningService> {
  const lines: LogLine[] = [];
  const server = await start({
    env,
    handleSignals: false,
    overrides: {
      port: 0, host: '127.0.0.1', drainDelayMs: 0, defaultMetrics: false,
      log: (line) => lines.push(JSON.parse(line) as LogLine),
      ...overrides,
    },
  });
  running.push(server);
  const metrics = async (): Promise<string> => (await fetch(`${server.url}/metrics`)).text();
  return {
    server,
    lines,
    get: (path, headers = {}) => fetch(`${server.url}${path}`, { headers }),
    order: (idempotencyKey, body) => fetch(`${server.url}/orders`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey }, body: JSON.stringify(body),
    }),
    metrics,
    metric: async (name, labels = {}) => metricValue(await metrics(), name, labels),
  };
}

/** Shuts down every service started by {@link startService}. */
export async function stopServices(): Promise<void> {
  await Promise.all(running.splice(0).map((s) => s.shutdown()));
}

/** The sum of the samples `name{labels...}` in a Prometheus exposition (labels in any order; others summed over). */
export function metricValue(exposition: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of exposition.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(m[4]);
  }
  return sum;
}
