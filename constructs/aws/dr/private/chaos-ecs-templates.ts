import { Annotations, Duration, Stack } from 'aws-cdk-lib';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as fis from 'aws-cdk-lib/aws-fis';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { PlatformValidationError } from '../../../core/errors';
import { requireIntegerInRange } from '../../../core/validate';
import { CHAOS_EXPERIMENTS } from '../chaos-experiments-props';
import type { NetworkLatencyOptions, TaskTerminationOptions } from '../chaos-experiments-props';
import type { ChaosExperimentTemplate } from './chaos-template';
import { requireFisDuration } from './validate-chaos-experiments-props';

/**
 * `TaskTermination` under `scope` (the `ChaosExperiments`): stops `percent` (default 30, 1 to 100, above 50 warns)
 * of the service's running tasks with `aws:ecs:stop-task`.
 */
export function taskTerminationTemplate(scope: Construct, options: TaskTerminationOptions): ChaosExperimentTemplate {
  const constructId = 'TaskTermination';
  const where = `${scope.node.path}/${constructId}`;
  const percent = options.percent ?? 30;
  requireIntegerInRange(where, 'percent', percent, 1, 100);
  if (percent > 50) {
    Annotations.of(scope).addWarningV2('platform:chaos-task-termination-percent',
      `${where}: percent (${percent}) stops more than half of the tasks at once: the remaining ones must carry the whole load while ECS replaces them.`);
  }
  const meta = CHAOS_EXPERIMENTS.taskTermination;
  return {
    constructId,
    props: {
      id: meta.id, outputName: meta.output,
      description: `Stop ${percent}% of the running tasks of the ECS service; ECS replaces them and the load balancer routes around them.`,
      actionId: 'aws:ecs:stop-task',
      targetKey: 'Tasks',
      target: ecsTaskTarget(options.service, percent),
      statements: ecsTaskStatements(scope, options.service, ['ecs:StopTask']),
    },
  };
}

/**
 * `NetworkLatency` under `scope` (the `ChaosExperiments`): adds `delay` (default 200 ms, 1 ms to 10 s) +/- `jitter`
 * (default 20 ms, at most `delay`) to `percent` (default 50) of the service's tasks for `duration` (default 10
 * minutes) with `aws:ecs:task-network-latency`; the task definition must enable fault injection.
 */
export function networkLatencyTemplate(scope: Construct, options: NetworkLatencyOptions): ChaosExperimentTemplate {
  const constructId = 'NetworkLatency';
  const where = `${scope.node.path}/${constructId}`;
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
  const stack = Stack.of(scope);
  const meta = CHAOS_EXPERIMENTS.networkLatency;
  return {
    constructId,
    props: {
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
        ...ecsTaskStatements(scope, options.service, []),
        new iam.PolicyStatement({
          sid: 'RunFisDocumentOnTasks', actions: ['ssm:SendCommand'],
          resources: [
            stack.formatArn({ service: 'ssm', account: '', resource: 'document', resourceName: 'AWSFIS-Run-Network-Latency-ECS' }),
            stack.formatArn({ service: 'ssm', resource: 'managed-instance', resourceName: '*' }),
          ],
        }),
        new iam.PolicyStatement({ sid: 'FollowFisCommands', actions: ['ssm:ListCommands', 'ssm:CancelCommand'], resources: ['*'] }),
      ],
    },
  };
}

/** `percent` of the service's tasks, resolved by cluster and service name. */
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
