import fc from 'fast-check';
import { backoffDelayMs } from '../../constructs/core/retry';

describe('backoffDelayMs (full jitter)', () => {
  test('property: the delay lies in [0, min(max, base * 2^(retry-1)))', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 60000 }),
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      (retry, base, max, r) => {
        const delay = backoffDelayMs(retry, { baseDelayMs: base, maxDelayMs: max, random: () => r });
        const ceiling = Math.min(max, base * 2 ** (retry - 1));
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(Math.max(ceiling, 1));
        expect(Number.isInteger(delay)).toBe(true);
      }));
  });

  test('the ceiling doubles per retry until the cap', () => {
    const atTop = (retry: number) => backoffDelayMs(retry, { baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999999 });
    expect([1, 2, 3, 4, 5, 6].map(atTop)).toEqual([99, 199, 399, 799, 999, 999]);
  });
});
