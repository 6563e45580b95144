import {
  AppConfigClient, CreateHostedConfigurationVersionCommand, GetDeploymentCommand, GetHostedConfigurationVersionCommand, ListDeploymentsCommand,
  ListEnvironmentsCommand, ListHostedConfigurationVersionsCommand, StartDeploymentCommand, StopDeploymentCommand,
} from '@aws-sdk/client-appconfig';
import type { CreateHostedConfigurationVersionCommandInput, DeploymentSummary } from '@aws-sdk/client-appconfig';
import { mockClient } from 'aws-sdk-client-mock';
import { configFromEnv, createHandler } from '../../../constructs/aws/release/feature-flags.handler';
import type { FlagSwitchEvent } from '../../../constructs/aws/release/feature-flags.handler';
import { appConfigFlagsDocument } from '../../../constructs/core/release/flags';

const appconfig = mockClient(AppConfigClient);
const CONFIG = { applicationId: 'app1', configurationProfileId: 'prof1', stagedStrategyId: 'staged1', immediateStrategyId: 'now1' };
const encode = (doc: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(doc));
const decode = (input: CreateHostedConfigurationVersionCommandInput): { values: Record<string, Record<string, unknown>> } =>
  JSON.parse(new TextDecoder().decode(input.Content as Uint8Array));

/** AppConfig as the switch sees it: one environment, `deployments` (newest first), hosted versions by number. */
function fake(state: { deployments: DeploymentSummary[]; versions: Record<number, unknown>; deploymentStates?: string[] }) {
  const created: CreateHostedConfigurationVersionCommandInput[] = [];
  appconfig.reset();
  appconfig.on(ListEnvironmentsCommand).resolves({ Items: [{ Id: 'env1', Name: 'eu-west-1' }] });
  appconfig.on(ListDeploymentsCommand).callsFake(() => Promise.resolve({ Items: state.deployments }));
  appconfig.on(ListHostedConfigurationVersionsCommand).callsFake(() => Promise.resolve({
    Items: Object.keys(state.versions).map(Number).sort((a, b) => b - a).map((VersionNumber) => ({ VersionNumber })),
  }));
  appconfig.on(GetHostedConfigurationVersionCommand)
    .callsFake((input: { VersionNumber: number }) => Promise.resolve({ Content: encode(state.versions[input.VersionNumber]) }));
  appconfig.on(CreateHostedConfigurationVersionCommand).callsFake((input: CreateHostedConfigurationVersionCommandInput) => {
    created.push(input);
    const n = Math.max(...Object.keys(state.versions).map(Number)) + 1;
    state.versions[n] = JSON.parse(new TextDecoder().decode(input.Content as Uint8Array));
    return Promise.resolve({ VersionNumber: n });
  });
  appconfig.on(StartDeploymentCommand).resolves({ DeploymentNumber: 9, State: 'DEPLOYING' });
  const states = [...(state.deploymentStates ?? ['DEPLOYING', 'COMPLETE'])];
  appconfig.on(GetDeploymentCommand).callsFake(() => Promise.resolve({ State: states.length > 1 ? states.shift() : states[0] }));
  appconfig.on(StopDeploymentCommand).resolves({});
  const lines: string[] = [];
  const sleeps: number[] = [];
  const run = createHandler({ config: CONFIG, appconfig: new AppConfigClient({ region: 'eu-west-1' }), sleep: (ms) => { sleeps.push(ms); return Promise.resolve(); }, log: (l) => lines.push(l) });
  return { run, created, lines, sleeps };
}

const baseline = appConfigFlagsDocument();
const event = (over: Partial<FlagSwitchEvent> = {}): FlagSwitchEvent => ({ environment: 'eu-west-1', flag: 'read-only', enabled: true, reason: 'INC-42: writes fail', ...over });

describe('the feature-flag switch', () => {
  test('writes a version from the one the environment deployed with only the flag changed, and deploys it staged', async () => {
    const other = { ...baseline, values: { ...baseline.values, 'kill-popular': { enabled: true } } };
    const f = fake({ deployments: [{ DeploymentNumber: 4, State: 'COMPLETE', ConfigurationVersion: '2' }], versions: { 1: baseline, 2: other, 3: baseline } });
    const result = await f.run(event());
    expect(f.created).toHaveLength(1);
    const input = f.created[0];
    // Based on version 2 (deployed), not 3 (newest, never deployed); locked on the newest so a concurrent write fails this one.
    expect(decode(input).values).toEqual({ ...other.values, 'read-only': { enabled: true } });
    expect([input.LatestVersionNumber, input.VersionLabel, input.Description, input.ContentType]).toEqual([3, 'read-only-on', 'INC-42: writes fail', 'application/json']);
    expect(appconfig.commandCalls(StartDeploymentCommand)[0].args[0].input).toEqual({
      ApplicationId: 'app1', EnvironmentId: 'env1', ConfigurationProfileId: 'prof1', ConfigurationVersion: '4', DeploymentStrategyId: 'staged1', Description: 'INC-42: writes fail',
    });
    expect(result).toEqual({ environmentId: 'env1', flag: 'read-only', enabled: true, configurationVersion: '4', deploymentNumber: 9, state: 'DEPLOYING' });
    expect(appconfig.commandCalls(GetDeploymentCommand)).toHaveLength(0);
  });

  test('immediate: deploys with the emergency strategy and returns once the deployment completed', async () => {
    const f = fake({ deployments: [{ DeploymentNumber: 1, State: 'COMPLETE', ConfigurationVersion: '1' }], versions: { 1: baseline } });
    const result = await f.run(event({ flag: 'shed-more', attributes: { admitPercent: 25 }, rollout: 'immediate', label: 'shed-more-on-exec-1' }));
    expect(decode(f.created[0]).values['shed-more']).toEqual({ enabled: true, admitPercent: 25 });
    expect(f.created[0].VersionLabel).toBe('shed-more-on-exec-1');
    expect(appconfig.commandCalls(StartDeploymentCommand)[0].args[0].input.DeploymentStrategyId).toBe('now1');
    expect(result.state).toBe('COMPLETE');
    expect(f.sleeps).toEqual([1000]);
  });

  test('immediate: a staged rollout in progress is stopped (rolled back) first, and the switch starts from the version before it', async () => {
    const f = fake({
      deployments: [
        { DeploymentNumber: 6, State: 'DEPLOYING', ConfigurationVersion: '5', DeploymentDurationInMinutes: 40, FinalBakeTimeInMinutes: 10 },
        { DeploymentNumber: 5, State: 'COMPLETE', ConfigurationVersion: '1' },
      ],
      versions: { 1: baseline, 5: { ...baseline, values: { ...baseline.values, 'cache-bypass': { enabled: true } } } },
      deploymentStates: ['ROLLED_BACK', 'COMPLETE'],
    });
    const result = await f.run(event({ flag: 'kill-popular', rollout: 'immediate' }));
    expect(appconfig.commandCalls(StopDeploymentCommand)[0].args[0].input).toEqual({ ApplicationId: 'app1', EnvironmentId: 'env1', DeploymentNumber: 6 });
    expect(decode(f.created[0]).values['cache-bypass']).toEqual({ enabled: false });
    expect(decode(f.created[0]).values['kill-popular']).toEqual({ enabled: true });
    expect(result.stoppedDeployment).toBe(6);
  });

  test('staged: refused while another deployment is in progress (nothing written)', async () => {
    const f = fake({ deployments: [{ DeploymentNumber: 6, State: 'BAKING', ConfigurationVersion: '5', DeploymentDurationInMinutes: 40, FinalBakeTimeInMinutes: 10 }], versions: { 5: baseline } });
    await expect(f.run(event())).rejects.toThrow(
      'flag switch refused: deployment 6 (version 5) is BAKING in eu-west-1; wait for it to complete, or switch with "rollout":"immediate" (stops it first)');
    expect(f.created).toEqual([]);
  });

  test('an immediate switch in progress is waited for, not stopped', async () => {
    const f = fake({
      deployments: [{ DeploymentNumber: 7, State: 'DEPLOYING', ConfigurationVersion: '2', DeploymentDurationInMinutes: 0, FinalBakeTimeInMinutes: 0 }],
      versions: { 1: baseline, 2: baseline }, deploymentStates: ['COMPLETE'],
    });
    await expect(f.run(event({ rollout: 'staged' }))).rejects.toThrow(/deployment 7 \(version 2\) is DEPLOYING/);
    expect(appconfig.commandCalls(StopDeploymentCommand)).toHaveLength(0);
    expect(appconfig.commandCalls(GetDeploymentCommand)[0].args[0].input.DeploymentNumber).toBe(7);
  });

  test.each([
    [{ flag: 'no-such-flag' }, 'flag switch refused: no-such-flag is not a flag of the profile (declared: cache-bypass, read-only, shed-more, kill-popular)'],
    [{ flag: 'shed-more', attributes: { admitPercent: 0 } }, 'flag switch refused: shed-more.admitPercent (0) must be a number from 1 to 100'],
    [{ flag: 'read-only', attributes: { admitPercent: 10 } }, 'flag switch refused: read-only has no attribute admitPercent'],
    [{ environment: 'us-east-2' }, 'flag switch refused: environment us-east-2 is not an environment of application app1'],
    [{ reason: ' ' }, 'flag switch refused: reason must say why (at least 5 characters)'],
  ])('refuses %j', async (over, message) => {
    const f = fake({ deployments: [{ DeploymentNumber: 1, State: 'COMPLETE', ConfigurationVersion: '1' }], versions: { 1: baseline } });
    await expect(f.run(event(over as Partial<FlagSwitchEvent>))).rejects.toThrow(message);
    expect(f.created).toEqual([]);
  });

  test('an immediate deployment that does not complete fails the switch (the caller sees it)', async () => {
    const f = fake({ deployments: [{ DeploymentNumber: 1, State: 'COMPLETE', ConfigurationVersion: '1' }], versions: { 1: baseline }, deploymentStates: ['ROLLED_BACK'] });
    await expect(f.run(event({ rollout: 'immediate' }))).rejects.toThrow('flag switch: deployment 9 of version 2 ended ROLLED_BACK, not COMPLETE');
  });

  test('configuration comes from the environment, every variable required', () => {
    expect(configFromEnv({ APPLICATION_ID: 'a', CONFIGURATION_PROFILE_ID: 'p', STAGED_STRATEGY_ID: 's', IMMEDIATE_STRATEGY_ID: 'i' }))
      .toEqual({ applicationId: 'a', configurationProfileId: 'p', stagedStrategyId: 's', immediateStrategyId: 'i' });
    expect(() => configFromEnv({ APPLICATION_ID: 'a' })).toThrow('environment variable CONFIGURATION_PROFILE_ID is not set');
  });
});
