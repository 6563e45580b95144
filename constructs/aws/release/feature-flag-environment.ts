import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as appconfig from 'aws-cdk-lib/aws-appconfig';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { PlatformValidationError } from '../../core/errors';
import { requireIntegerInRange } from '../../core/validate';
import type { FeatureFlagEnvironmentProps } from './feature-flag-environment-props';

export type { FeatureFlagEnvironmentProps } from './feature-flag-environment-props';

/**
 * The AppConfig agent image, pinned (a moving tag such as `2.x` would change what runs on every deploy). The tag is one
 * published in the registry's `2.0` line; check the ECR Public gallery (aws-appconfig/aws-appconfig-agent) for newer.
 */
export const APPCONFIG_AGENT_IMAGE = 'public.ecr.aws/aws-appconfig/aws-appconfig-agent:2.0.13147';
/** The agent's HTTP port on the task's loopback. */
export const APPCONFIG_AGENT_PORT = 2772;
const CONTAINER_NAME = 'AppConfigAgent';

/** The agent's local URL of a feature-flag profile: what the service reads its flags from (`FLAGS_URL`). */
export function agentFlagsUrl(application: string, environment: string, profile: string): string {
  return `http://localhost:${APPCONFIG_AGENT_PORT}/applications/${application}/environments/${environment}/configurations/${profile}`;
}

/**
 * A service's feature flags where it runs: the region's AppConfig environment (monitored by the given alarms, so a
 * staged flag rollout rolls back by itself when the service pages), the baseline deployment (every flag off), and the
 * AppConfig agent as a sidecar of every task (`ResilientService.addSidecar`: its CPU and memory come out of the
 * application container's share, so `containerLimits` follows). The agent polls AppConfig with the task role and
 * serves the evaluated flags on `localhost:2772`; the application container gets `FLAGS_URL`.
 */
export class FeatureFlagEnvironment extends Construct {
  /** The AppConfig environment. */
  public readonly environment: appconfig.Environment;
  /** The environment's name (the agent's URL path). */
  public readonly environmentName: string;
  /** The agent container. */
  public readonly agent: ecs.ContainerDefinition;
  /** The URL the application reads its flags from (`FLAGS_URL`). */
  public readonly flagsUrl: string;
  /** The baseline deployment (every flag off) of the profile to the environment. */
  public readonly baselineDeployment: appconfig.CfnDeployment;

  constructor(scope: Construct, id: string, props: FeatureFlagEnvironmentProps) {
    super(scope, id);
    const where = this.node.path;
    const { flags, service } = props;
    const stack = Stack.of(this);
    const cpu = props.agentCpu ?? 64;
    const memoryLimitMiB = props.agentMemoryLimitMiB ?? 128;
    const pollSeconds = (props.agentPollInterval ?? Duration.seconds(15)).toSeconds({ integral: false });
    requireIntegerInRange(where, 'agentCpu', cpu, 0, 1024);
    requireIntegerInRange(where, 'agentMemoryLimitMiB', memoryLimitMiB, 32, 1024);
    requireIntegerInRange(where, 'agentPollInterval (seconds)', pollSeconds, 15, 600);
    if (props.monitors.length === 0) {
      throw new PlatformValidationError(where, 'monitors', [], 'is empty: a bad flag would never roll back by itself',
        'pass the service\'s page alarm (ServiceMonitoring.pageAlarm)');
    }
    if (service.taskDefinition.node.tryFindChild(CONTAINER_NAME)) {
      throw new PlatformValidationError(where, 'service', service.node.path, 'already runs an AppConfig agent', 'add one FeatureFlagEnvironment per service');
    }
    this.environmentName = props.environmentName ?? stack.region;

    // AppConfig reads the monitors' state with this role (DescribeAlarms has no resource-level permissions).
    const monitorRole = new iam.Role(this, 'MonitorRole', {
      assumedBy: new iam.ServicePrincipal('appconfig.amazonaws.com'),
      description: `${where}: AppConfig reads the state of the alarms that roll flag deployments back`,
      inlinePolicies: {
        ReadAlarms: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ actions: ['cloudwatch:DescribeAlarms'], resources: ['*'] })] }),
      },
    });
    Validations.of(monitorRole).acknowledge(
      { id: 'AwsSolutions-IAM5[Resource::*]', reason: 'cloudwatch:DescribeAlarms has no resource-level permissions; AppConfig only reads the state of the environment\'s monitors with it.' },
      { id: 'NIST.800.53.R5-IAMNoInlinePolicy', reason: 'One read-only statement AppConfig needs for this environment\'s monitors, owned by this role alone and deleted with it.' },
    );
    this.environment = new appconfig.Environment(this, 'Environment', {
      application: flags.application,
      environmentName: this.environmentName,
      description: `${flags.service} in ${stack.region}: a flag deployment rolls back when a monitor goes to ALARM`,
      monitors: props.monitors.map((alarm) => appconfig.Monitor.fromCloudWatchAlarm(alarm, monitorRole)),
    });
    this.baselineDeployment = new appconfig.CfnDeployment(this, 'Baseline', {
      applicationId: flags.application.applicationId,
      environmentId: this.environment.environmentId,
      configurationProfileId: flags.configurationProfileId,
      configurationVersion: flags.baselineVersionNumber,
      deploymentStrategyId: flags.immediateStrategy.deploymentStrategyId,
      description: 'Baseline: every flag off (a later switch deploys a version of its own)',
    });

    // ---- the agent sidecar: polls AppConfig with the task role, serves the flags on the task's loopback
    const path = `/applications/${flags.applicationName}/environments/${this.environmentName}/configurations/${flags.configurationProfileName}`;
    this.flagsUrl = agentFlagsUrl(flags.applicationName, this.environmentName, flags.configurationProfileName);
    this.agent = service.addSidecar(CONTAINER_NAME, {
      image: props.agentImage ?? ecs.ContainerImage.fromRegistry(APPCONFIG_AGENT_IMAGE),
      cpu,
      memoryLimitMiB,
      // Flags must never take the service down: without the agent the service keeps the values it last read (off
      // before the first read); ECS restarts the agent in place.
      essential: false,
      enableRestartPolicy: true,
      user: '1000:1000',
      readonlyRootFilesystem: true,
      environment: {
        SERVICE_REGION: stack.region,
        PREFETCH_LIST: path,
        POLL_INTERVAL: String(pollSeconds),
        HTTP_PORT: String(APPCONFIG_AGENT_PORT),
        LOG_LEVEL: 'info',
      },
      logging: ecs.LogDrivers.awsLogs({ logGroup: service.logGroup, streamPrefix: 'appconfig', mode: ecs.AwsLogDriverMode.NON_BLOCKING }),
    });
    this.agent.addMountPoints({ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false });
    service.container.addEnvironment('FLAGS_URL', this.flagsUrl);
    service.taskDefinition.taskRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['appconfig:StartConfigurationSession', 'appconfig:GetLatestConfiguration'],
      resources: [stack.formatArn({
        service: 'appconfig', resource: 'application',
        resourceName: `${flags.application.applicationId}/environment/${this.environment.environmentId}/configuration/${flags.configurationProfileId}`,
      })],
    }));
  }
}
