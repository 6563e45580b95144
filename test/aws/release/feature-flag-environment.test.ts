import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { FeatureFlagEnvironment } from '../../../constructs/aws/release/feature-flag-environment';
import { releaseSafety } from './fixture';

type Container = { Name: string; Cpu: number; Memory: number; Essential?: boolean; User?: string; Image: string; ReadonlyRootFilesystem?: boolean;
  RestartPolicy?: { Enabled: boolean }; Environment?: Array<{ Name: string; Value: unknown }>; MountPoints?: Array<{ ContainerPath: string }> };

describe('FeatureFlagEnvironment', () => {
  const built = releaseSafety();
  const template = Template.fromStack(built.stack);
  const containers = Object.values(template.findResources('AWS::ECS::TaskDefinition'))[0].Properties.ContainerDefinitions as Container[];
  const env = (c: Container | undefined): Record<string, unknown> => Object.fromEntries((c?.Environment ?? []).map((v) => [v.Name, v.Value]));

  test('an environment per region, monitored by the page alarm: a staged flag rollout rolls back when the service pages', () => {
    template.hasResourceProperties('AWS::AppConfig::Environment', {
      Name: 'eu-west-1',
      Monitors: [{ AlarmArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MonitoringPageAlarm'), 'Arn'] }, AlarmRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('MonitorRole'), 'Arn'] } }],
    });
  });

  test('the baseline (every flag off) is deployed to it at once', () => {
    template.hasResourceProperties('AWS::AppConfig::Deployment', {
      ConfigurationVersion: { Ref: Match.stringLikeRegexp('^FeatureFlagsProfile') },
      DeploymentStrategyId: { Ref: Match.stringLikeRegexp('^FeatureFlagsImmediateStrategy') },
    });
  });

  test('the AppConfig agent is a sidecar taking its share of the task like the collector: non-essential, restarted in place, non-root', () => {
    const agent = containers.find((c) => c.Name === 'AppConfigAgent');
    expect(agent).toMatchObject({
      Image: 'public.ecr.aws/aws-appconfig/aws-appconfig-agent:2.0.13147', Cpu: 64, Memory: 128, Essential: false, User: '1000:1000',
      ReadonlyRootFilesystem: true, RestartPolicy: { Enabled: true }, MountPoints: [{ ContainerPath: '/tmp' }],
    });
    expect(env(agent)).toEqual({
      SERVICE_REGION: 'eu-west-1', PREFETCH_LIST: '/applications/checkout/environments/eu-west-1/configurations/feature-flags',
      POLL_INTERVAL: '15', HTTP_PORT: '2772', LOG_LEVEL: 'info',
    });
    expect(containers.find((c) => c.Name === 'App')).toMatchObject({ Cpu: 1024 - 64, Memory: 2048 - 128 });
    expect(built.service.containerLimits).toEqual({ cpuCores: 960 / 1024, memoryBytes: 1920 * 1024 ** 2 });
  });

  test('the application reads its flags from the agent on the task\'s loopback (FLAGS_URL), with the task role allowed this profile only', () => {
    expect(env(containers.find((c) => c.Name === 'App')).FLAGS_URL).toBe('http://localhost:2772/applications/checkout/environments/eu-west-1/configurations/feature-flags');
    expect(built.environment.flagsUrl).toBe('http://localhost:2772/applications/checkout/environments/eu-west-1/configurations/feature-flags');
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
        Action: ['appconfig:GetLatestConfiguration', 'appconfig:StartConfigurationSession'],
        Resource: { 'Fn::Join': ['', Match.arrayWith([{ Ref: Match.stringLikeRegexp('^FeatureFlagsProfile') }])] },
      })]) },
    });
  });

  test('bad input is refused, naming the prop', () => {
    const b = releaseSafety();
    const again = (props: Partial<ConstructorParameters<typeof FeatureFlagEnvironment>[2]>) => () =>
      new FeatureFlagEnvironment(b.stack, `Again${Math.random()}`.replace('.', ''), { flags: b.flags, service: b.service, monitors: [b.monitoring.pageAlarm], ...props });
    expect(again({ monitors: [] })).toThrow(/monitors \(\[\]\) is empty: a bad flag would never roll back by itself: pass the service's page alarm/);
    expect(again({ agentPollInterval: Duration.seconds(5) })).toThrow(/agentPollInterval \(seconds\) \(5\) must be an integer from 15 to 600/);
    expect(again({})).toThrow(/service \('Test\/Checkout'\) already runs an AppConfig agent: add one FeatureFlagEnvironment per service/);
  });
});
