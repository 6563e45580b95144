import fc from 'fast-check';
import { burnRateFactor, burnRateWindows, SRE_WORKBOOK_WINDOWS } from '../../../constructs/core/observability/burn-rate';

const DAY = 86_400;

describe('burn-rate factors (SRE Workbook table 5-8)', () => {
  test('30 days: 14.4x/1h and 6x/6h page, 3x/1d and 1x/3d ticket', () => {
    expect(burnRateWindows(30, 0.001).map((w) => [w.severity, w.factor, w.longWindowSeconds, w.shortWindowSeconds, w.threshold])).toEqual([
      ['critical', 14.4, 3_600, 300, 0.0144],
      ['critical', 6, 21_600, 1_800, 0.006],
      ['warning', 3, 86_400, 7_200, 0.003],
      ['warning', 1, 259_200, 21_600, 0.001],
    ]);
  });

  test('28 days: derived from the period, not hard-coded (13.44x, 5.6x, 2.8x, 0.933x)', () => {
    expect(burnRateWindows(28, 0.001).map((w) => w.factor)).toEqual([13.44, 5.6, 2.8, 0.933333333333]);
  });

  test('the short window is 1/12 of the long one', () => {
    for (const w of SRE_WORKBOOK_WINDOWS) expect(w.shortWindowSeconds * 12).toBe(w.longWindowSeconds);
  });
});

describe('burn-rate math: properties', () => {
  const periodDays = fc.integer({ min: 3, max: 365 });

  test('factor × window / period == budget share, for any period and row', () => {
    fc.assert(fc.property(periodDays, fc.constantFrom(...SRE_WORKBOOK_WINDOWS), (days, w) => {
      const f = burnRateFactor(days * DAY, w.budgetShare, w.longWindowSeconds);
      expect(f * w.longWindowSeconds / (days * DAY)).toBeCloseTo(w.budgetShare, 10);
    }));
  });

  test('page thresholds are above ticket thresholds, faster rows above slower ones', () => {
    fc.assert(fc.property(periodDays, fc.double({ min: 0.00001, max: 0.1, noNaN: true }), (days, budget) => {
      const t = burnRateWindows(days, budget).map((w) => w.threshold);
      expect(t[0]).toBeGreaterThan(t[1]);
      expect(Math.min(t[0], t[1])).toBeGreaterThan(Math.max(t[2], t[3]));
      expect(t[2]).toBeGreaterThan(t[3]);
    }));
  });

  test('a burn at the threshold spends exactly the row\'s budget share within the long window', () => {
    fc.assert(fc.property(periodDays, fc.double({ min: 0.00001, max: 0.1, noNaN: true }), (days, budget) => {
      for (const w of burnRateWindows(days, budget)) {
        const spent = w.threshold * w.longWindowSeconds; // bad-request share × time
        const wholeBudget = budget * days * DAY;
        expect(spent / wholeBudget).toBeCloseTo(w.budgetShare, 8);
      }
    }));
  });
});
