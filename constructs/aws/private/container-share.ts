import type * as ecs from 'aws-cdk-lib/aws-ecs';

/** CPU units and MiB of a Fargate task. */
export interface TaskShare {
  readonly cpu: number;
  readonly memoryMiB: number;
}

/** CPU units and MiB that sidecars reserve out of a task, by task definition. */
const reserved = new WeakMap<ecs.FargateTaskDefinition, TaskShare>();

/** What sidecars of `task` reserve in all (zero without sidecars). */
export function sidecarReservation(task: ecs.FargateTaskDefinition): TaskShare {
  return reserved.get(task) ?? { cpu: 0, memoryMiB: 0 };
}

/** CPU units and MiB the application container of `task` keeps: the task's, less what its sidecars reserve. */
export function applicationShare(task: ecs.FargateTaskDefinition): TaskShare {
  const sidecars = sidecarReservation(task);
  return { cpu: task.cpu - sidecars.cpu, memoryMiB: task.memoryMiB - sidecars.memoryMiB };
}

/**
 * Records that a sidecar of `task` reserves `share`, taken from the application container. The one record of that
 * share: the sidecar's overrides of the rendered container definitions and `ResilientService.containerLimits` (what
 * saturation alerts and dashboards divide by) both read {@link applicationShare}.
 */
export function reserveForSidecar(task: ecs.FargateTaskDefinition, share: TaskShare): void {
  const before = sidecarReservation(task);
  reserved.set(task, { cpu: before.cpu + share.cpu, memoryMiB: before.memoryMiB + share.memoryMiB });
}
