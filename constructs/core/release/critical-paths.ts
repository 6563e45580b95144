/**
 * The critical paths of a service: what the post-deployment smoke test (through the load balancer's test listener)
 * and the synthetic canaries (through CloudFront) call, declared once. Each is a request and the status that proves the
 * path works; none changes data (the write path is proven by its validation answer).
 */
import { PlatformValidationError } from '../errors';

/** One request of a smoke test or canary and the status it must answer. */
export interface CriticalPath {
  /** Short name: the canary's step name and the smoke test's report (letters, digits and dashes). */
  readonly name: string;
  readonly method: 'GET' | 'POST';
  /** Path and query, starting with `/`. */
  readonly path: string;
  /** JSON body of a POST. */
  readonly body?: string;
  /** The status that proves the path works. */
  readonly expectStatus: number;
}

/** The probes every platform image serves (`-c image` consumers): liveness and readiness. */
export const PROBE_CRITICAL_PATHS: readonly CriticalPath[] = [
  { name: 'liveness', method: 'GET', path: '/health', expectStatus: 200 },
  { name: 'readiness', method: 'GET', path: '/ready', expectStatus: 200 },
];

/**
 * The reference service's critical paths: its probes, an item read (item `1` is seeded by the migration), the
 * popular list, and the order route answering its validation (400: an order without an Idempotency-Key is refused
 * before anything is written).
 */
export const REFERENCE_CRITICAL_PATHS: readonly CriticalPath[] = [
  ...PROBE_CRITICAL_PATHS,
  { name: 'item', method: 'GET', path: '/items/1', expectStatus: 200 },
  { name: 'popular', method: 'GET', path: '/items?popular', expectStatus: 200 },
  { name: 'order-validation', method: 'POST', path: '/orders', body: '{"itemId":"1","quantity":1}', expectStatus: 400 },
];

/** Checks `paths` (errors name `where`, the prop and the path): at least one, names unique, paths absolute, statuses HTTP. */
export function validateCriticalPaths(where: string, prop: string, paths: readonly CriticalPath[]): void {
  if (paths.length === 0) {
    throw new PlatformValidationError(where, prop, [], 'is empty', 'name at least the liveness path (PROBE_CRITICAL_PATHS)');
  }
  const names = new Set<string>();
  for (const p of paths) {
    if (!/^[a-z][a-z0-9-]{0,20}$/.test(p.name) || names.has(p.name)) {
      throw new PlatformValidationError(where, prop, p.name, names.has(p.name) ? 'names two paths' : 'is not a path name',
        'give each path its own name of up to 21 lowercase letters, digits and dashes');
    }
    names.add(p.name);
    if (!/^\/[^\s#]*$/.test(p.path)) {
      throw new PlatformValidationError(where, `${prop}.${p.name}.path`, p.path, 'is not an absolute path', "use a path such as '/items/1'");
    }
    if (!Number.isInteger(p.expectStatus) || p.expectStatus < 100 || p.expectStatus > 599) {
      throw new PlatformValidationError(where, `${prop}.${p.name}.expectStatus`, p.expectStatus, 'is not an HTTP status', 'use a status from 100 to 599');
    }
    if (p.body !== undefined && p.method !== 'POST') {
      throw new PlatformValidationError(where, `${prop}.${p.name}.body`, p.body, `is set on a ${p.method}`, 'send a body with POST only');
    }
  }
}
