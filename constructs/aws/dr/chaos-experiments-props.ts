import type { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as rds from 'aws-cdk-lib/aws-rds';

/** The chaos experiments of the platform: id (runbook `runbooks/chaos/<id>.md`), title and the stack output of the template id. */
export const CHAOS_EXPERIMENTS = {
  taskTermination: { id: 'ecs-task-termination', title: 'ECS task termination', output: 'ChaosEcsTaskTerminationTemplateId' },
  azNetworkDisruption: { id: 'az-network-disruption', title: 'AZ network disruption', output: 'ChaosAzNetworkDisruptionTemplateId' },
  auroraFailover: { id: 'aurora-failover', title: 'Aurora writer failover', output: 'ChaosAuroraFailoverTemplateId' },
  cacheAzPowerInterruption: { id: 'cache-az-power-interruption', title: 'Cache primary failover (AZ power interruption)', output: 'ChaosCacheAzPowerInterruptionTemplateId' },
  networkLatency: { id: 'ecs-network-latency', title: 'ECS task network latency', output: 'ChaosEcsNetworkLatencyTemplateId' },
} as const;

/** Tag the cache experiment selects its replication group by (FIS resolves replication groups by tag only). */
export const CHAOS_TARGET_TAG = 'platform:chaos-target';

/** Props of {@link ChaosExperiments}. */
export interface ChaosExperimentsProps {
  /**
   * The alarms whose ALARM state stops every experiment (FIS stop conditions), e.g. the region's critical
   * composite alarm `ServiceMonitoring.pageAlarm`. At least one, at most five.
   */
  readonly stopConditionAlarms: readonly cloudwatch.IAlarm[];
  /**
   * Retention of the experiment log group (FIS logs every action, target and state change there).
   * @default logs.RetentionDays.ONE_YEAR - experiment logs are evidence for the game-day report
   */
  readonly logRetention?: logs.RetentionDays;
}

/** Options of {@link ChaosExperiments.addTaskTermination}. */
export interface TaskTerminationOptions {
  /** The ECS service whose tasks are stopped. */
  readonly service: ecs.IBaseService;
  /**
   * Percentage of the service's running tasks FIS stops at once, 1 to 100 (above 50 warns).
   * @default 30 - one task of three
   */
  readonly percent?: number;
}

/** Options of {@link ChaosExperiments.addAzNetworkDisruption}. */
export interface AzNetworkDisruptionOptions {
  /** The VPC whose public and private (with egress) subnets of one AZ lose all network traffic. */
  readonly vpc: ec2.IVpc;
  /**
   * The zone whose subnets are disrupted; one of the VPC's zones.
   * @default - the VPC's first availability zone
   */
  readonly availabilityZone?: string;
  /**
   * How long the subnets stay disconnected, 1 minute to 12 hours.
   * @default Duration.minutes(10)
   */
  readonly duration?: Duration;
}

/** Options of {@link ChaosExperiments.addAuroraFailover}. */
export interface AuroraFailoverOptions {
  /** The Aurora cluster whose writer fails over to a reader (a regional writer cluster, not a global secondary). */
  readonly cluster: rds.IDatabaseCluster;
}

/** Options of {@link ChaosExperiments.addCacheAzPowerInterruption}. */
export interface CacheAzPowerInterruptionOptions {
  /** The replication group; Multi-AZ with automatic failover (a replica is promoted when its primary loses power). */
  readonly replicationGroup: elasticache.CfnReplicationGroup;
  /**
   * The zone whose cache nodes lose power. Use the zone of the primary to fail it over (`DistributedCache`
   * places the first shard's primary in the subnets' first zone at creation).
   */
  readonly availabilityZone: string;
  /**
   * How long the zone's nodes stay down (replacements in the zone are blocked meanwhile), 1 minute to 12 hours.
   * @default Duration.minutes(10)
   */
  readonly duration?: Duration;
}

/** Options of {@link ChaosExperiments.addNetworkLatency}. */
export interface NetworkLatencyOptions {
  /**
   * The ECS service whose tasks get the latency. Its task definition must enable fault injection
   * (`enableFaultInjection: true`) and run the SSM agent sidecar FIS's ECS task actions need.
   */
  readonly service: ecs.BaseService;
  /**
   * Latency added to the tasks' network traffic, 1 ms to 10 s.
   * @default Duration.millis(200)
   */
  readonly delay?: Duration;
  /**
   * Random variation of the latency, at most `delay`.
   * @default Duration.millis(20)
   */
  readonly jitter?: Duration;
  /**
   * Percentage of the service's tasks that get the latency, 1 to 100.
   * @default 50
   */
  readonly percent?: number;
  /**
   * How long the latency lasts, 1 minute to 12 hours.
   * @default Duration.minutes(10)
   */
  readonly duration?: Duration;
}
