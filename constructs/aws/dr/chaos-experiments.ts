import { Annotations, ArnFormat, CfnOutput, Duration, Names, Stack, Tags, Token, Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as fis from 'aws-cdk-lib/aws-fis';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { PlatformValidationError } from '../../core/errors';
import { runbookUrl } from '../../core/runbooks';
import { requireIntegerInRange } from '../../core/validate';
import { runbookBaseUrlOf } from '../private/context';
import { allowCloudWatchLogs, createDataKey, createEncryptedLogGroup } from '../private/encryption';
import { acknowledgeWildcards } from '../private/nag';

/** The chaos experiments of the platform: id (runbook `runbooks/chaos/<id>.md`), title and the stack output of the template id. */
export const CHAOS_EXPERIMENTS = {
  taskTermination: { id: 'ecs-task-termination', title: 'ECS task termination', output: 'ChaosEcsTaskTerminationTemplateId' },
  azNetworkDisruption: { id: 'az-network-disruption', title: 'AZ network disruption', output: 'ChaosAzNetworkDisruptionTemplateId' },
  auroraFailover: { id: 'aurora-failover', title: 'Aurora writer failover', output: 'ChaosAuroraFailoverTemplateId' },
  cacheAzPowerInterruption: { id: 'cache-az-power-interruption', title: 'Cache primary failover (AZ power interruption)', output: 'ChaosCacheAzPowerInterruptionTemplateId' },
  networkLatency: { id: 'ecs-network-latency', title: 'ECS task network latency', output: 'ChaosEcsNetworkLatencyTemplateId' },
} as const;

/** Stop conditions FIS accepts per experiment template. */
const MAX_STOP_CONDITIONS = 5;
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

/** Props of {@link ChaosExperiment}. */
export interface ChaosExperimentProps {
  /** Identifier and runbook name (`runbooks/chaos/<id>.md`). */
  readonly id: string;
  /** What the experiment does, one line (the template description). */
  readonly description: string;
  /** Stop condition alarms; at least one. */
  readonly stopConditionAlarms: readonly cloudwatch.IAlarm[];
  /** The FIS action id, e.g. `aws:ecs:stop-task`. */
  readonly actionId: string;
  /**
   * Parameters of the action.
   * @default - none
   */
  readonly actionParameters?: Record<string, string>;
  /** The target key the action names (`Tasks`, `Subnets`, `Clusters`, `ReplicationGroups`). */
  readonly targetKey: string;
  /** The target. */
  readonly target: fis.CfnExperimentTemplate.ExperimentTemplateTargetProperty;
  /** What the experiment role may do: the action's permissions, scoped to the target. */
  readonly statements: readonly iam.PolicyStatement[];
  /** The log group FIS writes the experiment log to. */
  readonly logGroup: logs.ILogGroup;
  /** Stack output (logical ID) carrying the template id, which the runbook's `start-experiment` command reads. */
  readonly outputName: string;
}

/**
 * One AWS FIS experiment template with its own least-privilege role, stop conditions on critical alarms and
 * logging to an encrypted log group. Built by {@link ChaosExperiments}; use the facade's `addXxx()` methods.
 */
export class ChaosExperiment extends Construct {
  /** The experiment template. */
  public readonly template: fis.CfnExperimentTemplate;
  /** The role FIS assumes to run the experiment, allowed only the action's calls on the target. */
  public readonly role: iam.Role;
  /** The experiment id, also the runbook name `runbooks/chaos/<id>.md`. */
  public readonly experimentId: string;
  /** The runbook path (`chaos/<id>`). */
  public readonly runbook: string;
  /** The template id (`aws fis start-experiment --experiment-template-id`). */
  public readonly experimentTemplateId: string;
  /** The stack output with the template id. */
  public readonly templateIdOutput: CfnOutput;

  constructor(scope: Construct, id: string, props: ChaosExperimentProps) {
    super(scope, id);
    const where = this.node.path;
    requireStopConditions(where, props.stopConditionAlarms);
    const stack = Stack.of(this);
    this.experimentId = props.id;
    this.runbook = `chaos/${props.id}`;

    this.role = new iam.Role(this, 'Role', {
      description: `FIS experiment ${props.id}: ${props.actionId} on its target only`,
      assumedBy: new iam.ServicePrincipal('fis.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'fis', resource: 'experiment', resourceName: '*' }) },
        },
      }),
    });
    for (const statement of props.statements) this.role.addToPolicy(statement);
    // FIS delivers the experiment log through CloudWatch Logs vended delivery, on the experiment role's behalf.
    this.role.addToPolicy(new iam.PolicyStatement({
      sid: 'ExperimentLogDelivery',
      actions: ['logs:CreateLogDelivery', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups'],
      resources: ['*'],
    }));
    const policy = this.role.node.findChild('DefaultPolicy');
    Validations.of(policy).acknowledge(
      {
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason: 'The experiment role\'s policy is generated for this one role and scoped to this experiment\'s target; a managed policy would only widen who could attach it.',
      },
    );
    acknowledgeWildcards(policy, allResources(props.statements),
      'Wildcards only where the resource exists at run time or the call has no resource-level permissions: the tasks of the service\'s '
      + 'cluster (task/<cluster>/*: task ids change with every deployment), the network ACL FIS creates during the experiment (network-acl/*, '
      + 'every change conditioned on its managedByFIS tag), the SSM managed instances the ECS tasks register as (managed-instance/*), and '
      + 'CloudWatch Logs vended delivery, describe/list calls, SSM ListCommands/CancelCommand and tag:GetResources (*). Every mutating call '
      + 'is scoped to the target\'s ARN, its cluster or FIS-tagged resources.');

    const url = runbookUrl(runbookBaseUrlOf(this), this.runbook);
    this.template = new fis.CfnExperimentTemplate(this, 'Resource', {
      description: `${props.description.slice(0, Math.max(0, 512 - url.length - 10))} Runbook: ${url}`,
      roleArn: this.role.roleArn,
      stopConditions: props.stopConditionAlarms.map((alarm) => ({ source: 'aws:cloudwatch:alarm', value: alarm.alarmArn })),
      targets: { [props.targetKey]: props.target },
      actions: {
        [pascal(props.id)]: {
          actionId: props.actionId,
          description: props.description.slice(0, 512),
          targets: { [props.targetKey]: props.targetKey },
          ...(props.actionParameters ? { parameters: props.actionParameters } : {}),
        },
      },
      logConfiguration: { logSchemaVersion: 2, cloudWatchLogsConfiguration: { LogGroupArn: props.logGroup.logGroupArn } },
      experimentOptions: { accountTargeting: 'single-account', emptyTargetResolutionMode: 'fail' },
      tags: { 'Name': props.id, 'platform:chaos-experiment': props.id, 'platform:runbook': url },
    });
    this.experimentTemplateId = this.template.ref;
    this.templateIdOutput = new CfnOutput(this, 'TemplateId', {
      value: this.template.ref,
      description: `FIS experiment template ${props.id} (aws fis start-experiment --experiment-template-id <value>)`,
    });
    this.templateIdOutput.overrideLogicalId(props.outputName);
  }
}

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
    requireStopConditions(this.node.path, props.stopConditionAlarms);
    this.stopConditionAlarms = [...props.stopConditionAlarms];
    const key = createDataKey(this, 'LogKey', `${this.node.path} FIS experiment logs`);
    allowCloudWatchLogs(key);
    this.logGroup = createEncryptedLogGroup(this, 'Logs', { key, retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR });
  }

  /** Stops a percentage of the service's running tasks (`aws:ecs:stop-task`): ECS must replace them, the ALB route around them. */
  public addTaskTermination(options: TaskTerminationOptions): ChaosExperiment {
    const where = `${this.node.path}/TaskTermination`;
    const percent = options.percent ?? 30;
    requireIntegerInRange(where, 'percent', percent, 1, 100);
    if (percent > 50) {
      Annotations.of(this).addWarningV2('platform:chaos-task-termination-percent',
        `${where}: percent (${percent}) stops more than half of the tasks at once: the remaining ones must carry the whole load while ECS replaces them.`);
    }
    const meta = CHAOS_EXPERIMENTS.taskTermination;
    return this.add('TaskTermination', {
      id: meta.id, outputName: meta.output,
      description: `Stop ${percent}% of the running tasks of the ECS service; ECS replaces them and the load balancer routes around them.`,
      actionId: 'aws:ecs:stop-task',
      targetKey: 'Tasks',
      target: ecsTaskTarget(options.service, percent),
      statements: ecsTaskStatements(this, options.service, ['ecs:StopTask']),
    });
  }

  /**
   * Cuts all traffic in and out of one AZ's public and private subnets (`aws:network:disrupt-connectivity`,
   * scope `all`): an AZ impairment of the service tier. The isolated (data) subnets are left alone: FIS cannot
   * fail the database or cache over by cutting their network, the Aurora and cache experiments test that.
   */
  public addAzNetworkDisruption(options: AzNetworkDisruptionOptions): ChaosExperiment {
    const where = `${this.node.path}/AzNetworkDisruption`;
    const zones = options.vpc.availabilityZones;
    const zone = options.availabilityZone ?? zones[0];
    if (Token.isUnresolved(zone) || !zones.includes(zone)) {
      throw new PlatformValidationError(where, 'availabilityZone', zone, 'is not a zone of the VPC',
        `use one of ${zones.join(', ')} (zones must be known at synth: set them in config)`);
    }
    const duration = requireFisDuration(where, 'duration', options.duration ?? Duration.minutes(10));
    const subnets = [
      ...options.vpc.selectSubnets({ subnetType: ec2.SubnetType.PUBLIC, availabilityZones: [zone] }).subnets,
      ...options.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, availabilityZones: [zone] }).subnets,
    ];
    if (subnets.length === 0) {
      throw new PlatformValidationError(where, 'vpc', options.vpc.node.path, `has no public or private subnet in ${zone}`,
        'give a VPC with public and private (with egress) subnets in the zone, such as MultiAzNetwork.vpc');
    }
    const stack = Stack.of(this);
    const ec2Arn = (resource: string, name: string): string => stack.formatArn({ service: 'ec2', resource, resourceName: name });
    const subnetArns = subnets.map((s) => ec2Arn('subnet', s.subnetId));
    const fisAcls = ec2Arn('network-acl', '*');
    const meta = CHAOS_EXPERIMENTS.azNetworkDisruption;
    return this.add('AzNetworkDisruption', {
      id: meta.id, outputName: meta.output,
      description: `Deny all traffic in and out of the public and private subnets of ${zone} for ${duration}, as an AZ impairment would.`,
      actionId: 'aws:network:disrupt-connectivity',
      actionParameters: { duration, scope: 'all' },
      targetKey: 'Subnets',
      target: { resourceType: 'aws:ec2:subnet', resourceArns: subnetArns, selectionMode: 'ALL' },
      statements: [
        new iam.PolicyStatement({
          sid: 'CreateFisNetworkAcl', actions: ['ec2:CreateNetworkAcl'], resources: [fisAcls],
          conditions: { StringEquals: { 'aws:RequestTag/managedByFIS': 'true' } },
        }),
        new iam.PolicyStatement({ sid: 'CreateFisNetworkAclInVpc', actions: ['ec2:CreateNetworkAcl'], resources: [ec2Arn('vpc', options.vpc.vpcId)] }),
        new iam.PolicyStatement({
          sid: 'TagFisNetworkAcl', actions: ['ec2:CreateTags'], resources: [fisAcls],
          conditions: { StringEquals: { 'ec2:CreateAction': 'CreateNetworkAcl' } },
        }),
        new iam.PolicyStatement({
          sid: 'ChangeFisNetworkAcl', actions: ['ec2:CreateNetworkAclEntry', 'ec2:DeleteNetworkAcl'], resources: [fisAcls],
          conditions: { StringEquals: { 'ec2:ResourceTag/managedByFIS': 'true' } },
        }),
        new iam.PolicyStatement({
          sid: 'SwapSubnetNetworkAcl', actions: ['ec2:ReplaceNetworkAclAssociation'], resources: [...subnetArns, fisAcls],
        }),
        new iam.PolicyStatement({
          sid: 'DescribeNetwork',
          actions: ['ec2:DescribeNetworkAcls', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs', 'ec2:DescribeManagedPrefixLists', 'ec2:GetManagedPrefixListEntries'],
          resources: ['*'],
        }),
      ],
    });
  }

  /** Fails the Aurora cluster's writer over to a reader (`aws:rds:failover-db-cluster`). */
  public addAuroraFailover(options: AuroraFailoverOptions): ChaosExperiment {
    const clusterArn = Stack.of(this).formatArn({
      service: 'rds', resource: 'cluster', resourceName: options.cluster.clusterIdentifier, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const meta = CHAOS_EXPERIMENTS.auroraFailover;
    return this.add('AuroraFailover', {
      id: meta.id, outputName: meta.output,
      description: 'Fail the Aurora writer over to a reader in another AZ; clients reconnect to the new writer through the cluster endpoint.',
      actionId: 'aws:rds:failover-db-cluster',
      targetKey: 'Clusters',
      target: { resourceType: 'aws:rds:cluster', resourceArns: [clusterArn], selectionMode: 'ALL' },
      statements: [
        new iam.PolicyStatement({ sid: 'FailoverCluster', actions: ['rds:FailoverDBCluster', 'rds:DescribeDBClusters'], resources: [clusterArn] }),
        new iam.PolicyStatement({ sid: 'ResolveTargets', actions: ['tag:GetResources'], resources: ['*'] }),
      ],
    });
  }

  /**
   * Interrupts the power of the cache nodes in one AZ (`aws:elasticache:replicationgroup-interrupt-az-power`):
   * when the zone holds a primary, ElastiCache promotes a replica. Tags the replication group with
   * `platform:chaos-target` (FIS selects replication groups by tag only).
   */
  public addCacheAzPowerInterruption(options: CacheAzPowerInterruptionOptions): ChaosExperiment {
    const where = `${this.node.path}/CacheAzPowerInterruption`;
    const group = options.replicationGroup;
    if (group.multiAzEnabled !== true && !Token.isUnresolved(group.multiAzEnabled)) {
      throw new PlatformValidationError(where, 'replicationGroup.multiAzEnabled', group.multiAzEnabled, 'is not true',
        'use a Multi-AZ replication group with automatic failover (DistributedCache defaults): without a replica in another zone there is nothing to fail over to');
    }
    if (Token.isUnresolved(options.availabilityZone) || !/^[a-z]{2}(-[a-z]+)+-\d[a-z]$/.test(options.availabilityZone)) {
      throw new PlatformValidationError(where, 'availabilityZone', options.availabilityZone, 'is not an availability zone name',
        `use a zone name of ${Stack.of(this).region} such as ${Stack.of(this).region}a`);
    }
    const duration = requireFisDuration(where, 'duration', options.duration ?? Duration.minutes(10));
    const tagValue = Names.uniqueId(group).slice(-128);
    Tags.of(group).add(CHAOS_TARGET_TAG, tagValue);
    const groupArn = Stack.of(this).formatArn({
      service: 'elasticache', resource: 'replicationgroup', resourceName: group.ref, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const meta = CHAOS_EXPERIMENTS.cacheAzPowerInterruption;
    return this.add('CacheAzPowerInterruption', {
      id: meta.id, outputName: meta.output,
      description: `Interrupt the power of the cache nodes in ${options.availabilityZone} for ${duration}; a replica in another zone takes over a primary that was there.`,
      actionId: 'aws:elasticache:replicationgroup-interrupt-az-power',
      actionParameters: { duration },
      targetKey: 'ReplicationGroups',
      target: {
        resourceType: 'aws:elasticache:replicationgroup',
        resourceTags: { [CHAOS_TARGET_TAG]: tagValue },
        parameters: { availabilityZoneIdentifier: options.availabilityZone },
        selectionMode: 'ALL',
      },
      statements: [
        new iam.PolicyStatement({
          sid: 'InterruptCacheAzPower', actions: ['elasticache:InterruptClusterAzPower', 'elasticache:DescribeReplicationGroups'], resources: [groupArn],
        }),
        new iam.PolicyStatement({ sid: 'ResolveTargets', actions: ['tag:GetResources'], resources: ['*'] }),
      ],
    });
  }

  /**
   * Adds latency to the network traffic of a percentage of the service's tasks (`aws:ecs:task-network-latency`,
   * through the ECS fault injection endpoints). Needs `enableFaultInjection: true` on the task definition and the
   * SSM agent sidecar of the FIS ECS task actions.
   */
  public addNetworkLatency(options: NetworkLatencyOptions): ChaosExperiment {
    const where = `${this.node.path}/NetworkLatency`;
    const cfnTaskDefinition = options.service.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
    if (cfnTaskDefinition.enableFaultInjection !== true) {
      throw new PlatformValidationError(where, 'service.taskDefinition.enableFaultInjection', cfnTaskDefinition.enableFaultInjection,
        'is not true',
        'enable fault injection on the task definition (enableFaultInjection: true, or the escape hatch '
        + '(taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).enableFaultInjection = true) before adding the experiment');
    }
    const delayMs = options.delay?.toMilliseconds() ?? 200;
    const jitterMs = options.jitter?.toMilliseconds() ?? 20;
    const percent = options.percent ?? 50;
    if (!Number.isInteger(delayMs) || delayMs < 1 || delayMs > 10_000) {
      throw new PlatformValidationError(where, 'delay', `${delayMs} ms`, 'is outside 1 ms to 10 s (whole milliseconds)', 'use e.g. Duration.millis(200)');
    }
    if (!Number.isInteger(jitterMs) || jitterMs < 0 || jitterMs > delayMs) {
      throw new PlatformValidationError(where, 'jitter', `${jitterMs} ms`, `is outside 0 to delay (${delayMs} ms)`, 'lower the jitter or raise the delay');
    }
    requireIntegerInRange(where, 'percent', percent, 1, 100);
    const duration = requireFisDuration(where, 'duration', options.duration ?? Duration.minutes(10));
    const stack = Stack.of(this);
    const meta = CHAOS_EXPERIMENTS.networkLatency;
    return this.add('NetworkLatency', {
      id: meta.id, outputName: meta.output,
      description: `Add ${delayMs} ms (+/- ${jitterMs} ms) of network latency to ${percent}% of the service's tasks for ${duration}.`,
      actionId: 'aws:ecs:task-network-latency',
      actionParameters: {
        duration, delayMilliseconds: String(delayMs), jitterMilliseconds: String(jitterMs), flowsPercent: '100',
        useEcsFaultInjectionEndpoints: 'true',
      },
      targetKey: 'Tasks',
      target: ecsTaskTarget(options.service, percent),
      statements: [
        ...ecsTaskStatements(this, options.service, []),
        new iam.PolicyStatement({
          sid: 'RunFisDocumentOnTasks', actions: ['ssm:SendCommand'],
          resources: [
            stack.formatArn({ service: 'ssm', account: '', resource: 'document', resourceName: 'AWSFIS-Run-Network-Latency-ECS' }),
            stack.formatArn({ service: 'ssm', resource: 'managed-instance', resourceName: '*' }),
          ],
        }),
        new iam.PolicyStatement({ sid: 'FollowFisCommands', actions: ['ssm:ListCommands', 'ssm:CancelCommand'], resources: ['*'] }),
      ],
    });
  }

  private add(id: string, props: Omit<ChaosExperimentProps, 'stopConditionAlarms' | 'logGroup'>): ChaosExperiment {
    if (this.node.tryFindChild(id)) {
      throw new PlatformValidationError(this.node.path, 'experiment', props.id, 'is added twice',
        'add each experiment once per ChaosExperiments (use another ChaosExperiments for a second target)');
    }
    const experiment = new ChaosExperiment(this, id, { ...props, stopConditionAlarms: this.stopConditionAlarms, logGroup: this.logGroup });
    this.experiments.push(experiment);
    return experiment;
  }
}

function requireStopConditions(where: string, alarms: readonly cloudwatch.IAlarm[]): void {
  if (alarms.length === 0) {
    throw new PlatformValidationError(where, 'stopConditionAlarms', [], 'is empty',
      'give at least one critical alarm (e.g. ServiceMonitoring.pageAlarm): FIS stops the experiment when it goes to ALARM, and a chaos experiment without a stop condition is not allowed');
  }
  if (alarms.length > MAX_STOP_CONDITIONS) {
    throw new PlatformValidationError(where, 'stopConditionAlarms', `${alarms.length} alarms`, `exceeds the ${MAX_STOP_CONDITIONS} stop conditions FIS allows per template`,
      'combine the alarms in a composite alarm (ServiceMonitoring.pageAlarm already is one) and give that');
  }
}

/** The duration as FIS wants it (ISO 8601, `PT10M`), between 1 minute and 12 hours. */
function requireFisDuration(where: string, prop: string, duration: Duration): string {
  const seconds = duration.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < 60 || seconds > 12 * 3600) {
    throw new PlatformValidationError(where, prop, duration.toHumanString(), 'is outside 1 minute to 12 hours (whole seconds)',
      'use a duration FIS accepts, e.g. Duration.minutes(10)');
  }
  return duration.toIsoString();
}

function ecsTaskTarget(service: ecs.IBaseService, percent: number): fis.CfnExperimentTemplate.ExperimentTemplateTargetProperty {
  return {
    resourceType: 'aws:ecs:task',
    parameters: { cluster: service.cluster.clusterName, service: service.serviceName },
    selectionMode: `PERCENT(${percent})`,
  };
}

/** Resolving the service's tasks (list, describe) plus `actions` on them, scoped to the service's cluster. */
function ecsTaskStatements(scope: Construct, service: ecs.IBaseService, actions: string[]): iam.PolicyStatement[] {
  const tasks = Stack.of(scope).formatArn({ service: 'ecs', resource: 'task', resourceName: `${service.cluster.clusterName}/*` });
  return [
    new iam.PolicyStatement({ sid: 'ActOnServiceTasks', actions: ['ecs:DescribeTasks', ...actions], resources: [tasks] }),
    new iam.PolicyStatement({
      sid: 'ListServiceTasks', actions: ['ecs:ListTasks'], resources: ['*'],
      conditions: { ArnEquals: { 'ecs:cluster': service.cluster.clusterArn } },
    }),
  ];
}

/** Every resource of `statements`, plus the `*` of the log delivery statement. */
function allResources(statements: readonly iam.PolicyStatement[]): string[] {
  return ['*', ...statements.flatMap((s) => s.resources)];
}

function pascal(id: string): string {
  return id.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}
