/**
 * `npm run bench:service`: the reference service's read path under load, on this machine, in one run.
 *
 * Real PostgreSQL and Redis (TLS on, started like the tests do), the service bundled with esbuild and run as its
 * own process (as in the image), and autocannon at a fixed concurrency reading `GET /items/:id` with Zipf-distributed
 * ids over a catalog of CATALOG items. Scenarios, each on a fresh service process after a warm-up:
 *
 *  - L1+L2:   the platform's defaults (L1 10000 items x 5 min, L2 30 min)
 *  - L2 only: CACHE_L1_MAX_ITEMS=0
 *  - DB only: no L1, no L2 (every read on the database)
 *  - /health: the bare server, the ceiling
 *
 * L2 is shared by a fleet: the cache scenarios start from its steady state (every item read by some task within
 * L2's 30 min TTL, which at fleet scale is the whole catalog), then the measured task starts with an empty L1, is
 * warmed up, and measured. Reports requests/s, p50/p99 latency, non-2xx responses, and hit rates per tier (from the service's own
 * cache_requests_total, measured window only) against the targets: L1 >= 80%, L2 >= 60% of L1 misses. A benchmark,
 * never a timed test.
 *
 * Options: --duration S (default 10), --warmup S (default 10), --connections N (default 32), --catalog N (default
 * 100000), --zipf S (exponent, default 1), --l1-items N (L1 size for L1+L2; default the service's 10000),
 * --keep-logs (keep the service's log files). Writes .bench/service.json.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { build } from 'esbuild';
import { Registry } from 'prom-client';
import { prng, zipf } from '../cli/gameday/load';
import { Catalog, HIT_RATE_TARGETS } from '../reference-service/src';
import { createLogger } from '../reference-service/src/logger';
import { createDataMetrics } from '../reference-service/src/metrics';
import { freePort, waitFor } from '../cli/gameday/local/net';
import type { PostgresServer } from '../cli/gameday/local/postgres';
import { startPostgres } from '../cli/gameday/local/postgres';
import type { RedisServer } from '../cli/gameday/local/redis';
import { startRedis } from '../cli/gameday/local/redis';

const ROOT = join(__dirname, '..');
const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
};
const DURATION_S = option('duration', 10);
const WARMUP_S = option('warmup', 10);
const CONNECTIONS = option('connections', 32);
const CATALOG = option('catalog', 100_000);
const ZIPF_S = option('zipf', 1);
const KEEP_LOGS = args.includes('--keep-logs');
/** CACHE_L1_MAX_ITEMS for the L1+L2 scenario (default: the service's default, 10000). */
const L1_ITEMS = args.includes('--l1-items') ? option('l1-items', 10_000) : undefined;

const TARGETS = { l1HitRate: HIT_RATE_TARGETS.l1, l2HitRateOfL1Misses: HIT_RATE_TARGETS.l2OfL1Misses };

interface Scenario {
  readonly name: string;
  readonly path: 'items' | 'health';
  readonly env: Record<string, string>;
  /** L2 is shared by the fleet: start from its steady state (every item read by some task within L2's TTL). */
  readonly fleetWarmup: boolean;
}

interface Row {
  readonly scenario: string;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly statuses?: unknown;
  readonly events: Record<string, number>;
  readonly errors: number;
  readonly l1HitRate: number | null;
  readonly l2HitRateOfL1Misses: number | null;
}

function metricSum(exposition: string, name: string, labels: Record<string, string>): number {
  let sum = 0;
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

async function cacheCounts(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return {
    l1Hit: metricSum(text, 'cache_requests_total', { tier: 'l1', result: 'hit' }),
    l1Miss: metricSum(text, 'cache_requests_total', { tier: 'l1', result: 'miss' }),
    l2Hit: metricSum(text, 'cache_requests_total', { tier: 'l2', result: 'hit' }),
    l2Other: ['miss', 'error', 'bypass'].reduce((n, result) => n + metricSum(text, 'cache_requests_total', { tier: 'l2', result }), 0),
  };
}

function load(url: string, path: Scenario['path'], seconds: number, seed: number): Promise<autocannon.Result> {
  const nextId = zipf(CATALOG, ZIPF_S, prng(seed));
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [{
      method: 'GET',
      setupRequest: (request) => ({ ...request, path: path === 'health' ? '/health' : `/items/${nextId()}` }),
    }],
  });
}

/** Counts of the service's log lines other than per-request ones, by message (what explains non-2xx answers). */
function eventsIn(logFile: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (line === '' || line.includes('"msg":"request"')) continue;
    const msg = (JSON.parse(line) as { msg?: string }).msg ?? '?';
    counts[msg] = (counts[msg] ?? 0) + 1;
  }
  return counts;
}

async function startServiceProcess(bundle: string, env: Record<string, string>, logFile: string): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  // Logs go to a file (as to a log driver), not a terminal.
  const out = openSync(logFile, 'w');
  const child: ChildProcess = spawn(process.execPath, [bundle], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', PORT: String(port), SERVICE_NAME: 'bench', SHUTDOWN_DRAIN_DELAY_MS: '0', ...env },
    stdio: ['ignore', out, 'pipe'],
  });
  closeSync(out);
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
  const url = `http://127.0.0.1:${port}`;
  await waitFor('the service to be ready', async () => {
    if (child.exitCode !== null) throw new Error(`the service exited (${child.exitCode}): ${stderr}`);
    return (await fetch(`${url}/ready`).catch(() => undefined))?.status === 200 ? true : undefined;
  }, 60_000, 100);
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * L2 in a fleet's steady state: every item some task read within L2's TTL. At fleet scale (thousands of reads a
 * second for 30 minutes) that is the whole catalog; here each item is read once through the service's own read path
 * (a Catalog in this process, L1 off), so keys and values are exactly the service's.
 */
async function fillL2(db: PostgresServer, cache: RedisServer): Promise<void> {
  const catalog = new Catalog({
    database: {
      endpoint: '127.0.0.1', readOnlyEndpoint: '127.0.0.1', port: db.port, database: db.database, user: db.user, password: db.password,
      iamAuth: false, tls: true, tlsCaFile: db.certificates?.caFile, poolMax: 20, queryTimeoutMs: 10_000,
    },
    cache: {
      l1TtlSeconds: 300, l1MaxItems: 0,
      l2: {
        endpoint: '127.0.0.1', port: cache.port, tls: true, tlsCaFile: cache.certificates?.caFile, clusterMode: false, ttlSeconds: 1800,
        username: cache.username, password: cache.password,
      },
    },
    serviceName: 'bench', metrics: createDataMetrics(new Registry()), logger: createLogger('bench-fill', () => undefined), timeScale: 1, random: Math.random,
  });
  await catalog.startDependencies();
  try {
    let next = 1;
    await Promise.all(Array.from({ length: 32 }, async () => {
      while (next <= CATALOG) await catalog.getItem(String(next++));
    }));
  } finally {
    await catalog.close();
  }
  const keys = Number(cache.cli('DBSIZE'));
  if (keys < CATALOG) throw new Error(`L2 holds ${keys} keys after the fill, expected ${CATALOG}`);
}

const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);
const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'bench-service-'));
  let pg: PostgresServer | undefined;
  let redis: RedisServer | undefined;
  try {
    const bundle = join(work, 'main.js');
    await build({
      entryPoints: [join(ROOT, 'reference-service', 'src', 'main.ts')],
      bundle: true, platform: 'node', target: 'node20', external: ['pg-native'], outfile: bundle, logLevel: 'warning',
    });
    [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
    const db = pg;
    const cache = redis;
    const base: Record<string, string> = {
      DB_ENDPOINT: '127.0.0.1', DB_PORT: String(db.port), DB_NAME: db.database, DB_USER: db.user, DB_PASSWORD: db.password,
      DB_TLS: 'require', DB_TLS_CA_FILE: db.certificates?.caFile ?? '',
    };
    const l2: Record<string, string> = {
      CACHE_L2_ENDPOINT: '127.0.0.1', CACHE_L2_PORT: String(cache.port), CACHE_L2_TLS: 'true',
      CACHE_L2_USERNAME: cache.username, CACHE_L2_PASSWORD: cache.password, CACHE_L2_TLS_CA_FILE: cache.certificates?.caFile ?? '',
    };
    // The schema comes from the service's own migration (first start); the catalog is then grown for the bench.
    const first = await startServiceProcess(bundle, base, join(work, 'migrate.log'));
    await first.stop();
    await db.sql(`INSERT INTO items (id, name, price_cents, stock)
      SELECT g::text, 'Item ' || g, 100 + (g * 37) % 9900, 1000000 FROM generate_series(1, ${CATALOG}) AS g
      ON CONFLICT (id) DO NOTHING`, db.database);
    await db.sql('ANALYZE items', db.database);

    const scenarios: Scenario[] = [
      { name: 'L1+L2', path: 'items', env: { ...base, ...l2, ...(L1_ITEMS ? { CACHE_L1_MAX_ITEMS: String(L1_ITEMS) } : {}) }, fleetWarmup: true },
      { name: 'L2 only', path: 'items', env: { ...base, ...l2, CACHE_L1_MAX_ITEMS: '0' }, fleetWarmup: true },
      { name: 'DB only', path: 'items', env: { ...base, CACHE_L1_MAX_ITEMS: '0' }, fleetWarmup: false },
      { name: '/health (ceiling)', path: 'health', env: {}, fleetWarmup: false },
    ];
    const rows: Row[] = [];
    let l2Filled = false;
    for (const [i, scenario] of scenarios.entries()) {
      if (scenario.fleetWarmup && !l2Filled) {
        process.stderr.write(`filling L2 with the catalog through the service's read path\n`);
        cache.cli('FLUSHALL');
        await fillL2(db, cache);
        l2Filled = true;
      }
      const logFile = join(work, `service-${i}.log`);
      const service = await startServiceProcess(bundle, scenario.env, logFile);
      try {
        process.stderr.write(`${scenario.name}: warm-up ${WARMUP_S}s, then ${DURATION_S}s at ${CONNECTIONS} connections\n`);
        await load(service.url, scenario.path, WARMUP_S, 1000 + i);
        const before = await cacheCounts(service.url);
        const result = await load(service.url, scenario.path, DURATION_S, 2000 + i);
        const after = await cacheCounts(service.url);
        const d = Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - before[k]]));
        rows.push({
          scenario: scenario.name,
          requestsPerSecond: Math.round(result.requests.average),
          p50Ms: result.latency.p50,
          p99Ms: result.latency.p99,
          non2xx: result.non2xx,
          statuses: result.statusCodeStats,
          events: eventsIn(logFile),
          errors: result.errors + result.timeouts,
          l1HitRate: ratio(d.l1Hit, d.l1Hit + d.l1Miss),
          l2HitRateOfL1Misses: ratio(d.l2Hit, d.l2Hit + d.l2Other),
        });
      } finally {
        await service.stop();
      }
    }

    const lines = [
      `Reference service read path: ${CONNECTIONS} connections, ${DURATION_S}s per scenario after ${WARMUP_S}s warm-up `
        + '(cache scenarios: L2 in steady state, holding the catalog), '
        + `Zipf(s=${ZIPF_S}) over ${CATALOG} items, L1 ${L1_ITEMS ?? 10_000} items, PostgreSQL and Redis with TLS on 127.0.0.1`,
      '',
      '| scenario | req/s | p50 ms | p99 ms | non-2xx | errors | L1 hit rate (target >= 80%) | L2 hit rate of L1 misses (target >= 60%) |',
      '|---|---:|---:|---:|---:|---:|---:|---:|',
      ...rows.map((r) => `| ${r.scenario} | ${r.requestsPerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${r.non2xx} | ${r.errors} | ${pct(r.l1HitRate)} | ${pct(r.l2HitRateOfL1Misses)} |`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    const tiered = rows[0];
    const meets = {
      l1: tiered.l1HitRate !== null && tiered.l1HitRate >= TARGETS.l1HitRate,
      l2: tiered.l2HitRateOfL1Misses !== null && tiered.l2HitRateOfL1Misses >= TARGETS.l2HitRateOfL1Misses,
    };
    // What an L1 of this size could hit at best (the most popular items always cached), for reading the L1 row.
    const l1Items = L1_ITEMS ?? 10_000;
    let top = 0;
    let all = 0;
    for (let k = 1; k <= CATALOG; k++) {
      all += 1 / k ** ZIPF_S;
      if (k <= l1Items) top += 1 / k ** ZIPF_S;
    }
    process.stdout.write(`\nTargets (L1+L2): L1 ${meets.l1 ? 'met' : 'NOT met'}, L2 ${meets.l2 ? 'met' : 'NOT met'}. `
      + `L1 ceiling for this distribution (the ${l1Items} most read items always in L1): ${pct(top / all)}\n`);
    mkdirSync(join(ROOT, '.bench'), { recursive: true });
    writeFileSync(join(ROOT, '.bench', 'service.json'), `${JSON.stringify({
      connections: CONNECTIONS, durationSeconds: DURATION_S, warmupSeconds: WARMUP_S, catalog: CATALOG, zipfExponent: ZIPF_S,
      l1Items: L1_ITEMS ?? 10_000,
      targets: TARGETS, rows, targetsMet: meets,
    }, null, 2)}\n`);
  } finally {
    await Promise.all([pg?.close(), redis?.close()]);
    if (KEEP_LOGS) process.stderr.write(`service logs kept in ${work}\n`);
    else rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
