import * as fc from 'fast-check';
import { budgetOverrideParameter, checkBudgetOverride, errorBudgetStatus, MAX_OVERRIDE_HOURS } from '../../../constructs/core/release/error-budget';

describe('the error budget', () => {
  test('99.9 % over the period: 0.1 % of requests may fail; spending it all exhausts the budget', () => {
    expect(errorBudgetStatus({ total: 1_000_000, bad: 500, target: 0.999 })).toMatchObject({ errorRatio: 0.0005, exhausted: false });
    expect(errorBudgetStatus({ total: 1_000_000, bad: 500, target: 0.999 }).remaining).toBeCloseTo(0.5, 10);
    expect(errorBudgetStatus({ total: 1_000_000, bad: 1000, target: 0.999 }).exhausted).toBe(true);
    expect(errorBudgetStatus({ total: 0, bad: 0, target: 0.999 })).toMatchObject({ errorRatio: 0, remaining: 1, exhausted: false });
  });

  test('property: exhausted exactly when the error ratio reaches the budget; remaining falls as failures grow', () => {
    // Budgets in parts per million, so the expectation is integer arithmetic.
    const PPM: Record<string, number> = { 0.99: 10_000, 0.995: 5000, 0.999: 1000, 0.9999: 100 };
    const targets = fc.constantFrom(0.99, 0.995, 0.999, 0.9999);
    fc.assert(fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000_000 }), targets,
      (total, rawBad, target) => {
        const bad = rawBad % (total + 1);
        const status = errorBudgetStatus({ total, bad, target });
        expect(status.exhausted).toBe(bad * 1_000_000 >= total * PPM[String(target)]);
        const more = errorBudgetStatus({ total, bad: Math.min(total, bad + 1), target });
        expect(more.remaining).toBeLessThanOrEqual(status.remaining);
      }));
  });

  test('bad input is refused', () => {
    expect(() => errorBudgetStatus({ total: 10, bad: 1, target: 1 })).toThrow('target must be in (0, 1), got 1');
    expect(() => errorBudgetStatus({ total: -1, bad: 0, target: 0.9 })).toThrow('total and bad must be non-negative, got -1 and 0');
  });
});

describe('the override', () => {
  const written = new Date('2026-03-01T10:00:00Z');
  const now = new Date('2026-03-01T12:00:00Z');
  test('one parameter per service', () => {
    expect(budgetOverrideParameter('checkout')).toBe('/checkout/release/budget-override');
  });
  test('a reason and an expiry in the future, at most 24 hours after it was written', () => {
    expect(checkBudgetOverride('{"reason":"  INC-42: the fix  ","expiresAt":"2026-03-01T20:00:00Z"}', written, now))
      .toEqual({ valid: true, override: { reason: 'INC-42: the fix', expiresAt: '2026-03-01T20:00:00.000Z' } });
    expect(MAX_OVERRIDE_HOURS).toBe(24);
  });
  test.each([
    ['{', 'is not JSON: write {"reason":"<why this release must go out>","expiresAt":"<ISO time>"}'],
    ['{"reason":"short","expiresAt":"2026-03-01T20:00:00Z"}', 'has no reason of at least 10 characters: say why this release must go out (incident, ticket)'],
    ['{"reason":"INC-42: the fix"}', 'has no expiresAt ISO time: add "expiresAt":"2030-01-01T12:00:00Z" (at most 24 hours ahead)'],
    ['{"reason":"INC-42: the fix","expiresAt":"2026-03-01T11:00:00Z"}', 'expired at 2026-03-01T11:00:00.000Z: write a new override for this release'],
    ['{"reason":"INC-42: the fix","expiresAt":"2026-03-02T10:00:01Z"}',
      'expires more than 24 hours after it was written (2026-03-01T10:00:00.000Z): an override covers one release, not a period'],
  ])('refuses %s', (text, problem) => {
    expect(checkBudgetOverride(text, written, now)).toEqual({ valid: false, problem });
  });
});
