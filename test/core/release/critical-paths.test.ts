import { PROBE_CRITICAL_PATHS, REFERENCE_CRITICAL_PATHS, validateCriticalPaths } from '../../../constructs/core/release/critical-paths';
import type { CriticalPath } from '../../../constructs/core/release/critical-paths';

describe('critical paths', () => {
  test('the reference service: its probes, an item, the popular list and the order route\'s validation (nothing is written)', () => {
    expect(REFERENCE_CRITICAL_PATHS.map((p) => `${p.method} ${p.path} ${p.expectStatus}`)).toEqual([
      'GET /health 200', 'GET /ready 200', 'GET /items/1 200', 'GET /items?popular 200', 'POST /orders 400',
    ]);
    expect(REFERENCE_CRITICAL_PATHS.slice(0, 2)).toEqual(PROBE_CRITICAL_PATHS);
    expect(() => validateCriticalPaths('p', 'criticalPaths', REFERENCE_CRITICAL_PATHS)).not.toThrow();
  });

  const path = (over: Partial<CriticalPath>): CriticalPath => ({ name: 'item', method: 'GET', path: '/items/1', expectStatus: 200, ...over });
  test.each([
    [[], 'p: criticalPaths ([]) is empty: name at least the liveness path (PROBE_CRITICAL_PATHS)'],
    [[path({}), path({})], "p: criticalPaths ('item') names two paths: give each path its own name of up to 21 lowercase letters, digits and dashes"],
    [[path({ name: 'Item' })], "p: criticalPaths ('Item') is not a path name: give each path its own name of up to 21 lowercase letters, digits and dashes"],
    [[path({ path: 'items/1' })], "p: criticalPaths.item.path ('items/1') is not an absolute path: use a path such as '/items/1'"],
    [[path({ expectStatus: 99 })], 'p: criticalPaths.item.expectStatus (99) is not an HTTP status: use a status from 100 to 599'],
    [[path({ body: '{}' })], "p: criticalPaths.item.body ('{}') is set on a GET: send a body with POST only"],
  ])('refuses %j', (paths, message) => {
    expect(() => validateCriticalPaths('p', 'criticalPaths', paths)).toThrow(message);
  });
});
