/**
 * The feature-flag switch (bundled by esbuild, AWS SDK v3 from the Lambda runtime): turns one flag of a service's
 * AppConfig feature-flag profile on or off in one environment (a region). It reads the version the environment last
 * deployed completely, writes a new hosted version with the flag changed (every other flag as deployed), and deploys it
 * with the staged strategy (a release: 1 % of the agents, doubling per step, rolled back by the page alarm) or the
 * immediate one (an emergency switch or a flag's rollback: every agent at once). The automatic remediations, the
 * runbooks and operators call it:
 *
 *   aws lambda invoke --function-name checkout-feature-flags --cli-binary-format raw-in-base64-out \
 *     --payload '{"environment":"eu-west-1","flag":"read-only","enabled":true,"rollout":"immediate","reason":"INC-42: writes fail"}' out.json
 *
 * An immediate switch stops a staged rollout in progress first (AppConfig rolls it back), so an emergency never waits
 * for a release; a staged switch refuses to start while another deployment runs.
 */
import {
  AppConfigClient, CreateHostedConfigurationVersionCommand, GetDeploymentCommand, GetHostedConfigurationVersionCommand, ListDeploymentsCommand,
  ListEnvironmentsCommand, ListHostedConfigurationVersionsCommand, StartDeploymentCommand, StopDeploymentCommand,
} from '@aws-sdk/client-appconfig';
import type { DeploymentSummary } from '@aws-sdk/client-appconfig';

/** What to switch. */
export interface FlagSwitchEvent {
  /** The AppConfig environment (the region's name, e.g. `eu-west-1`). */
  readonly environment: string;
  readonly flag: string;
  readonly enabled: boolean;
  /** Number attributes to set with it (e.g. `{ "admitPercent": 25 }`), within the flag's constraints. */
  readonly attributes?: Readonly<Record<string, number>>;
  /** `staged` (default): the staged strategy; `immediate`: every agent at once. */
  readonly rollout?: 'staged' | 'immediate';
  /** Why (the hosted version's description and the deployment's): an incident, a ticket, a release. */
  readonly reason: string;
  /** Version label (at most 64 characters), e.g. the automation execution that switched it. */
  readonly label?: string;
}

/** What the switch did. */
export interface FlagSwitchResult {
  readonly environmentId: string;
  readonly flag: string;
  readonly enabled: boolean;
  readonly configurationVersion: string;
  readonly deploymentNumber: number;
  /** The deployment's state when the function returned (an immediate one is waited for: COMPLETE). */
  readonly state: string;
  /** The staged deployment an immediate switch stopped (rolled back) first. */
  readonly stoppedDeployment?: number;
}

/** Configuration (environment variables in Lambda). */
export interface FlagSwitchConfig {
  readonly applicationId: string;
  readonly configurationProfileId: string;
  readonly stagedStrategyId: string;
  readonly immediateStrategyId: string;
}

/** Dependencies of {@link createHandler}. */
export interface FlagSwitchDependencies {
  readonly config: FlagSwitchConfig;
  readonly appconfig: AppConfigClient;
  /** Waits between polls of a deployment's state. */
  readonly sleep: (ms: number) => Promise<void>;
  readonly log: (line: string) => void;
}

/** A hosted feature-flag document (the fields switched). */
interface FlagsDocument {
  flags: Record<string, { attributes?: Record<string, { constraints?: { type?: string; minimum?: number; maximum?: number } }> }>;
  values: Record<string, Record<string, unknown>>;
}

const ACTIVE = new Set(['BAKING', 'VALIDATING', 'DEPLOYING', 'ROLLING_BACK']);
/** Polls of a deployment's state (every second): an immediate deployment completes in seconds. */
const MAX_POLLS = 60;

function requireEvent(event: FlagSwitchEvent): void {
  const problems: string[] = [];
  if (typeof event.environment !== 'string' || event.environment === '') problems.push('environment (the AppConfig environment, e.g. the region) is missing');
  if (typeof event.flag !== 'string' || event.flag === '') problems.push('flag is missing');
  if (typeof event.enabled !== 'boolean') problems.push('enabled must be true or false');
  if (typeof event.reason !== 'string' || event.reason.trim().length < 5) problems.push('reason must say why (at least 5 characters)');
  if (event.rollout !== undefined && event.rollout !== 'staged' && event.rollout !== 'immediate') problems.push('rollout must be "staged" or "immediate"');
  if (event.label !== undefined && (typeof event.label !== 'string' || event.label.length > 64)) problems.push('label must be at most 64 characters');
  if (problems.length > 0) throw new Error(`flag switch refused: ${problems.join('; ')}`);
}

/** The handler, with its dependencies. */
export function createHandler(deps: FlagSwitchDependencies): (event: FlagSwitchEvent) => Promise<FlagSwitchResult> {
  const { config, appconfig } = deps;
  const app = config.applicationId;

  const environmentId = async (name: string): Promise<string> => {
    let next: string | undefined;
    do {
      const page = await appconfig.send(new ListEnvironmentsCommand({ ApplicationId: app, NextToken: next }));
      const found = page.Items?.find((e) => e.Name === name || e.Id === name);
      if (found?.Id) return found.Id;
      next = page.NextToken;
    } while (next);
    throw new Error(`flag switch refused: environment ${name} is not an environment of application ${app}`);
  };

  const deploymentsOf = async (env: string): Promise<DeploymentSummary[]> =>
    (await appconfig.send(new ListDeploymentsCommand({ ApplicationId: app, EnvironmentId: env, MaxResults: 50 }))).Items ?? [];

  const waitFor = async (env: string, deploymentNumber: number, states: readonly string[]): Promise<string> => {
    for (let i = 0; ; i++) {
      const d = await appconfig.send(new GetDeploymentCommand({ ApplicationId: app, EnvironmentId: env, DeploymentNumber: deploymentNumber }));
      const state = d.State ?? 'UNKNOWN';
      if (states.includes(state) || !ACTIVE.has(state) || i + 1 >= MAX_POLLS) return state;
      await deps.sleep(1000);
    }
  };

  /** The profile's newest hosted version (the locking token of the next one), if any. */
  const newestVersion = async (): Promise<number | undefined> => (await appconfig.send(new ListHostedConfigurationVersionsCommand({
    ApplicationId: app, ConfigurationProfileId: config.configurationProfileId, MaxResults: 1,
  }))).Items?.[0]?.VersionNumber;

  /** The version the environment last deployed completely (the profile's newest hosted version if none did). */
  const deployedVersion = (deployments: DeploymentSummary[], newest: number | undefined): number => {
    const complete = deployments
      .filter((d) => d.State === 'COMPLETE' && d.ConfigurationVersion !== undefined)
      .sort((a, b) => (b.DeploymentNumber ?? 0) - (a.DeploymentNumber ?? 0))[0];
    if (complete?.ConfigurationVersion) return Number(complete.ConfigurationVersion);
    if (newest === undefined) throw new Error(`flag switch refused: profile ${config.configurationProfileId} has no hosted version to start from`);
    return newest;
  };

  /** Waits out an immediate deployment in progress; stops (rolls back) a staged one for an immediate switch. */
  const clearTheWay = async (env: string, rollout: 'staged' | 'immediate', environment: string): Promise<{ deployments: DeploymentSummary[]; stopped?: number }> => {
    let deployments = await deploymentsOf(env);
    let running = deployments.find((d) => ACTIVE.has(d.State ?? ''));
    if (running?.DeploymentNumber !== undefined && running.DeploymentDurationInMinutes === 0 && running.FinalBakeTimeInMinutes === 0) {
      await waitFor(env, running.DeploymentNumber, ['COMPLETE']);
      deployments = await deploymentsOf(env);
      running = deployments.find((d) => ACTIVE.has(d.State ?? ''));
    }
    if (running?.DeploymentNumber === undefined) return { deployments };
    if (rollout === 'staged') {
      throw new Error(`flag switch refused: deployment ${running.DeploymentNumber} (version ${running.ConfigurationVersion}) is ${running.State} in ${environment}; `
        + 'wait for it to complete, or switch with "rollout":"immediate" (stops it first)');
    }
    await appconfig.send(new StopDeploymentCommand({ ApplicationId: app, EnvironmentId: env, DeploymentNumber: running.DeploymentNumber }));
    const state = await waitFor(env, running.DeploymentNumber, ['ROLLED_BACK', 'REVERTED']);
    deps.log(JSON.stringify({ msg: 'stopped a staged deployment in progress', deployment: running.DeploymentNumber, state }));
    return { deployments: await deploymentsOf(env), stopped: running.DeploymentNumber };
  };

  return async (event) => {
    requireEvent(event);
    const rollout = event.rollout ?? 'staged';
    const env = await environmentId(event.environment);
    const { deployments, stopped: stoppedDeployment } = await clearTheWay(env, rollout, event.environment);
    const newest = await newestVersion();
    const base = deployedVersion(deployments, newest);
    const hosted = await appconfig.send(new GetHostedConfigurationVersionCommand({
      ApplicationId: app, ConfigurationProfileId: config.configurationProfileId, VersionNumber: base,
    }));
    const document = JSON.parse(new TextDecoder().decode(hosted.Content)) as FlagsDocument;
    const declared = document.flags?.[event.flag];
    if (!declared) {
      throw new Error(`flag switch refused: ${event.flag} is not a flag of the profile (declared: ${Object.keys(document.flags ?? {}).join(', ')})`);
    }
    for (const [name, value] of Object.entries(event.attributes ?? {})) {
      const c = declared.attributes?.[name]?.constraints;
      if (!c) throw new Error(`flag switch refused: ${event.flag} has no attribute ${name}`);
      if (typeof value !== 'number' || (c.minimum !== undefined && value < c.minimum) || (c.maximum !== undefined && value > c.maximum)) {
        throw new Error(`flag switch refused: ${event.flag}.${name} (${String(value)}) must be a number from ${c.minimum} to ${c.maximum}`);
      }
    }
    document.values = { ...document.values, [event.flag]: { ...document.values?.[event.flag], ...event.attributes, enabled: event.enabled } };

    const reason = event.reason.trim().slice(0, 1024);
    const created = await appconfig.send(new CreateHostedConfigurationVersionCommand({
      ApplicationId: app,
      ConfigurationProfileId: config.configurationProfileId,
      Content: new TextEncoder().encode(JSON.stringify(document)),
      ContentType: 'application/json',
      Description: reason,
      // Optimistic lock: a version written by someone else since the read fails this one instead of being overwritten.
      LatestVersionNumber: newest,
      VersionLabel: event.label ?? `${event.flag}-${event.enabled ? 'on' : 'off'}`.slice(0, 64),
    }));
    const configurationVersion = String(created.VersionNumber);
    const started = await appconfig.send(new StartDeploymentCommand({
      ApplicationId: app,
      EnvironmentId: env,
      ConfigurationProfileId: config.configurationProfileId,
      ConfigurationVersion: configurationVersion,
      DeploymentStrategyId: rollout === 'immediate' ? config.immediateStrategyId : config.stagedStrategyId,
      Description: reason,
    }));
    const deploymentNumber = started.DeploymentNumber ?? 0;
    const state = rollout === 'immediate' ? await waitFor(env, deploymentNumber, ['COMPLETE']) : started.State ?? 'DEPLOYING';
    const result: FlagSwitchResult = {
      environmentId: env, flag: event.flag, enabled: event.enabled, configurationVersion, deploymentNumber, state,
      ...(stoppedDeployment !== undefined ? { stoppedDeployment } : {}),
    };
    deps.log(JSON.stringify({ msg: 'flag switched', rollout, reason, ...result }));
    if (rollout === 'immediate' && state !== 'COMPLETE') {
      throw new Error(`flag switch: deployment ${deploymentNumber} of version ${configurationVersion} ended ${state}, not COMPLETE`);
    }
    return result;
  };
}

/** The configuration from the environment. */
export function configFromEnv(env: NodeJS.ProcessEnv): FlagSwitchConfig {
  const need = (name: string): string => {
    const v = env[name];
    if (!v) throw new Error(`environment variable ${name} is not set`);
    return v;
  };
  return {
    applicationId: need('APPLICATION_ID'),
    configurationProfileId: need('CONFIGURATION_PROFILE_ID'),
    stagedStrategyId: need('STAGED_STRATEGY_ID'),
    immediateStrategyId: need('IMMEDIATE_STRATEGY_ID'),
  };
}

let lambdaHandler: ((event: FlagSwitchEvent) => Promise<FlagSwitchResult>) | undefined;

/** Lambda entry point. */
export async function handler(event: FlagSwitchEvent): Promise<FlagSwitchResult> {
  lambdaHandler ??= createHandler({
    config: configFromEnv(process.env),
    appconfig: new AppConfigClient({}),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    log: (line) => console.log(line),
  });
  return lambdaHandler(event);
}
