import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { rootCertificates } from 'node:tls';
import { Signer } from '@aws-sdk/rds-signer';
import type { PoolClient, PoolConfig, QueryResultRow } from 'pg';
import pg from 'pg';
import type { Logger } from './logger';
import type { DataMetrics } from './metrics';
import { Dependency, errorType as errorTypeOf, PLATFORM_RESILIENCE } from './resilience';
import type { DatabaseSettings } from './settings';
import { inSpan, SpanKind } from './telemetry';

/** Idle connections are closed after this long (the platform's table: 300 s). */
export const POOL_IDLE_TIMEOUT_MS = 300_000;

/**
 * SQLSTATEs that mean the database (not the statement) is in trouble: connection exceptions (class 08), insufficient
 * resources (53), shutdown and recovery (57P01-57P03), a statement cancelled by statement_timeout (57014).
 */
function isTransientSqlState(code: string | undefined): boolean {
  return code !== undefined && (code.startsWith('08') || code.startsWith('53') || code === '57014' || /^57P0[1-3]$/.test(code));
}

/**
 * Whether an error means the database is failing (counts for its breaker; reads retry it): connection errors,
 * timeouts, and the SQLSTATEs above. A statement the server rejected for itself (a constraint, a syntax error) is not.
 */
export function isDatabaseFailure(error: Error): boolean {
  if (error instanceof pg.DatabaseError) return isTransientSqlState(error.code);
  return true;
}

/** Credentials used to sign IAM auth tokens (tests); default: the SDK's provider chain (the task or pod role). */
export type IamCredentials = NonNullable<ConstructorParameters<typeof Signer>[0]['credentials']>;

/**
 * The password for a new connection: an RDS IAM auth token (valid 15 minutes, signed locally with the task's role
 * for this endpoint and user, as RDS Proxy expects), or the configured password.
 */
export function passwordFor(settings: DatabaseSettings, hostname: string, credentials?: IamCredentials): string | (() => Promise<string>) {
  if (!settings.iamAuth) return settings.password ?? '';
  const signer = new Signer({
    hostname, port: settings.port, username: settings.user, region: settings.region, ...(credentials ? { credentials } : {}),
  });
  return () => signer.getAuthToken();
}

function tlsOptions(settings: DatabaseSettings): ConnectionOptions | false {
  if (!settings.tls) return false;
  // An extra CA is added to the public roots (RDS Proxy's ACM certificates chain to those), not put in their place.
  const ca = settings.tlsCaFile ? [...rootCertificates, readFileSync(settings.tlsCaFile, 'utf8')] : undefined;
  return { rejectUnauthorized: true, ...(ca ? { ca } : {}) };
}

interface NamedPool {
  readonly name: 'writer' | 'reader';
  readonly pool: pg.Pool;
}

export interface DatabaseOptions {
  readonly settings: DatabaseSettings;
  readonly applicationName: string;
  readonly metrics: DataMetrics;
  readonly logger: Logger;
  /** Multiplies the health-check and retry intervals (TIME_SCALE). */
  readonly timeScale: number;
  /** Random source for retry jitter. */
  readonly random: () => number;
  readonly iamCredentials?: IamCredentials;
}

/** A versioned, idempotent, backward-compatible (additive only) migration. */
interface Migration {
  readonly version: number;
  readonly statements: readonly string[];
}

/** Items seeded by the migration, so a fresh environment serves the read path (ids "1".."1000"). */
export const SEED_ITEMS = 1000;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    statements: [
      `CREATE TABLE IF NOT EXISTS items (
         id text PRIMARY KEY,
         name text NOT NULL,
         price_cents integer NOT NULL CHECK (price_cents >= 0),
         stock integer NOT NULL CHECK (stock >= 0),
         orders_count bigint NOT NULL DEFAULT 0,
         updated_at timestamptz NOT NULL DEFAULT now())`,
      `CREATE TABLE IF NOT EXISTS orders (
         id bigserial PRIMARY KEY,
         idempotency_key text NOT NULL UNIQUE,
         item_id text NOT NULL REFERENCES items (id),
         quantity integer NOT NULL CHECK (quantity > 0),
         created_at timestamptz NOT NULL DEFAULT now())`,
    ],
  },
  {
    version: 2,
    statements: [
      'CREATE INDEX IF NOT EXISTS items_orders_count_idx ON items (orders_count DESC, id)',
      `INSERT INTO items (id, name, price_cents, stock)
         SELECT g::text, 'Item ' || g, 100 + (g * 37) % 9900, 1000 FROM generate_series(1, ${SEED_ITEMS}) AS g
         ON CONFLICT (id) DO NOTHING`,
    ],
  },
];

/**
 * PostgreSQL: a pool per endpoint (writer, read-only; one shared pool when they are the same) within the task's
 * connection budget, TLS verified, every call through the dependency's policies and recorded as a metric and a span.
 */
export class Database {
  readonly dependency: Dependency;
  private readonly writer: NamedPool;
  private readonly reader: NamedPool;
  private readonly settings: DatabaseSettings;
  private readonly metrics: DataMetrics;

  constructor(options: DatabaseOptions) {
    const { settings, metrics, logger } = options;
    this.settings = settings;
    this.metrics = metrics;
    const shared = settings.readOnlyEndpoint === settings.endpoint;
    // Within the task's budget: one pool takes it all, or reads get three quarters and writes the rest.
    const writerMax = shared ? settings.poolMax : Math.max(1, Math.floor(settings.poolMax / 4));
    const readerMax = shared ? settings.poolMax : Math.max(1, settings.poolMax - writerMax);
    const makePool = (name: 'writer' | 'reader', host: string, max: number): NamedPool => {
      const config: PoolConfig = {
        host,
        port: settings.port,
        database: settings.database,
        user: settings.user,
        password: passwordFor(settings, host, options.iamCredentials),
        ssl: tlsOptions(settings),
        max,
        idleTimeoutMillis: POOL_IDLE_TIMEOUT_MS,
        connectionTimeoutMillis: PLATFORM_RESILIENCE.database.connectTimeoutMs,
        statement_timeout: settings.queryTimeoutMs,
        query_timeout: settings.queryTimeoutMs,
        application_name: options.applicationName,
        keepAlive: true,
      };
      const pool = new pg.Pool(config);
      // An idle connection that breaks (failover, restart) is dropped by the pool; without a listener it would crash.
      pool.on('error', (e) => logger.warn({ pool_name: name, error: e.message }, 'idle database connection lost'));
      metrics.poolMax.set({ pool_name: name }, max);
      return { name, pool };
    };
    this.writer = makePool('writer', settings.endpoint, writerMax);
    this.reader = shared ? this.writer : makePool('reader', settings.readOnlyEndpoint, readerMax);

    const scale = options.timeScale;
    this.dependency = new Dependency({
      name: 'database',
      timeoutMs: settings.queryTimeoutMs,
      breakerFailures: PLATFORM_RESILIENCE.database.breakerFailures,
      healthIntervalMs: Math.max(1, Math.round(PLATFORM_RESILIENCE.database.healthIntervalMs * scale)),
      healthTimeoutMs: PLATFORM_RESILIENCE.database.healthTimeoutMs,
      // The writer answers for the database: it is what writes and the breaker protect.
      healthCheck: () => this.writer.pool.query('SELECT 1'),
      // As many calls as connections, and as many waiting: beyond that a call is refused at once, not queued.
      bulkhead: { limit: settings.poolMax, queue: settings.poolMax },
      retry: {
        retries: PLATFORM_RESILIENCE.retry.retries,
        initialDelayMs: PLATFORM_RESILIENCE.retry.initialDelayMs * scale,
        maxDelayMs: PLATFORM_RESILIENCE.retry.maxDelayMs * scale,
        random: options.random,
      },
      isFailure: isDatabaseFailure,
      metrics,
      logger,
    });
  }

  /**
   * Opens half of each pool's connections, one after the other, before the task turns ready: a new task does not
   * meet its first traffic by opening every connection at once (TLS and authentication for each), which under load
   * turns into connect timeouts and an open breaker. Failures are logged, not fatal (the pool connects on demand).
   */
  async warmPools(logger: Logger): Promise<void> {
    for (const { name, pool } of new Set([this.writer, this.reader])) {
      const target = Math.ceil((pool.options.max ?? 1) / 2);
      const clients: PoolClient[] = [];
      try {
        while (clients.length < target) clients.push(await pool.connect());
      } catch (e) {
        logger.warn({ pool_name: name, opened: clients.length, error: (e as Error).message }, 'pool warm-up incomplete');
      } finally {
        for (const c of clients) c.release();
      }
    }
  }

  /** Updates the pool gauges (called before each scrape). */
  collectPoolMetrics(): void {
    for (const { name, pool } of new Set([this.writer, this.reader])) {
      this.metrics.poolConnections.set({ pool_name: name, state: 'used' }, pool.totalCount - pool.idleCount);
      this.metrics.poolConnections.set({ pool_name: name, state: 'idle' }, pool.idleCount);
      this.metrics.poolPending.set({ pool_name: name }, pool.waitingCount);
    }
  }

  /** An idempotent read on the read-only endpoint: bulkhead, bounded jittered retries, breaker, timeout. */
  read<R extends QueryResultRow>(operation: string, text: string, values: readonly unknown[] = []): Promise<R[]> {
    const { pool } = this.reader;
    return this.dependency.read.execute(() =>
      this.timed(operation, this.settings.readOnlyEndpoint, async () => (await pool.query<R>(text, [...values])).rows));
  }

  /**
   * A transaction on the writer: bulkhead, breaker, timeout, never retried. Committed when `fn` returns
   * `commit: true`, rolled back otherwise or when it throws.
   */
  transaction<T>(operation: string, fn: (client: PoolClient) => Promise<{ readonly commit: boolean; readonly value: T }>): Promise<T> {
    const { pool } = this.writer;
    return this.dependency.write.execute(() => this.timed(operation, this.settings.endpoint, async () => {
      const client = await pool.connect();
      let failed: Error | undefined;
      try {
        await client.query('BEGIN');
        const { commit, value } = await fn(client);
        await client.query(commit ? 'COMMIT' : 'ROLLBACK');
        return value;
      } catch (e) {
        failed = e as Error;
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        // A connection whose transaction broke is not reused.
        client.release(failed !== undefined && isDatabaseFailure(failed) ? failed : undefined);
      }
    }));
  }

  /** Applies the migrations not yet applied, under an advisory lock (tasks starting together apply them once). */
  async migrate(): Promise<number[]> {
    const client = await this.writer.pool.connect();
    const applied: number[] = [];
    try {
      await client.query('BEGIN');
      await client.query("SELECT pg_advisory_xact_lock(hashtext('reference-service:migrations'))");
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
      const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
      const done = new Set(rows.map((r) => r.version));
      for (const migration of MIGRATIONS) {
        if (done.has(migration.version)) continue;
        for (const statement of migration.statements) await client.query(statement);
        await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [migration.version]);
        applied.push(migration.version);
      }
      await client.query('COMMIT');
      return applied;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.dependency.stop();
    await Promise.all([...new Set([this.writer, this.reader])].map(({ pool }) => pool.end()));
  }

  private async timed<T>(operation: string, host: string, fn: () => Promise<T>): Promise<T> {
    const started = process.hrtime.bigint();
    let errorType: string | undefined;
    try {
      return await inSpan(operation, SpanKind.CLIENT, {
        'db.system.name': 'postgresql',
        'db.operation.name': operation,
        'db.namespace': this.settings.database,
        'server.address': host,
        'server.port': this.settings.port,
      }, fn);
    } catch (e) {
      errorType = errorTypeOf(e);
      throw e;
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.metrics.operationDuration.observe(errorType === undefined
        ? { db_system_name: 'postgresql', db_operation_name: operation }
        : { db_system_name: 'postgresql', db_operation_name: operation, error_type: errorType }, seconds);
    }
  }
}
