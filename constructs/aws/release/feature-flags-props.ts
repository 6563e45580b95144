import type { Duration } from 'aws-cdk-lib';
import type * as appconfig from 'aws-cdk-lib/aws-appconfig';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import type { FeatureFlagDeclaration } from '../../core/release/flags';

/** Props of {@link FeatureFlags}. */
export interface FeatureFlagsProps {
  /** The service (1-40 lowercase letters, digits and dashes): the AppConfig application and the switch function `<service>-feature-flags`. */
  readonly service: string;
  /**
   * The flags of the feature-flag profile, each deployed off.
   * @default OPERATIONAL_FLAGS - cache bypass, read-only mode, shed-more and the kill switches of the reference service
   */
  readonly flags?: readonly FeatureFlagDeclaration[];
  /**
   * How long each step of a staged flag rollout (1, 2, 4, ... 100 % of the agents, AppConfig's exponential growth from
   * 1 %) bakes under the environment's monitors, in whole minutes.
   * @default Duration.minutes(5) - 40 minutes from 1 % to 100 %
   */
  readonly rolloutStepDuration?: Duration;
  /**
   * How long a staged rollout bakes at 100 % under the monitors before it completes (a monitor in ALARM until then
   * rolls it back), in whole minutes.
   * @default Duration.minutes(10)
   */
  readonly rolloutBakeTime?: Duration;
  /**
   * Key of the switch function's logs (this construct lets CloudWatch Logs use it).
   * @default - a new rotating, retained customer key
   */
  readonly key?: kms.IKey;
  /**
   * Retention of the switch function's logs (who switched which flag, and why).
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The feature flags of a service in one region, as the environments that deploy them and the callers that switch them
 * read them (a `FeatureFlags` of this or another stack of the same region).
 */
export interface IFeatureFlags extends IConstruct {
  /** The service the flags belong to. */
  readonly service: string;
  /** The declared flags. */
  readonly flags: readonly FeatureFlagDeclaration[];
  /** The AppConfig application. */
  readonly application: appconfig.IApplication;
  /** Name of the AppConfig application (the agent's URL path). */
  readonly applicationName: string;
  /** Id of the feature-flag configuration profile. */
  readonly configurationProfileId: string;
  /** Name of the feature-flag configuration profile (the agent's URL path). */
  readonly configurationProfileName: string;
  /** Version number of the baseline hosted configuration (every flag off). */
  readonly baselineVersionNumber: string;
  /** The staged strategy (exponential from 1 %, baking each step, rolled back by the monitors). */
  readonly stagedStrategy: appconfig.IDeploymentStrategy;
  /** The emergency strategy: all at once, no bake. */
  readonly immediateStrategy: appconfig.IDeploymentStrategy;
  /** The function that switches one flag (a new hosted version from the deployed one, then a deployment). */
  readonly switchFunction: lambda.IFunction;
  /** Lets `grantee` switch flags (invoke the switch function). */
  grantSwitch(grantee: iam.IGrantable): iam.Grant;
}
