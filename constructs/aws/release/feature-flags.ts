import { Duration, Stack } from 'aws-cdk-lib';
import * as appconfig from 'aws-cdk-lib/aws-appconfig';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FeatureFlagDeclaration } from '../../core/release/flags';
import { appConfigFlagsDocument } from '../../core/release/flags';
import { IMMEDIATE_ROLLOUT } from '../../core/release/rollout';
import type { AppConfigRollout } from '../../core/release/rollout';
import { allowCloudWatchLogs, createDataKey } from '../private/encryption';
import { acknowledgeWildcards } from '../private/nag';
import { createPlatformFunction, handlerBeside } from '../private/platform-function';
import type { FeatureFlagsProps, IFeatureFlags } from './feature-flags-props';
import { validateFeatureFlagsProps } from './private/validate-feature-flags-props';

export type { FeatureFlagsProps, IFeatureFlags } from './feature-flags-props';

/** Name of the feature-flag configuration profile of every service. */
export const FEATURE_FLAG_PROFILE_NAME = 'feature-flags';

/** Name of the switch function of `service` in a region. */
export function featureFlagSwitchName(service: string): string {
  return `${service}-feature-flags`;
}

function strategy(scope: Construct, id: string, name: string, description: string, r: AppConfigRollout): appconfig.DeploymentStrategy {
  const props = {
    growthFactor: r.growthFactor,
    deploymentDuration: Duration.minutes(r.deploymentDurationMinutes),
    finalBakeTime: Duration.minutes(r.finalBakeMinutes),
  };
  return new appconfig.DeploymentStrategy(scope, id, {
    deploymentStrategyName: name,
    description,
    rolloutStrategy: r.growthType === 'EXPONENTIAL' ? appconfig.RolloutStrategy.exponential(props) : appconfig.RolloutStrategy.linear(props),
  });
}

/**
 * The feature flags of a service in one region, on AWS AppConfig: an application (`<service>`), a feature-flag
 * configuration profile (`feature-flags`) whose baseline hosted version declares every flag off, two deployment
 * strategies and the switch function.
 *
 * - Staged (`<service>-staged`): the 0 → 1 → 5 → 25 → 100 % practice as AppConfig can express it, exponential growth from
 *   1 % (1, 2, 4, 8, 16, 32, 64, 100 % of the agents), `rolloutStepDuration` per step, then `rolloutBakeTime` at 100 %;
 *   an environment monitor (the service's page alarm) in ALARM rolls it back by itself.
 * - Immediate (`<service>-immediate`): every agent at once, no bake: kill switches, emergencies and rolling a flag back.
 * - The switch function (`<service>-feature-flags`): one flag on or off in one environment from the version that
 *   environment deployed (see `feature-flags.handler.ts`); the automatic remediations and operators call it.
 *
 * Environments (one per region, with the service's page alarm as monitor) and the agent sidecar are added where the
 * service runs: {@link FeatureFlagEnvironment}.
 */
export class FeatureFlags extends Construct implements IFeatureFlags {
  public readonly service: string;
  public readonly flags: readonly FeatureFlagDeclaration[];
  public readonly application: appconfig.Application;
  public readonly applicationName: string;
  /** The feature-flag profile and its baseline hosted version. */
  public readonly profile: appconfig.HostedConfiguration;
  public readonly configurationProfileId: string;
  public readonly configurationProfileName = FEATURE_FLAG_PROFILE_NAME;
  public readonly baselineVersionNumber: string;
  public readonly stagedStrategy: appconfig.DeploymentStrategy;
  public readonly immediateStrategy: appconfig.DeploymentStrategy;
  /** The staged rollout's growth, as deployed. */
  public readonly stagedRollout: AppConfigRollout;
  public readonly switchFunction: lambda.IFunction;

  constructor(scope: Construct, id: string, props: FeatureFlagsProps) {
    super(scope, id);
    const settings = validateFeatureFlagsProps(this.node.path, props);
    this.service = props.service;
    this.flags = settings.flags;
    this.stagedRollout = settings.staged;
    this.applicationName = props.service;
    this.application = new appconfig.Application(this, 'Application', {
      applicationName: props.service,
      description: `${props.service}: feature flags (operational switches and releases)`,
    });
    this.stagedStrategy = strategy(this, 'StagedStrategy', `${props.service}-staged`,
      'Staged flag rollout: 1, 2, 4 ... 100 % of the agents, each step baked under the monitors (rolled back by the page alarm)', settings.staged);
    this.immediateStrategy = strategy(this, 'ImmediateStrategy', `${props.service}-immediate`,
      'Emergency switch or flag rollback: every agent at once, no bake', IMMEDIATE_ROLLOUT);
    this.profile = new appconfig.HostedConfiguration(this, 'Profile', {
      application: this.application,
      name: FEATURE_FLAG_PROFILE_NAME,
      description: `${props.service}: feature flags, every one off in the baseline version`,
      type: appconfig.ConfigurationType.FEATURE_FLAGS,
      content: appconfig.ConfigurationContent.fromInlineJson(JSON.stringify(appConfigFlagsDocument(this.flags))),
      deploymentStrategy: this.immediateStrategy,
    });
    this.configurationProfileId = this.profile.configurationProfileId;
    this.baselineVersionNumber = this.profile.versionNumber as string;

    const key: kms.IKey = props.key ?? createDataKey(this, 'Key', `${this.node.path} feature-flag switch logs`);
    allowCloudWatchLogs(key);
    const stack = Stack.of(this);
    const appArn = stack.formatArn({ service: 'appconfig', resource: 'application', resourceName: this.application.applicationId });
    const strategyArn = (s: appconfig.IDeploymentStrategy): string => stack.formatArn({ service: 'appconfig', resource: 'deploymentstrategy', resourceName: s.deploymentStrategyId });
    const resources = [appArn, `${appArn}/*`, strategyArn(this.stagedStrategy), strategyArn(this.immediateStrategy)];
    const fn = createPlatformFunction(this, 'Switch', {
      handler: handlerBeside(__dirname, 'feature-flags'),
      functionName: featureFlagSwitchName(props.service),
      description: `switches one feature flag of ${props.service} (AppConfig hosted version + deployment)`,
      environment: {
        APPLICATION_ID: this.application.applicationId,
        CONFIGURATION_PROFILE_ID: this.configurationProfileId,
        STAGED_STRATEGY_ID: this.stagedStrategy.deploymentStrategyId,
        IMMEDIATE_STRATEGY_ID: this.immediateStrategy.deploymentStrategyId,
      },
      key,
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      // One switch at a time: two could read the same deployed version and the second would undo the first.
      reservedConcurrency: 1,
      timeout: Duration.minutes(2),
      statements: [new iam.PolicyStatement({
        sid: 'SwitchFlags',
        actions: ['appconfig:ListEnvironments', 'appconfig:ListDeployments', 'appconfig:GetDeployment', 'appconfig:StopDeployment', 'appconfig:StartDeployment',
          'appconfig:ListHostedConfigurationVersions', 'appconfig:GetHostedConfigurationVersion', 'appconfig:CreateHostedConfigurationVersion'],
        resources,
      })],
      outsideVpcReason: 'The function calls the AppConfig control-plane API only and holds no data.',
      noDeadLetterQueueReason: 'Invoked synchronously (by an SSM Automation step or an operator), which sees the error at once; nothing is retried behind the caller\'s back.',
    });
    acknowledgeWildcards(fn.policy, resources,
      'The switch acts on this service\'s AppConfig application only: its environments, deployments and the feature-flag profile\'s hosted versions, whose ids are known at run time.');
    this.switchFunction = fn.fn;
  }

  /** Lets `grantee` switch flags (invoke the switch function). */
  public grantSwitch(grantee: iam.IGrantable): iam.Grant {
    return this.switchFunction.grantInvoke(grantee);
  }
}
