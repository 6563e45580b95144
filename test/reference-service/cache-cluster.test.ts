/**
 * The reference service's L2 in cluster mode (CACHE_L2_CLUSTER_MODE=true, as the AWS stacks set it for a
 * DistributedCache with clusterMode) against a real Redis Cluster shaped like ElastiCache's: 3 shards of a primary
 * and a replica, TLS only, the RBAC user (test/helpers/redis-cluster.ts), and a real PostgreSQL. It proves the cluster
 * client follows the slots (keys of every shard miss, are stored on the primary serving their slot, and hit from
 * another task), that an order invalidates the item's key on its shard after the commit (and once more later), that
 * a primary's failure is absorbed (its replica takes over, reads keep working) and that a shard with no node left
 * costs database reads, not failed requests or readiness. TIME_SCALE=0.01 shrinks the cache's health checks to
 * 150 ms; assertions are on states and counts, not on durations.
 */
import type { Env } from '../../reference-service/src';
import { CACHE_KEY_VERSION } from '../../reference-service/src';
import { waitFor } from '../../cli/gameday/local/net';
import type { PostgresServer } from '../../cli/gameday/local/postgres';
import { startPostgres } from '../../cli/gameday/local/postgres';
import type { RedisCluster, RedisClusterNode } from '../helpers/redis-cluster';
import { startRedisCluster } from '../helpers/redis-cluster';
import type { RunningService } from './fixture';
import { startService, stopServices } from './fixture';

let pg: PostgresServer | undefined;
let cluster: RedisCluster | undefined;

beforeAll(async () => {
  const [db, cache] = await Promise.allSettled([startPostgres(), startRedisCluster()]);
  if (db.status === 'fulfilled') pg = db.value;
  if (cache.status === 'fulfilled') cluster = cache.value;
  if (db.status === 'rejected') throw db.reason as Error;
  if (cache.status === 'rejected') throw cache.reason as Error;
});

beforeEach(() => {
  redis().flushAll();
});

afterEach(async () => {
  await stopServices();
  // Whatever a failed test left behind: every node up and the cluster healthy.
  if (cluster?.nodes.some((n) => !n.running)) {
    await Promise.all(cluster.nodes.map((n) => n.start()));
    await cluster.waitUntilHealthy();
  }
});

afterAll(async () => {
  await Promise.all([pg?.close(), cluster?.close()]);
});

function redis(): RedisCluster {
  if (!cluster) throw new Error('the redis cluster did not start');
  return cluster;
}

/** The environment the AWS stacks give the service for a cluster-mode cache (TLS and the RBAC user), plus the test CAs. */
function clusterEnv(extra: Env = {}): Env {
  if (!pg) throw new Error('postgres did not start');
  const c = redis();
  return {
    SERVICE_NAME: 'checkout',
    DB_ENDPOINT: '127.0.0.1',
    DB_PORT: String(pg.port),
    DB_NAME: pg.database,
    DB_USER: pg.user,
    DB_PASSWORD: pg.password,
    DB_TLS: 'require',
    DB_TLS_CA_FILE: pg.certificates?.caFile,
    CACHE_L2_ENDPOINT: c.host,
    CACHE_L2_PORT: String(c.port),
    CACHE_L2_TLS: 'true',
    CACHE_L2_CLUSTER_MODE: 'true',
    CACHE_L2_USERNAME: c.username,
    CACHE_L2_PASSWORD: c.password,
    CACHE_L2_TLS_CA_FILE: c.certificates.caFile,
    ...extra,
  };
}

const SCALED = { TIME_SCALE: '0.01' };

const key = (id: string): string => `checkout:${CACHE_KEY_VERSION}:item:${id}`;

/** `perShard` item ids from `from` on (the seed has 1000 items) whose keys hash to each primary's slots. */
function idsByShard(from: number, perShard: number): Map<RedisClusterNode, string[]> {
  const c = redis();
  const primaries = c.primaries();
  const byShard = new Map<RedisClusterNode, string[]>(primaries.map((p) => [p, []]));
  for (let id = from; [...byShard.values()].some((ids) => ids.length < perShard); id++) {
    if (id > 1000) throw new Error(`not enough items from ${from} to put ${perShard} on each shard`);
    const owner = c.primaryOf(key(String(id)));
    const ids = byShard.get(primaries.find((p) => p.port === owner.port) as RedisClusterNode) as string[];
    if (ids.length < perShard) ids.push(String(id));
  }
  return byShard;
}

interface Read { readonly id: string; readonly status: number; readonly cache: string | null }

/** Reads in a loop until stopped; every read is kept. */
function readLoop(svc: RunningService, ids: readonly string[]): { readonly reads: readonly Read[]; stop(): Promise<Read[]> } {
  const reads: Read[] = [];
  let running = true;
  const loop = (async () => {
    for (let i = 0; running; i++) {
      const id = ids[i % ids.length];
      const res = await svc.get(`/items/${id}`);
      await res.arrayBuffer();
      reads.push({ id, status: res.status, cache: res.headers.get('x-cache') });
    }
  })();
  return { reads, stop: async () => { running = false; await loop; return reads; } };
}

describe('L2 in cluster mode (TLS, RBAC user)', () => {
  test('keys of every shard miss, are stored versioned on the primary serving their slot, then hit L2 from another task', async () => {
    const shards = idsByShard(1, 2);
    const ids = [...shards.values()].flat();
    expect(shards.size).toBe(3);
    const a = await startService(clusterEnv());
    for (const id of ids) expect((await a.get(`/items/${id}`)).headers.get('x-cache')).toBe('DB');

    for (const [primary, shardIds] of shards) {
      // Only this shard's keys, versioned, with the L2 TTL (default 30 min), on the node that serves their slots.
      expect(primary.cli('KEYS', '*').split('\n').sort()).toEqual(shardIds.map(key).sort());
      for (const id of shardIds) {
        const ttl = Number(primary.cli('TTL', key(id)));
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(1800);
      }
    }
    expect(await a.metric('cache_requests_total', { tier: 'l2', result: 'miss' })).toBe(ids.length);

    const b = await startService(clusterEnv());
    for (const id of ids) {
      const res = await b.get(`/items/${id}`);
      expect(res.headers.get('x-cache')).toBe('L2');
      expect(await res.json()).toMatchObject({ id, name: `Item ${id}` });
    }
    for (const id of ids) expect((await b.get(`/items/${id}`)).headers.get('x-cache')).toBe('L1');
    expect(await b.metric('cache_requests_total', { tier: 'l2', result: 'hit' })).toBe(ids.length);
    expect(await b.metric('cache_requests_total', { tier: 'l2', result: 'error' })).toBe(0);
    expect(await b.metric('db_client_operation_duration_seconds_count', { db_system_name: 'redis', db_operation_name: 'GET' })).toBe(ids.length);
    expect(await b.metric('cache_bypass_active', { tier: 'l2' })).toBe(0);
  });

  test('an order invalidates the item on its shard after the commit, and once more a moment later', async () => {
    const ids = [...idsByShard(100, 1).values()].flat();
    const svc = await startService(clusterEnv());
    for (const id of ids) {
      expect((await svc.get(`/items/${id}`)).headers.get('x-cache')).toBe('DB');
      const primary = redis().primaryOf(key(id));
      const before = primary.cli('GET', key(id));
      expect(JSON.parse(before)).toMatchObject({ id, stock: 1000 });

      expect((await svc.order(`cluster-order-${id}`, { itemId: id, quantity: 2 })).status).toBe(201);
      expect(primary.cli('EXISTS', key(id))).toBe('0');
      // A read that raced the write puts the old value back: the delayed second invalidation removes it.
      primary.cli('SET', key(id), before);
      await waitFor(`the second invalidation of ${key(id)}`, () => (primary.cli('EXISTS', key(id)) === '0' ? true : undefined));
      const fresh = await svc.get(`/items/${id}`);
      expect(fresh.headers.get('x-cache')).toBe('DB');
      expect(await fresh.json()).toMatchObject({ id, stock: 998 });
    }
    expect(await svc.metric('cache_invalidation_failures_total')).toBe(0);
  });
});

describe('L2 cluster node failures', () => {
  test('a primary fails: its replica takes over, reads keep working and hit L2 on that shard again', async () => {
    const c = redis();
    const shards = idsByShard(200, 3);
    // Not the seed node: on ElastiCache the configuration endpoint resolves to the nodes that are up.
    const [victim, victimIds] = [...shards].find(([p]) => p.port !== c.port) as [RedisClusterNode, string[]];
    const [replica] = c.replicasOf(victim);
    expect(replica).toBeDefined();
    const svc = await startService(clusterEnv({ ...SCALED, CACHE_L1_MAX_ITEMS: '0' }));
    const ids = [...shards.values()].flat();
    for (const id of ids) expect((await svc.get(`/items/${id}`)).headers.get('x-cache')).toBe('DB');
    const loop = readLoop(svc, ids);
    let reads: Read[];
    try {
      await victim.stop('SIGKILL');
      // Readiness never depends on the cache.
      expect((await svc.get('/ready')).status).toBe(200);
      await c.waitUntilHealthy('the failover');
      expect(c.primaryOf(key(victimIds[0])).port).toBe(replica.port);
      // The client follows the slots to the promoted replica by itself (a MOVED refreshes them).
      await waitFor('L2 hits on the failed-over shard', async () => {
        const res = await svc.get(`/items/${victimIds[0]}`);
        return res.headers.get('x-cache') === 'L2' ? true : undefined;
      });
    } finally {
      reads = await loop.stop();
    }
    expect(reads.filter((r) => r.status !== 200)).toEqual([]);
    expect(reads.filter((r) => victimIds.includes(r.id)).length).toBeGreaterThan(0);
    // Until the failover, the shard's reads failed in L2 (or were bypassed) and went to the database.
    const degraded = await svc.metric('cache_requests_total', { tier: 'l2', result: 'error' }) + await svc.metric('cache_requests_total', { tier: 'l2', result: 'bypass' });
    expect(degraded).toBeGreaterThan(0);
    // Failed at once or redirected, hardly ever by waiting out the 1 s call timeout (a loaded machine may still see one
    // while the replica is promoted); with the client's own retries every read of the shard timed out.
    expect(await svc.metric('db_client_operation_duration_seconds_count', { db_system_name: 'redis', error_type: 'timeout' })).toBeLessThanOrEqual(2);
    await waitFor('no bypass', async () => (await svc.metric('cache_bypass_active', { tier: 'l2' }) === 0 ? true : undefined));
    expect((await svc.get('/ready')).status).toBe(200);

    // The failed node comes back empty and rejoins as the replica of its former replica.
    await victim.start();
    await c.waitUntilHealthy('the old primary to rejoin');
    expect(c.replicasOf(replica).map((n) => n.port)).toEqual([victim.port]);
  });

  test('a shard with no node left: its reads go to the database, the cache is bypassed and probed, no request fails', async () => {
    const c = redis();
    const shards = idsByShard(300, 3);
    const [primary, lostIds] = [...shards].find(([p]) => p.port !== c.port) as [RedisClusterNode, string[]];
    const lost = [primary, ...c.replicasOf(primary)];
    expect(lost).toHaveLength(2);
    const [survivorId] = [...shards].find(([p]) => p !== primary)?.[1] ?? [];
    const svc = await startService(clusterEnv({ ...SCALED, CACHE_L1_MAX_ITEMS: '0' }));
    const ids = [...shards.values()].flat();
    for (const id of ids) expect((await svc.get(`/items/${id}`)).headers.get('x-cache')).toBe('DB');
    for (const id of ids) expect((await svc.get(`/items/${id}`)).headers.get('x-cache')).toBe('L2');

    await Promise.all(lost.map((n) => n.stop('SIGKILL')));
    const loop = readLoop(svc, ids);
    let reads: Read[];
    try {
      // The shard's L2 calls fail at once (no retries in the client), several in a row open the cache's breaker.
      await waitFor('the L2 bypass', async () => (await svc.metric('cache_requests_total', { tier: 'l2', result: 'bypass' }) > 0 ? true : undefined));
      await waitFor('reads of the lost shard', () => (loop.reads.filter((r) => lostIds.includes(r.id)).length >= 20 ? true : undefined));
      expect((await svc.get('/ready')).status).toBe(200);
    } finally {
      reads = await loop.stop();
    }
    expect(reads.filter((r) => r.status !== 200)).toEqual([]);
    expect(reads.filter((r) => lostIds.includes(r.id) && r.cache !== 'DB')).toEqual([]);
    expect(svc.lines.some((l) => l.msg === 'circuit breaker open' && l.dependency === 'cache')).toBe(true);
    // Failed at once (the node's connection is closed), not by waiting out the 1 s call timeout: with the client's own
    // retries (the bug this pins) every read of the shard timed out, twice; a loaded machine may see a stray one.
    const lostReads = reads.filter((r) => lostIds.includes(r.id)).length;
    expect(await svc.metric('db_client_operation_duration_seconds_count', { db_system_name: 'redis', error_type: 'timeout' }))
      .toBeLessThan(Math.max(2, lostReads / 10));
    // The breaker is the whole cache's: its health check (PING, answered by a surviving primary) ends the bypass,
    // and the surviving shards serve L2 hits again while the lost one is still down.
    await waitFor('the bypass to end', async () => (await svc.metric('cache_bypass_active', { tier: 'l2' }) === 0 ? true : undefined));
    expect((await svc.get(`/items/${survivorId}`)).headers.get('x-cache')).toBe('L2');
    expect((await svc.get(`/items/${lostIds[0]}`)).headers.get('x-cache')).toBe('DB');

    // The shard's nodes come back (empty): its keys are cached again.
    await Promise.all(lost.map((n) => n.start()));
    await c.waitUntilHealthy('the lost shard to return');
    await waitFor('L2 hits on the returned shard', async () => {
      const res = await svc.get(`/items/${lostIds[0]}`);
      return res.headers.get('x-cache') === 'L2' ? true : undefined;
    });
    expect((await svc.get('/ready')).status).toBe(200);
  });
});
