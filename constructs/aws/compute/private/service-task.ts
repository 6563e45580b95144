import { Duration, Lazy, Size } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { IDistributedCache } from '../../cache/distributed-cache';
import { allowCloudWatchLogs, createDataKey, createEncryptedLogGroup } from '../../private/encryption';
import type { ResilientServiceProps } from '../resilient-service-props';
import type { CacheTierSettings, ResilientServiceSettings } from './validate-resilient-service-props';

/** Construct ID (and ECS container name) of the application container. */
export const APP_CONTAINER_NAME = 'App';

/** CPU units and MiB of (part of) a Fargate task. */
export interface TaskShare {
  readonly cpu: number;
  readonly memoryMiB: number;
}

/** What {@link buildServiceTask} builds. */
export interface ServiceTask {
  readonly logGroup: logs.LogGroup;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly container: ecs.ContainerDefinition;
}

/**
 * The task of a `ResilientService`, built in `scope` (construct IDs `LogKey`, `Logs`, `TaskDefinition`, container
 * `App`): the encrypted log group, the Fargate task definition and the application container, non-root on a
 * read-only root file system with a writable `/tmp`, its liveness health check and the cache tier settings. The
 * container's CPU and memory are rendered at synth from `appShare` (the task's, less what sidecars reserve).
 */
export function buildServiceTask(scope: Construct, props: ResilientServiceProps, settings: ResilientServiceSettings,
  appShare: () => TaskShare): ServiceTask {
  const logKey = createDataKey(scope, 'LogKey', `${scope.node.path} container logs`);
  allowCloudWatchLogs(logKey);
  const logGroup = createEncryptedLogGroup(scope, 'Logs', { key: logKey, retention: settings.logRetention });

  const taskDefinition = new ecs.FargateTaskDefinition(scope, 'TaskDefinition', {
    cpu: settings.cpu,
    memoryLimitMiB: settings.memoryLimitMiB,
    runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.LINUX, cpuArchitecture: ecs.CpuArchitecture.X86_64 },
    enableFaultInjection: props.faultInjection,
  });
  const cache = cacheTierVariables(props.distributedCache, settings.cache);
  const container = taskDefinition.addContainer(APP_CONTAINER_NAME, {
    image: props.image,
    // Tokens: the L2's own sum check cannot evaluate them; `ResilientService.addSidecar` checks what is left instead.
    cpu: Lazy.number({ produce: () => appShare().cpu }),
    memoryLimitMiB: Lazy.number({ produce: () => appShare().memoryMiB }),
    essential: true,
    user: settings.user,
    readonlyRootFilesystem: true,
    environment: { ...props.environment, ...cache.environment },
    secrets: { ...props.secrets, ...cache.secrets },
    portMappings: [{ containerPort: settings.containerPort, protocol: ecs.Protocol.TCP, name: 'http' }],
    stopTimeout: settings.stopTimeout,
    healthCheck: {
      command: settings.livenessProbe.command(settings.containerPort, settings.livenessPath),
      interval: Duration.seconds(10),
      timeout: Duration.seconds(2),
      retries: 3,
      startPeriod: Duration.seconds(60),
    },
    logging: ecs.LogDrivers.awsLogs({
      logGroup,
      streamPrefix: 'app',
      mode: ecs.AwsLogDriverMode.NON_BLOCKING,
      maxBufferSize: Size.mebibytes(25),
    }),
  });
  // A read-only root file system still needs somewhere to write temporary files.
  taskDefinition.addVolume({ name: 'tmp' });
  container.addMountPoints({ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false });
  return { logGroup, taskDefinition, container };
}

/**
 * The container environment and secrets of the in-process (L1) cache and, when given, the distributed (L2) cache
 * (README "Tiered caching"; the reference service reads each of them).
 */
function cacheTierVariables(cache: IDistributedCache | undefined,
  settings: CacheTierSettings): { environment: Record<string, string>; secrets: Record<string, ecs.Secret> } {
  const environment: Record<string, string> = settings.inProcessCache
    ? { CACHE_L1_TTL_SECONDS: String(settings.l1Seconds), CACHE_L1_MAX_ITEMS: String(settings.l1MaxItems) }
    : {};
  if (!cache || settings.l2Seconds === undefined) return { environment, secrets: {} };
  return {
    environment: {
      ...environment,
      CACHE_L2_ENDPOINT: cache.endpoint,
      CACHE_L2_PORT: String(cache.port),
      CACHE_L2_TLS: 'true',
      CACHE_L2_CLUSTER_MODE: String(cache.clusterMode),
      CACHE_L2_TTL_SECONDS: String(settings.l2Seconds),
    },
    secrets: {
      CACHE_L2_USERNAME: ecs.Secret.fromSecretsManager(cache.secret, 'username'),
      CACHE_L2_PASSWORD: ecs.Secret.fromSecretsManager(cache.secret, 'password'),
    },
  };
}
