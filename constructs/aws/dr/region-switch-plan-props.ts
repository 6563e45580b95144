import type { DrTier } from '../../core/dr-tier';

/** One region's resources the plan acts on (plain values: tokens from other stacks welcome). */
export interface RegionSwitchTargets {
  /** ARN of the region's Aurora cluster (member of the global database; unused when the plan has no `globalClusterIdentifier`). */
  readonly databaseClusterArn: string;
  /** ARN of the region's ECS cluster. */
  readonly ecsClusterArn: string;
  /** ARN of the region's ECS service. */
  readonly ecsServiceArn: string;
  /** ARN of the region's page alarm (the critical composite); it can trigger the plan. */
  readonly pageAlarmArn: string;
}

/** Props of {@link RegionSwitchPlan}. */
export interface RegionSwitchPlanProps {
  /** Plan name, 1-32 letters, digits and dashes. */
  readonly planName: string;
  /** The DR tier: active/active plans run both regions, the others activate one region at a time. */
  readonly drTier: DrTier;
  /** The region serving at deployment (a plain region code such as `eu-west-1`); the automatic trigger watches it. */
  readonly primaryRegion: string;
  /** The region the plan fails over to (a plain region code, different from `primaryRegion`). */
  readonly secondaryRegion: string;
  /** What the plan acts on in `primaryRegion`. */
  readonly primary: RegionSwitchTargets;
  /** What the plan acts on in `secondaryRegion`. */
  readonly secondary: RegionSwitchTargets;
  /**
   * Name of the Aurora Global Database the plan switches over (failover when the old primary is unreachable).
   * Omit it when the workload's data is not replicated by an Aurora Global Database: the plan then has no database
   * step and only scales and switches compute. Required for DR tier active-active.
   * @default - no database step
   */
  readonly globalClusterIdentifier?: string;
  /**
   * Start activating the secondary region as soon as the primary's page alarm is red, without an approval step.
   * Off: a person starts the plan and approves it before anything moves.
   * @default false
   */
  readonly automaticTrigger?: boolean;
  /**
   * Minutes each database and capacity step may take before the plan reports it failed, 1 to 1440.
   * @default 30
   */
  readonly stepTimeoutMinutes?: number;
}
