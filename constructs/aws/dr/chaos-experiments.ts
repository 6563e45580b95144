import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { PlatformValidationError } from '../../core/errors';
import { allowCloudWatchLogs, createDataKey, createEncryptedLogGroup } from '../private/encryption';
import { ChaosExperiment } from './chaos-experiment';
import type {
  AuroraFailoverOptions, AzNetworkDisruptionOptions, CacheAzPowerInterruptionOptions, ChaosExperimentsProps, NetworkLatencyOptions,
  TaskTerminationOptions,
} from './chaos-experiments-props';
import { auroraFailoverTemplate, cacheAzPowerInterruptionTemplate } from './private/chaos-data-templates';
import { networkLatencyTemplate, taskTerminationTemplate } from './private/chaos-ecs-templates';
import { azNetworkDisruptionTemplate } from './private/chaos-network-template';
import type { ChaosExperimentTemplate } from './private/chaos-template';
import { validateChaosExperimentsProps } from './private/validate-chaos-experiments-props';

export { ChaosExperiment } from './chaos-experiment';
export type { ChaosExperimentProps } from './chaos-experiment';
export { CHAOS_EXPERIMENTS, CHAOS_TARGET_TAG } from './chaos-experiments-props';
export type {
  AuroraFailoverOptions, AzNetworkDisruptionOptions, CacheAzPowerInterruptionOptions, ChaosExperimentsProps, NetworkLatencyOptions,
  TaskTerminationOptions,
} from './chaos-experiments-props';

/**
 * AWS FIS experiment templates for the chaos matrix: ECS task termination, network disruption of one AZ's
 * subnets, Aurora writer failover, cache primary failover (AZ power interruption of the cache) and network
 * latency on ECS tasks. Every template stops on the given critical alarms, runs as its own role allowed only
 * its action on its target, logs to one KMS-encrypted log group and links its runbook `runbooks/chaos/<id>.md`.
 *
 * Templates cost nothing until started: `aws fis start-experiment --experiment-template-id <id>` (see the runbooks).
 */
export class ChaosExperiments extends Construct {
  /** The KMS-encrypted, retained log group every experiment logs to. */
  public readonly logGroup: logs.LogGroup;
  /** Every experiment added so far. */
  public readonly experiments: ChaosExperiment[] = [];
  private readonly stopConditionAlarms: readonly cloudwatch.IAlarm[];

  constructor(scope: Construct, id: string, props: ChaosExperimentsProps) {
    super(scope, id);
    validateChaosExperimentsProps(this.node.path, props);
    this.stopConditionAlarms = [...props.stopConditionAlarms];
    const key = createDataKey(this, 'LogKey', `${this.node.path} FIS experiment logs`);
    allowCloudWatchLogs(key);
    this.logGroup = createEncryptedLogGroup(this, 'Logs', { key, retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR });
  }

  /** Stops a percentage of the service's running tasks (`aws:ecs:stop-task`): ECS must replace them, the ALB route around them. */
  public addTaskTermination(options: TaskTerminationOptions): ChaosExperiment {
    return this.add(taskTerminationTemplate(this, options));
  }

  /**
   * Cuts all traffic in and out of one AZ's public and private subnets (`aws:network:disrupt-connectivity`,
   * scope `all`): an AZ impairment of the service tier. The isolated (data) subnets are left alone: FIS cannot
   * fail the database or cache over by cutting their network, the Aurora and cache experiments test that.
   */
  public addAzNetworkDisruption(options: AzNetworkDisruptionOptions): ChaosExperiment {
    return this.add(azNetworkDisruptionTemplate(this, options));
  }

  /** Fails the Aurora cluster's writer over to a reader (`aws:rds:failover-db-cluster`). */
  public addAuroraFailover(options: AuroraFailoverOptions): ChaosExperiment {
    return this.add(auroraFailoverTemplate(this, options));
  }

  /**
   * Interrupts the power of the cache nodes in one AZ (`aws:elasticache:replicationgroup-interrupt-az-power`):
   * when the zone holds a primary, ElastiCache promotes a replica. Tags the replication group with
   * `platform:chaos-target` (FIS selects replication groups by tag only).
   */
  public addCacheAzPowerInterruption(options: CacheAzPowerInterruptionOptions): ChaosExperiment {
    return this.add(cacheAzPowerInterruptionTemplate(this, options));
  }

  /**
   * Adds latency to the network traffic of a percentage of the service's tasks (`aws:ecs:task-network-latency`,
   * through the ECS fault injection endpoints). Needs `enableFaultInjection: true` on the task definition and the
   * SSM agent sidecar of the FIS ECS task actions.
   */
  public addNetworkLatency(options: NetworkLatencyOptions): ChaosExperiment {
    return this.add(networkLatencyTemplate(this, options));
  }

  private add(template: ChaosExperimentTemplate): ChaosExperiment {
    const { constructId, props } = template;
    if (this.node.tryFindChild(constructId)) {
      throw new PlatformValidationError(this.node.path, 'experiment', props.id, 'is added twice',
        'add each experiment once per ChaosExperiments (use another ChaosExperiments for a second target)');
    }
    const experiment = new ChaosExperiment(this, constructId, { ...props, stopConditionAlarms: this.stopConditionAlarms, logGroup: this.logGroup });
    this.experiments.push(experiment);
    return experiment;
  }
}
