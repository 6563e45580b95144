/**
 * The account baseline (`-c accountBaseline=true`): its stacks, what each holds, and that the nag packs pass (the
 * Control Tower controls and nothing-lost run over the same app in test/stacks).
 */
import { referenceApp, synthesizedReferenceApp, synthFindings } from '../../helpers/reference-app';
import { PRODUCTION_CONTEXT } from '../../helpers/reference-contexts';
import { formatFindings } from '../../helpers/test-stack';

describe('account baseline stacks', () => {
  const synth = synthesizedReferenceApp(PRODUCTION_CONTEXT, 'nag');
  const count = (stack: string, type: string) => Object.values(synth.templates[stack].Resources).filter((r) => r.Type === type).length;

  test('cdk-nag AwsSolutions and NIST 800-53 rev 5: no unacknowledged finding', () => {
    expect(formatFindings(synthFindings(synth))).toEqual([]);
  });

  test('us-east-1 holds the trail, detection with aggregation and the cost monitoring; each other region its detection', () => {
    const regions = Object.fromEntries(synth.assembly.stacks.filter((s) => s.stackName.endsWith('-baseline')).map((s) => [s.stackName, s.environment.region]));
    expect(regions).toEqual({ 'checkout-baseline': 'us-east-1', 'checkout-primary-baseline': 'eu-west-1', 'checkout-secondary-baseline': 'eu-central-1' });
    expect(count('checkout-baseline', 'AWS::CloudTrail::Trail')).toBe(1);
    expect(count('checkout-baseline', 'AWS::SecurityHub::FindingAggregator')).toBe(1);
    expect(count('checkout-baseline', 'AWS::Budgets::Budget')).toBe(1);
    expect(count('checkout-baseline', 'AWS::CE::AnomalyMonitor')).toBe(1);
    for (const stack of ['checkout-baseline', 'checkout-primary-baseline', 'checkout-secondary-baseline']) {
      expect([stack, count(stack, 'AWS::GuardDuty::Detector'), count(stack, 'AWS::SecurityHub::Standard'), count(stack, 'AWS::Config::ConformancePack'),
        count(stack, 'AWS::AccessAnalyzer::Analyzer')]).toEqual([stack, 1, 2, 1, 1]);
    }
  });

  test('the trail records every region, validates its files and is encrypted', () => {
    const trail = Object.values(synth.templates['checkout-baseline'].Resources).find((r) => r.Type === 'AWS::CloudTrail::Trail')!;
    expect(trail.Properties).toEqual(expect.objectContaining({
      IsMultiRegionTrail: true, EnableLogFileValidation: true, IncludeGlobalServiceEvents: true, KMSKeyId: expect.anything(),
    }));
  });

  test('the baseline is opt-in: the default app has none', () => {
    expect(referenceApp().platform.baseline).toBeUndefined();
  });

  test('bad config fails naming the key and the fix', () => {
    expect(() => referenceApp({ accountBaseline: 'yes' })).toThrow("config: accountBaseline ('yes') is not true or false: pass -c accountBaseline=true or -c accountBaseline=false");
    expect(() => referenceApp({ monthlyBudget: '500' })).toThrow("config: monthlyBudget ('500') is given without accountBaseline, whose budget it sets: pass -c accountBaseline=true with it, or drop it");
  });
});
