import * as fc from 'fast-check';
import { appConfigSteps, IMMEDIATE_ROLLOUT, STAGED_ROLLOUT_PERCENTS, stagedRollout } from '../../../constructs/core/release/rollout';

describe('the staged rollout on AppConfig', () => {
  test('exponential growth from 1 % visits 1 %, about 5 % and about 25 % on the way to 100 %', () => {
    const steps = appConfigSteps('EXPONENTIAL', 1);
    expect(steps).toEqual([1, 2, 4, 8, 16, 32, 64, 100]);
    // Each stage of the practice (beyond 0 %, the flag deployed off) lies within a factor of two of a step.
    for (const stage of STAGED_ROLLOUT_PERCENTS.filter((p) => p > 0)) {
      expect(steps.some((s) => s >= stage / 2 && s <= stage * 2)).toBe(true);
    }
    expect(steps[0]).toBe(STAGED_ROLLOUT_PERCENTS[1]);
  });

  test('5 minutes per step and a 10-minute bake by default: 40 minutes from 1 % to 100 %, rolled back by the monitors until the end', () => {
    expect(stagedRollout('flags')).toEqual({ growthType: 'EXPONENTIAL', growthFactor: 1, deploymentDurationMinutes: 40, finalBakeMinutes: 10 });
    expect(stagedRollout('flags', { stepMinutes: 2, finalBakeMinutes: 0 })).toEqual({ growthType: 'EXPONENTIAL', growthFactor: 1, deploymentDurationMinutes: 16, finalBakeMinutes: 0 });
  });

  test('the emergency strategy reaches every agent at once without a bake', () => {
    expect(appConfigSteps(IMMEDIATE_ROLLOUT.growthType, IMMEDIATE_ROLLOUT.growthFactor)).toEqual([100]);
    expect([IMMEDIATE_ROLLOUT.deploymentDurationMinutes, IMMEDIATE_ROLLOUT.finalBakeMinutes]).toEqual([0, 0]);
  });

  test('property: any growth ends at exactly 100 %, never decreasing, never above', () => {
    fc.assert(fc.property(fc.constantFrom('LINEAR' as const, 'EXPONENTIAL' as const), fc.integer({ min: 1, max: 100 }), (type, g) => {
      const steps = appConfigSteps(type, g);
      expect(steps[steps.length - 1]).toBe(100);
      expect(steps.every((s, i) => s > 0 && s <= 100 && (i === 0 || s > steps[i - 1]))).toBe(true);
    }));
  });

  test.each([
    [{ stepMinutes: 0 }, 'flags: rolloutStepDuration (minutes) (0) must be a whole number of minutes from 1 to 180 (the 8 steps of the rollout within AppConfig\'s 24 hours): use Duration.minutes(n) with n in that range'],
    [{ stepMinutes: 181 }, /rolloutStepDuration \(minutes\) \(181\) must be a whole number of minutes from 1 to 180/],
    [{ finalBakeMinutes: 1.5 }, 'flags: rolloutBakeTime (minutes) (1.5) must be a whole number of minutes from 0 to 1440: use Duration.minutes(n) with n between 0 and 1440'],
  ])('refuses %j', (options, message) => {
    expect(() => stagedRollout('flags', options)).toThrow(message);
  });
});
