import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { rootCertificates } from 'node:tls';
import type { ClusterOptions, RedisOptions } from 'ioredis';
import { Cluster, Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { Logger } from './logger';
import type { DataMetrics } from './metrics';
import { Dependency, errorType as errorTypeOf, PLATFORM_RESILIENCE } from './resilience';
import type { CacheSettings, L2Settings } from './settings';
import { inSpan, SpanKind } from './telemetry';

/**
 * Version of the cached values' shape, in every key: a release that changes the shape bumps it and never reads
 * the previous release's entries (which age out by TTL).
 */
export const CACHE_KEY_VERSION = 'v1';

/** Keys whose L2 invalidation failed, replayed by the health check before the bypass ends (bounded). */
const MAX_PENDING_INVALIDATIONS = 10_000;

export type CacheTier = 'L1' | 'L2';

export interface CacheHit<T> {
  readonly value: T;
  readonly tier: CacheTier;
}

export interface TieredCacheOptions {
  readonly settings: CacheSettings;
  /** Key namespace (the service name). */
  readonly namespace: string;
  readonly metrics: DataMetrics;
  readonly logger: Logger;
  /** Multiplies the health-check interval and the delayed second invalidation (TIME_SCALE). */
  readonly timeScale: number;
  /** Whether the cache-bypass flag is on: reads and fills skip L2 (invalidations still reach it). */
  readonly bypassFlag?: () => boolean;
}

function tlsOptions(l2: L2Settings): ConnectionOptions | undefined {
  if (!l2.tls) return undefined;
  return l2.tlsCaFile ? { ca: [...rootCertificates, readFileSync(l2.tlsCaFile, 'utf8')] } : {};
}

function createClient(l2: L2Settings): Redis | Cluster {
  const timeoutMs = PLATFORM_RESILIENCE.cache.callTimeoutMs;
  const options: RedisOptions = {
    username: l2.username,
    password: l2.password,
    tls: tlsOptions(l2),
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    // Fail at once while disconnected (the caller falls back to the database) instead of queueing commands.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // Reconnect for ever, quickly: the breaker, not the client, decides when the cache is used again.
    retryStrategy: (times: number) => Math.min(times * 100, 1000),
    lazyConnect: true,
  };
  if (!l2.clusterMode) return new Redis({ ...options, host: l2.endpoint, port: l2.port });
  const clusterOptions: ClusterOptions = {
    redisOptions: options,
    enableOfflineQueue: false,
    lazyConnect: true,
    slotsRefreshTimeout: timeoutMs,
    clusterRetryStrategy: (times: number) => Math.min(times * 100, 1000),
    // No retries inside the cluster client either (its default retries a command whose node is gone or whose shard
    // is down every 100 ms, up to 16 times): a read of a shard without a reachable node fails at once and goes to
    // the database, instead of waiting out the 1 s call timeout twice (GET, then SET) without ever tripping the
    // breaker. MOVED and ASK are still followed, and a MOVED refreshes the slots: the client finds a promoted replica.
    retryDelayOnFailover: 0,
    retryDelayOnClusterDown: 0,
    // ElastiCache with TLS: connect by the configuration endpoint's name so certificates match.
    dnsLookup: (address, callback) => callback(null, address),
  };
  return new Cluster([{ host: l2.endpoint, port: l2.port }], clusterOptions);
}

/**
 * The hit rates a tiered cache is sized for: L1 answers at least 80% of reads, L2 at least 60% of what L1 misses
 * (`npm run bench:service` measures them; the game day's cache rebuild is counted against the L1 share).
 */
export const HIT_RATE_TARGETS = { l1: 0.8, l2OfL1Misses: 0.6 } as const;

/**
 * Cache-aside over two tiers: L1, an in-process LRU with a short TTL, then L2, Valkey/Redis shared by the tasks.
 * L2 calls go through the cache's policies (bulkhead, breaker, 1 s timeout, no retries: a miss costs one database
 * read). After 5 consecutive failures L2 is bypassed: no L2 calls at all, only the health check (every 15 s) probes
 * it, and its success ends the bypass. Readiness never depends on the cache.
 */
export class TieredCache {
  readonly dependency: Dependency | undefined;
  private readonly l1: LRUCache<string, { readonly value: unknown }> | undefined;
  private readonly l2: Redis | Cluster | undefined;
  private readonly pendingInvalidations = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly secondInvalidationMs: number;

  constructor(private readonly options: TieredCacheOptions) {
    const { settings, metrics, logger } = options;
    if (settings.l1MaxItems > 0) {
      this.l1 = new LRUCache({
        max: settings.l1MaxItems,
        ttl: settings.l1TtlSeconds * 1000,
        // Expired entries stay (until evicted) so a read can fall back to them when the database is down.
        noDeleteOnStaleGet: true,
        allowStale: false,
      });
    }
    this.secondInvalidationMs = Math.max(1, Math.round(1000 * options.timeScale));
    const l2 = settings.l2;
    if (l2) {
      const client = createClient(l2);
      this.l2 = client;
      client.on('error', (e: Error) => logger.debug({ error: e.message }, 'cache connection error'));
      this.dependency = new Dependency({
        name: 'cache',
        timeoutMs: PLATFORM_RESILIENCE.cache.callTimeoutMs,
        breakerFailures: PLATFORM_RESILIENCE.cache.breakerFailures,
        healthIntervalMs: Math.max(1, Math.round(PLATFORM_RESILIENCE.cache.healthIntervalMs * options.timeScale)),
        healthTimeoutMs: PLATFORM_RESILIENCE.cache.healthTimeoutMs,
        healthCheck: () => this.probe(),
        bulkhead: { limit: 200, queue: 200 },
        isFailure: () => true,
        metrics,
        logger,
      });
      metrics.cacheBypassActive.set({ tier: 'l2' }, 0);
      this.dependency.breaker.onStateChange(() => {
        const bypassed = this.bypassed;
        metrics.cacheBypassActive.set({ tier: 'l2' }, bypassed ? 1 : 0);
        logger[bypassed ? 'warn' : 'info']({ tier: 'l2' }, bypassed ? 'cache bypass active' : 'cache bypass ended');
      });
    }
  }

  /** True while L2 is configured but bypassed (its breaker is not closed). */
  get bypassed(): boolean {
    return this.dependency !== undefined && this.dependency.state !== 'closed';
  }

  /** True while reads skip L2: bypassed by its breaker, or by the cache-bypass flag. */
  get skipsL2(): boolean {
    return this.bypassed || (this.l2 !== undefined && (this.options.bypassFlag?.() ?? false));
  }

  /** Sets the bypass gauge at scrape time: 1 while reads skip L2 for either reason. */
  collectMetrics(): void {
    if (this.l2) this.options.metrics.cacheBypassActive.set({ tier: 'l2' }, this.skipsL2 ? 1 : 0);
  }

  key(...parts: string[]): string {
    return [this.options.namespace, CACHE_KEY_VERSION, ...parts].join(':');
  }

  /** Connects L2 (best effort, bounded: a cache that is down does not hold the start) and starts its health checks. */
  async start(): Promise<void> {
    if (!this.l2 || !this.dependency) return;
    const connected = await Promise.race([
      this.l2.connect().then(() => true, () => false),
      new Promise<boolean>((resolve) => { setTimeout(() => resolve(false), PLATFORM_RESILIENCE.cache.healthTimeoutMs).unref(); }),
    ]);
    if (!connected) this.options.logger.warn({ tier: 'l2' }, 'cache not reachable at start: reads go to the database until it is');
    this.dependency.startHealthChecks();
  }

  /** L1, then L2 (unless bypassed). Undefined on a miss in both; L2 errors count as misses. */
  async get<T>(key: string): Promise<CacheHit<T> | undefined> {
    const { metrics, logger } = this.options;
    if (this.l1) {
      const entry = this.l1.get(key);
      metrics.cacheRequests.inc({ tier: 'l1', result: entry ? 'hit' : 'miss' });
      if (entry) return { value: entry.value as T, tier: 'L1' };
    }
    if (!this.l2) return undefined;
    if (this.skipsL2) {
      metrics.cacheRequests.inc({ tier: 'l2', result: 'bypass' });
      return undefined;
    }
    try {
      const raw = await this.l2Call('GET', (c) => c.get(key));
      metrics.cacheRequests.inc({ tier: 'l2', result: raw === null ? 'miss' : 'hit' });
      if (raw === null) return undefined;
      const value = JSON.parse(raw) as T;
      this.l1?.set(key, { value });
      return { value, tier: 'L2' };
    } catch (e) {
      metrics.cacheRequests.inc({ tier: 'l2', result: 'error' });
      logger.warn({ tier: 'l2', error: (e as Error).message }, 'cache read failed: falling back to the database');
      return undefined;
    }
  }

  /** An expired L1 entry, for serving stale data while the database is unavailable. */
  stale<T>(key: string): T | undefined {
    const entry = this.l1?.get(key, { allowStale: true });
    return entry?.value as T | undefined;
  }

  /** Stores a value read from the database in L1 and (unless bypassed) L2. L2 failures are logged, not thrown. */
  async set(key: string, value: unknown): Promise<void> {
    this.l1?.set(key, { value });
    const l2 = this.options.settings.l2;
    if (!this.l2 || !l2 || this.skipsL2) return;
    try {
      await this.l2Call('SET', (c) => c.set(key, JSON.stringify(value), 'EX', l2.ttlSeconds));
    } catch (e) {
      this.options.logger.warn({ tier: 'l2', error: (e as Error).message }, 'cache write failed');
    }
  }

  /**
   * After a committed write: drops the key from L1 and L2 now, and from L2 once more a moment later (a read that
   * raced the write, or read a lagging replica, may have put the old value back). An invalidation L2 cannot take
   * is kept and replayed by the health check before L2 is used again.
   */
  async invalidate(key: string): Promise<void> {
    this.l1?.delete(key);
    if (!this.l2) return;
    await this.deleteFromL2(key);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.deleteFromL2(key);
    }, this.secondInvalidationMs);
    timer.unref();
    this.timers.add(timer);
  }

  /** Drops every L1 entry of this process (an operator's purge after a data fix, a game day's cache flush); returns how many. */
  clearL1(): number {
    const size = this.l1?.size ?? 0;
    this.l1?.clear();
    return size;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.dependency?.stop();
    if (this.l2) {
      await this.l2.quit().catch(() => undefined);
      this.l2.disconnect();
    }
  }

  /** The health check: PING, then replay invalidations that failed while L2 was unreachable. */
  private async probe(): Promise<void> {
    const client = this.l2 as Redis | Cluster;
    await client.ping();
    if (this.pendingInvalidations.size > 0) {
      const keys = [...this.pendingInvalidations];
      for (const key of keys) await client.del(key);
      for (const key of keys) this.pendingInvalidations.delete(key);
      this.options.logger.info({ keys: keys.length }, 'replayed cache invalidations');
    }
  }

  private l2Call<T>(operation: string, fn: (client: Redis | Cluster) => Promise<T>): Promise<T> {
    const client = this.l2 as Redis | Cluster;
    const dependency = this.dependency as Dependency;
    const { metrics } = this.options;
    return dependency.write.execute(async () => {
      const started = process.hrtime.bigint();
      let errorType: string | undefined;
      try {
        return await inSpan(operation, SpanKind.CLIENT, { 'db.system.name': 'redis', 'db.operation.name': operation }, () => fn(client));
      } catch (e) {
        errorType = errorTypeOf(e);
        throw e;
      } finally {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        metrics.operationDuration.observe(errorType === undefined
          ? { db_system_name: 'redis', db_operation_name: operation }
          : { db_system_name: 'redis', db_operation_name: operation, error_type: errorType }, seconds);
      }
    });
  }

  private async deleteFromL2(key: string): Promise<void> {
    if (!this.bypassed) {
      try {
        await this.l2Call('DEL', (c) => c.del(key));
        return;
      } catch {
        // falls through: remembered below
      }
    }
    this.options.metrics.cacheInvalidationFailures.inc();
    if (this.pendingInvalidations.size < MAX_PENDING_INVALIDATIONS) this.pendingInvalidations.add(key);
    else this.options.logger.error({ key }, 'cache invalidation dropped: too many pending; the entry expires by TTL');
  }
}
