import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { FeatureFlags } from '../../../constructs/aws/release/feature-flags';
import { appConfigFlagsDocument } from '../../../constructs/core/release/flags';
import { formatFindings, nagFindings, testStack } from '../../helpers/test-stack';
import { releaseSafety } from './fixture';

describe('FeatureFlags', () => {
  const template = Template.fromStack(releaseSafety().stack);

  test('an AppConfig application per service and a feature-flag profile whose baseline declares every flag off', () => {
    template.hasResourceProperties('AWS::AppConfig::Application', { Name: 'checkout' });
    template.hasResourceProperties('AWS::AppConfig::ConfigurationProfile', { Name: 'feature-flags', Type: 'AWS.AppConfig.FeatureFlags', LocationUri: 'hosted' });
    const versions = Object.values(template.findResources('AWS::AppConfig::HostedConfigurationVersion'));
    expect(versions).toHaveLength(1);
    expect(JSON.parse(versions[0].Properties.Content as string)).toEqual(appConfigFlagsDocument());
  });

  test('the staged strategy follows 0 → 1 → 5 → 25 → 100 % as AppConfig can: exponential from 1 %, 5 minutes a step, a 10-minute bake', () => {
    template.hasResourceProperties('AWS::AppConfig::DeploymentStrategy', {
      Name: 'checkout-staged', GrowthType: 'EXPONENTIAL', GrowthFactor: 1, DeploymentDurationInMinutes: 40, FinalBakeTimeInMinutes: 10, ReplicateTo: 'NONE',
    });
    template.hasResourceProperties('AWS::AppConfig::DeploymentStrategy', {
      Name: 'checkout-immediate', GrowthType: 'LINEAR', GrowthFactor: 100, DeploymentDurationInMinutes: 0, FinalBakeTimeInMinutes: 0,
    });
  });

  test('the switch function: named, one invocation at a time, allowed the AppConfig calls of this application only', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'checkout-feature-flags', ReservedConcurrentExecutions: 1,
      Environment: { Variables: {
        APPLICATION_ID: { Ref: Match.stringLikeRegexp('^FeatureFlagsApplication') },
        CONFIGURATION_PROFILE_ID: { Ref: Match.stringLikeRegexp('^FeatureFlagsProfile') },
        STAGED_STRATEGY_ID: { Ref: Match.stringLikeRegexp('^FeatureFlagsStagedStrategy') },
        IMMEDIATE_STRATEGY_ID: { Ref: Match.stringLikeRegexp('^FeatureFlagsImmediateStrategy') },
      } },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
        Sid: 'SwitchFlags',
        Action: Match.arrayWith(['appconfig:CreateHostedConfigurationVersion', 'appconfig:StartDeployment', 'appconfig:StopDeployment']),
        Resource: Match.arrayWith([
          { 'Fn::Join': ['', Match.arrayWith([{ Ref: Match.stringLikeRegexp('^FeatureFlagsApplication') }, '/*'])] },
        ]),
      })]) },
    });
  });

  test('rollout settings and flags are validated', () => {
    const make = (props: Partial<ConstructorParameters<typeof FeatureFlags>[2]>) => () => new FeatureFlags(testStack(), 'Flags', { service: 'checkout', ...props });
    expect(make({ service: 'Checkout' })).toThrow("Test/Flags: service ('Checkout') is not a valid service name: use 1-40 lowercase letters, digits and dashes, starting with a letter");
    expect(make({ rolloutStepDuration: Duration.seconds(30) })).toThrow(/^Test\/Flags: rolloutStepDuration \(minutes\) \(0.5\) must be a whole number of minutes from 1 to 180/);
    expect(make({ flags: [] })).toThrow('Test/Flags: flags ([]) is empty: declare at least one flag (e.g. OPERATIONAL_FLAGS)');
  });

  test('cdk-nag AwsSolutions and NIST 800-53 rev 5 pass for every release-safety construct together', () => {
    expect(formatFindings(nagFindings(releaseSafety({ nag: true }).stack))).toEqual([]);
  });
});
