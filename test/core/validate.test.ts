/**
 * The validation helpers every engine shares (constructs/core/validate.ts): each accepts what is valid, and throws a
 * PlatformValidationError naming where, the prop, the value and the fix, with the exact message.
 */
import { PlatformValidationError } from '../../constructs/core/errors';
import {
  requireIntegerInRange, requireMinNotAboveMax, requireNumberInRange, requireOneOf, requirePath,
} from '../../constructs/core/validate';

const WHERE = 'Test/Service';

/** The error `check` throws (fails the test when it throws none or another type). */
function errorOf(check: () => unknown): PlatformValidationError {
  try {
    check();
  } catch (e) {
    expect(e).toBeInstanceOf(PlatformValidationError);
    return e as PlatformValidationError;
  }
  throw new Error('expected a PlatformValidationError, nothing was thrown');
}

describe('requireIntegerInRange', () => {
  test.each([1, 5, 10])('accepts %p in [1, 10]', (value) => {
    expect(() => requireIntegerInRange(WHERE, 'replicas', value, 1, 10)).not.toThrow();
  });

  test.each<[number, string]>([
    [0, 'Test/Service: replicas (0) must be an integer from 1 to 10: set replicas to a whole number between 1 and 10'],
    [11, 'Test/Service: replicas (11) must be an integer from 1 to 10: set replicas to a whole number between 1 and 10'],
    [2.5, 'Test/Service: replicas (2.5) must be an integer from 1 to 10: set replicas to a whole number between 1 and 10'],
    [Number.NaN, 'Test/Service: replicas (NaN) must be an integer from 1 to 10: set replicas to a whole number between 1 and 10'],
  ])('rejects %p', (value, message) => {
    const error = errorOf(() => requireIntegerInRange(WHERE, 'replicas', value, 1, 10));
    expect(error.message).toBe(message);
    expect([error.where, error.prop]).toEqual([WHERE, 'replicas']);
    expect(error.value).toBe(value);
  });
});

describe('requireNumberInRange', () => {
  test.each([0, 0.5, 1])('accepts %p in [0, 1]', (value) => {
    expect(() => requireNumberInRange(WHERE, 'errorRate', value, 0, 1)).not.toThrow();
  });

  test.each<[number, string]>([
    [-0.1, 'Test/Service: errorRate (-0.1) must be between 0 and 1: set errorRate to a value between 0 and 1'],
    [1.5, 'Test/Service: errorRate (1.5) must be between 0 and 1: set errorRate to a value between 0 and 1'],
    [Number.POSITIVE_INFINITY, 'Test/Service: errorRate (Infinity) must be between 0 and 1: set errorRate to a value between 0 and 1'],
    [Number.NaN, 'Test/Service: errorRate (NaN) must be between 0 and 1: set errorRate to a value between 0 and 1'],
  ])('rejects %p', (value, message) => {
    expect(errorOf(() => requireNumberInRange(WHERE, 'errorRate', value, 0, 1)).message).toBe(message);
  });
});

describe('requireMinNotAboveMax', () => {
  test.each<[number, number]>([[2, 3], [3, 3]])('accepts min %p with max %p', (min, max) => {
    expect(() => requireMinNotAboveMax(WHERE, 'minCapacity', min, 'maxCapacity', max)).not.toThrow();
  });

  test('rejects a max below the min, naming the max', () => {
    const error = errorOf(() => requireMinNotAboveMax(WHERE, 'minCapacity', 3, 'maxCapacity', 2));
    expect(error.message).toBe('Test/Service: maxCapacity (2) is below minCapacity (3): raise maxCapacity or lower minCapacity');
    expect([error.prop, error.value]).toEqual(['maxCapacity', 2]);
  });
});

describe('requireOneOf', () => {
  test('returns an allowed value, typed', () => {
    const protocol: 'http' | 'https' = requireOneOf(WHERE, 'scheme', 'https', ['http', 'https'] as const);
    expect(protocol).toBe('https');
  });

  test.each(['ftp', 'HTTPS', ''])('rejects %p, listing the allowed values', (value) => {
    expect(errorOf(() => requireOneOf(WHERE, 'scheme', value, ['http', 'https'])).message)
      .toBe(`Test/Service: scheme ('${value}') is not a supported value: use one of http, https`);
  });
});

describe('requirePath', () => {
  test.each(['/', '/ready', '/api/v1/items', '/a.b~c-d_e'])('accepts %p', (value) => {
    expect(() => requirePath(WHERE, 'healthCheckPath', value)).not.toThrow();
  });

  test.each(['ready', '/ready?deep=1', '/health check', ''])('rejects %p', (value) => {
    expect(errorOf(() => requirePath(WHERE, 'healthCheckPath', value)).message)
      .toBe(`Test/Service: healthCheckPath ('${value}') is not an absolute URL path: use a path such as '/ready' (starting with '/', no query string)`);
  });
});
