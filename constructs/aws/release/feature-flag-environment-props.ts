import type { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type { IResilientService } from '../compute/resilient-service-ref';
import type { IFeatureFlags } from './feature-flags-props';

/** Props of {@link FeatureFlagEnvironment}. */
export interface FeatureFlagEnvironmentProps {
  /** The service's feature flags in this region (a `FeatureFlags`, in this stack or the region's base stack). */
  readonly flags: IFeatureFlags;
  /** The service whose tasks get the AppConfig agent sidecar and read the flags from it. */
  readonly service: IResilientService;
  /**
   * Alarms AppConfig watches during a flag deployment and its bake (environment monitors): one in ALARM rolls the
   * deployment back. Give the service's page alarm.
   */
  readonly monitors: readonly cloudwatch.IAlarm[];
  /**
   * Name of the AppConfig environment (the agent's URL path).
   * @default - the stack's region
   */
  readonly environmentName?: string;
  /**
   * CPU units the agent reserves, taken from the application container's share of the task.
   * @default 64
   */
  readonly agentCpu?: number;
  /**
   * Memory (MiB) the agent reserves (its hard limit), taken from the application container's share of the task.
   * @default 128
   */
  readonly agentMemoryLimitMiB?: number;
  /**
   * How often the agent polls AppConfig for a new version, 15 seconds to 10 minutes. With the service polling the
   * agent every 5 seconds, a switched flag reaches every task within this plus 5 seconds.
   * @default Duration.seconds(15)
   */
  readonly agentPollInterval?: Duration;
  /**
   * The agent image.
   * @default APPCONFIG_AGENT_IMAGE
   */
  readonly agentImage?: ecs.ContainerImage;
}
