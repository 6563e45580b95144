import { appConfigFlagsDocument, evaluatedFlags, OPERATIONAL_FLAGS, validateFeatureFlags } from '../../../constructs/core/release/flags';
import type { FeatureFlagDeclaration } from '../../../constructs/core/release/flags';

describe('the operational flags', () => {
  test('cache bypass, read-only mode, shed-more (with its admit share) and a kill switch per non-essential feature', () => {
    expect(OPERATIONAL_FLAGS.map((f) => f.key)).toEqual(['cache-bypass', 'read-only', 'shed-more', 'kill-popular']);
    expect(() => validateFeatureFlags('flags', OPERATIONAL_FLAGS)).not.toThrow();
  });

  test('deployed off: the evaluated form the agent serves (and the ConfigMap holds) has every flag off, attributes at their default', () => {
    expect(evaluatedFlags()).toEqual({
      'cache-bypass': { enabled: false }, 'read-only': { enabled: false }, 'shed-more': { enabled: false, admitPercent: 50 }, 'kill-popular': { enabled: false },
    });
  });

  test('the AppConfig feature-flag document declares each flag with its attribute constraints and the values off', () => {
    const doc = appConfigFlagsDocument();
    expect(doc.version).toBe('1');
    expect(Object.keys(doc.flags)).toEqual(OPERATIONAL_FLAGS.map((f) => f.key));
    expect(doc.flags['shed-more'].attributes).toEqual({ admitPercent: { constraints: { type: 'number', required: true, minimum: 1, maximum: 100 } } });
    expect(doc.flags['read-only']).toEqual({ name: 'Read-only mode', description: expect.stringContaining('Writes (POST /orders) answer 503') });
    expect(doc.values).toEqual(evaluatedFlags());
  });

  const flag = (over: Partial<FeatureFlagDeclaration>): FeatureFlagDeclaration => ({ key: 'new-checkout', name: 'New checkout', description: 'd', ...over });
  test.each([
    [[], "flags: flags ([]) is empty: declare at least one flag (e.g. OPERATIONAL_FLAGS)"],
    [[flag({ key: 'NewCheckout' })], "flags: flags ('NewCheckout') is not a flag key: use up to 64 lowercase letters and digits in words joined by dashes, e.g. 'cache-bypass'"],
    [[flag({}), flag({})], "flags: flags ('new-checkout') is declared twice: declare each flag once"],
    [[flag({ attributes: { enabled: { description: 'x', minimum: 0, maximum: 1, defaultValue: 0 } } })],
      "flags: flags.new-checkout.attributes ('enabled') is not an attribute name: use a camelCase name other than 'enabled', e.g. 'admitPercent'"],
    [[flag({ attributes: { share: { description: 'x', minimum: 1, maximum: 10, defaultValue: 20 } } })],
      'flags: flags.new-checkout.attributes.share.defaultValue (20) is outside its range 1 to 10: choose a default between minimum and maximum'],
  ])('refuses %j', (flags, message) => {
    expect(() => validateFeatureFlags('flags', flags)).toThrow(message);
  });
});
