/**
 * The staged rollout of a flag change, 0 → 1 → 5 → 25 → 100 % (the practice the platform encodes), mapped onto what an
 * AWS AppConfig deployment strategy can express. AppConfig grows a deployment by a fixed rule, not by a list of stages:
 * LINEAR adds `growthFactor` percent per step, EXPONENTIAL targets `growthFactor × 2^step` percent. Neither jumps ×5,
 * so the closest strategy is EXPONENTIAL from 1 %: 1, 2, 4, 8, 16, 32, 64, 100 — the 1 % stage exactly, about 5 %
 * (4 %, then 8 %) and about 25 % (16 %, then 32 %) on the way, each step baking `stepMinutes` under the monitors, then
 * a final bake at 100 % before the deployment completes. 0 % is the flag deployed off with the code (dark launch).
 */
import { PlatformValidationError } from '../errors';

/** The stages of the practice, in percent of traffic. */
export const STAGED_ROLLOUT_PERCENTS: readonly number[] = [0, 1, 5, 25, 100];

/** An AppConfig deployment strategy's growth settings. */
export interface AppConfigRollout {
  readonly growthType: 'EXPONENTIAL' | 'LINEAR';
  /** Percent (LINEAR: added per step; EXPONENTIAL: the first step, doubled each step). */
  readonly growthFactor: number;
  /** Total minutes of the growth (AppConfig spreads the steps over it). */
  readonly deploymentDurationMinutes: number;
  /** Minutes at 100 % under the monitors before the deployment completes. */
  readonly finalBakeMinutes: number;
}

/** Percent of targets served the new version at each step of an AppConfig growth (the last is 100). */
export function appConfigSteps(growthType: AppConfigRollout['growthType'], growthFactor: number): number[] {
  const steps: number[] = [];
  for (let n = 0; steps.length === 0 || steps[steps.length - 1] < 100; n++) {
    const pct = growthType === 'LINEAR' ? growthFactor * (n + 1) : growthFactor * 2 ** n;
    steps.push(Math.min(100, pct));
  }
  return steps;
}

/** Options of {@link stagedRollout}. */
export interface StagedRolloutOptions {
  /**
   * Minutes each step bakes under the monitors before the next.
   * @default 5
   */
  readonly stepMinutes?: number;
  /**
   * Minutes at 100 % before the deployment completes.
   * @default 10
   */
  readonly finalBakeMinutes?: number;
}

/** The AppConfig strategy closest to {@link STAGED_ROLLOUT_PERCENTS}: exponential from 1 %, `stepMinutes` per step. */
export function stagedRollout(where: string, options: StagedRolloutOptions = {}): AppConfigRollout {
  const stepMinutes = options.stepMinutes ?? 5;
  const finalBakeMinutes = options.finalBakeMinutes ?? 10;
  const steps = appConfigSteps('EXPONENTIAL', 1).length;
  if (!Number.isInteger(stepMinutes) || stepMinutes < 1 || stepMinutes * steps > 1440) {
    throw new PlatformValidationError(where, 'rolloutStepDuration (minutes)', stepMinutes,
      `must be a whole number of minutes from 1 to ${Math.floor(1440 / steps)} (the ${steps} steps of the rollout within AppConfig's 24 hours)`,
      'use Duration.minutes(n) with n in that range');
  }
  if (!Number.isInteger(finalBakeMinutes) || finalBakeMinutes < 0 || finalBakeMinutes > 1440) {
    throw new PlatformValidationError(where, 'rolloutBakeTime (minutes)', finalBakeMinutes, 'must be a whole number of minutes from 0 to 1440',
      'use Duration.minutes(n) with n between 0 and 1440');
  }
  return { growthType: 'EXPONENTIAL', growthFactor: 1, deploymentDurationMinutes: stepMinutes * steps, finalBakeMinutes };
}

/** The emergency strategy: every target at once, no bake (a kill switch or a rollback of a flag within one agent poll). */
export const IMMEDIATE_ROLLOUT: AppConfigRollout = { growthType: 'LINEAR', growthFactor: 100, deploymentDurationMinutes: 0, finalBakeMinutes: 0 };
