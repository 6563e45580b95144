import pg from 'pg';
import { TieredCache } from './cache';
import type { IamCredentials } from './db';
import { Database } from './db';
import type { Logger } from './logger';
import type { FlagState } from './flags';
import type { DataMetrics } from './metrics';
import { DependencyUnavailableError } from './resilience';
import type { CacheSettings, DatabaseSettings } from './settings';

/** A catalog item as the API returns it (and the caches hold it). */
export interface Item {
  readonly id: string;
  readonly name: string;
  readonly priceCents: number;
  readonly stock: number;
  readonly updatedAt: string;
}

export interface Order {
  readonly orderId: string;
  readonly itemId: string;
  readonly quantity: number;
  readonly createdAt: string;
}

/** Where a read was served from: a cache tier, the database, or an expired L1 entry while the database is down. */
export type ReadSource = 'L1' | 'L2' | 'DB' | 'STALE';

export type OrderOutcome =
  | { readonly kind: 'created'; readonly order: Order }
  | { readonly kind: 'replayed'; readonly order: Order }
  | { readonly kind: 'key_reused'; readonly order: Order }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'out_of_stock' };

interface ItemRow {
  id: string;
  name: string;
  price_cents: number;
  stock: number;
  updated_at: Date;
}

interface OrderRow {
  id: string;
  item_id: string;
  quantity: number;
  created_at: Date;
}

const ITEM_COLUMNS = 'id, name, price_cents, stock, updated_at';

const toItem = (r: ItemRow): Item => ({ id: r.id, name: r.name, priceCents: r.price_cents, stock: r.stock, updatedAt: r.updated_at.toISOString() });
const toOrder = (r: OrderRow): Order => ({ orderId: String(r.id), itemId: r.item_id, quantity: r.quantity, createdAt: r.created_at.toISOString() });

export interface CatalogOptions {
  readonly database: DatabaseSettings;
  readonly cache: CacheSettings;
  readonly serviceName: string;
  readonly metrics: DataMetrics;
  readonly logger: Logger;
  readonly timeScale: number;
  readonly random: () => number;
  readonly iamCredentials?: IamCredentials;
  /** The feature flags now: cache-bypass makes reads skip L2. */
  readonly flags?: () => FlagState;
}

/**
 * The reference workload's domain: catalog items read cache-aside (L1 → L2 → read replica) and orders written to
 * the writer with an idempotency key. Reads degrade to stale L1 entries while the database is unavailable.
 */
export class Catalog {
  readonly db: Database;
  readonly cache: TieredCache;
  private readonly logger: Logger;

  constructor(options: CatalogOptions) {
    this.logger = options.logger;
    this.db = new Database({
      settings: options.database,
      applicationName: options.serviceName,
      metrics: options.metrics,
      logger: options.logger,
      timeScale: options.timeScale,
      random: options.random,
      iamCredentials: options.iamCredentials,
    });
    this.cache = new TieredCache({
      settings: options.cache,
      namespace: options.serviceName,
      metrics: options.metrics,
      logger: options.logger,
      timeScale: options.timeScale,
      bypassFlag: () => options.flags?.().cacheBypass ?? false,
    });
  }

  /** Applies the schema migrations not yet applied (idempotent; the caller retries while the database is down). */
  async migrate(): Promise<void> {
    const applied = await this.db.migrate();
    if (applied.length > 0) this.logger.info({ versions: applied }, 'schema migrated');
  }

  /** Opens part of the pools, connects the cache (best effort) and starts the health checks. */
  async startDependencies(): Promise<void> {
    await this.db.warmPools(this.logger);
    await this.cache.start();
    this.db.dependency.startHealthChecks();
  }

  async close(): Promise<void> {
    await this.cache.close();
    await this.db.close();
  }

  getItem(id: string): Promise<{ value: Item | undefined; source: ReadSource }> {
    return this.readThrough(this.cache.key('item', id), async () => {
      const rows = await this.db.read<ItemRow>('select item', `SELECT ${ITEM_COLUMNS} FROM items WHERE id = $1`, [id]);
      return rows.length === 0 ? undefined : toItem(rows[0]);
    });
  }

  /** The most ordered items. */
  async popular(limit: number): Promise<{ value: readonly Item[]; source: ReadSource }> {
    const result = await this.readThrough(this.cache.key('popular', String(limit)), async () => {
      const rows = await this.db.read<ItemRow>('select popular items', `SELECT ${ITEM_COLUMNS} FROM items ORDER BY orders_count DESC, id LIMIT $1`, [limit]);
      return rows.map(toItem);
    });
    return { value: result.value ?? [], source: result.source };
  }

  /**
   * Places an order once per idempotency key: a retry with the same key and body gets the first order back; the
   * same key with another body is refused. The item's cache entry is invalidated after the commit.
   */
  async placeOrder(idempotencyKey: string, itemId: string, quantity: number): Promise<OrderOutcome> {
    let outcome: OrderOutcome;
    try {
      outcome = await this.db.transaction<OrderOutcome>('place order', async (client) => {
        const inserted = await client.query<OrderRow>(
          `INSERT INTO orders (idempotency_key, item_id, quantity) VALUES ($1, $2, $3)
           ON CONFLICT (idempotency_key) DO NOTHING RETURNING id, item_id, quantity, created_at`,
          [idempotencyKey, itemId, quantity]);
        if (inserted.rows.length === 0) {
          // Another request took the key first (this one waited for it to commit): answer with that order.
          const existing = await client.query<OrderRow>(
            'SELECT id, item_id, quantity, created_at FROM orders WHERE idempotency_key = $1', [idempotencyKey]);
          const order = toOrder(existing.rows[0]);
          const same = order.itemId === itemId && order.quantity === quantity;
          return { commit: false, value: { kind: same ? 'replayed' : 'key_reused', order } };
        }
        const updated = await client.query(
          'UPDATE items SET stock = stock - $2, orders_count = orders_count + $2, updated_at = now() WHERE id = $1 AND stock >= $2',
          [itemId, quantity]);
        if (updated.rowCount === 0) return { commit: false, value: { kind: 'out_of_stock' } };
        return { commit: true, value: { kind: 'created', order: toOrder(inserted.rows[0]) } };
      });
    } catch (e) {
      // The item does not exist (the order's foreign key): the statement's fault, not the database's.
      if (e instanceof pg.DatabaseError && e.code === '23503') return { kind: 'not_found' };
      throw this.db.dependency.classify(e);
    }
    if (outcome.kind === 'created') await this.cache.invalidate(this.cache.key('item', itemId));
    return outcome;
  }

  /** Updates gauges read at scrape time. */
  collectMetrics(): void {
    this.db.collectPoolMetrics();
    this.cache.collectMetrics();
  }

  /** Cache-aside read with a stale fallback: `miss` is a read from the database. */
  private async readThrough<T>(key: string, load: () => Promise<T | undefined>): Promise<{ value: T | undefined; source: ReadSource }> {
    const hit = await this.cache.get<T>(key);
    if (hit) return { value: hit.value, source: hit.tier };
    let value: T | undefined;
    try {
      value = await load();
    } catch (e) {
      const error = this.db.dependency.classify(e);
      const stale = this.cache.stale<T>(key);
      if (stale !== undefined && error instanceof DependencyUnavailableError) {
        this.logger.warn({ key, error: error.message }, 'database unavailable: serving a stale cache entry');
        return { value: stale, source: 'STALE' };
      }
      throw error;
    }
    if (value !== undefined) await this.cache.set(key, value);
    return { value, source: 'DB' };
  }
}
