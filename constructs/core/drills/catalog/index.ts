/** Every drill of the platform, in runbook order. */
import type { Drill } from '../drill';
import type { RedeployCommand } from './common';
import type { TrafficMovingDrills } from './regional-failover';
import {
  ACTIVE_ACTIVE_FAILOVER, BACKUP_RESTORE_FAILOVER, PILOT_LIGHT_FAILOVER, REGIONAL_FAILBACK, WARM_STANDBY_FAILOVER, trafficMovingDrills,
} from './regional-failover';
import { RESTORE_FROM_BACKUP, RESTORE_POINT_IN_TIME } from './restore';
import { AZ_EVACUATION, CACHE_PRIMARY_FAILOVER } from './zonal-and-cache';

export {
  ACTIVE_ACTIVE_FAILOVER, AZ_EVACUATION, BACKUP_RESTORE_FAILOVER, CACHE_PRIMARY_FAILOVER, PILOT_LIGHT_FAILOVER, REGIONAL_FAILBACK,
  RESTORE_FROM_BACKUP, RESTORE_POINT_IN_TIME, WARM_STANDBY_FAILOVER,
};
export { CDK_REDEPLOY_COMMAND } from './common';
export type { RedeployCommand } from './common';

/** Options of {@link drillCatalog}. */
export interface DrillCatalogOptions {
  /**
   * The command the traffic-moving steps (`MoveTrafficToSecondary` of the pilot light, warm standby and active/active
   * failovers, `MoveTrafficToPrimary` of the failback) tell the operator to run: it redeploys the global stack with
   * the given region active, at the given DR tier.
   * @default - the reference app's `npx cdk deploy <service>-global -c drTier=<tier> -c activeRegion=<region> --require-approval never`
   */
  readonly redeployCommand?: RedeployCommand;
}

function inRunbookOrder(moving: TrafficMovingDrills): readonly Drill[] {
  return [
    BACKUP_RESTORE_FAILOVER, moving.pilotLight, moving.warmStandby, moving.activeActive, moving.failback,
    AZ_EVACUATION, CACHE_PRIMARY_FAILOVER, RESTORE_FROM_BACKUP, RESTORE_POINT_IN_TIME,
  ];
}

/** Every drill: regional failover per tier, failback, AZ evacuation, cache failover, restores (the reference app's redeploy command). */
export const DRILLS: readonly Drill[] = inRunbookOrder({
  pilotLight: PILOT_LIGHT_FAILOVER, warmStandby: WARM_STANDBY_FAILOVER, activeActive: ACTIVE_ACTIVE_FAILOVER, failback: REGIONAL_FAILBACK,
});

/**
 * Every drill, in the order of {@link DRILLS}, with `options` applied: without options, `DRILLS` itself; with a
 * `redeployCommand`, the drills that move traffic are built anew around it (the others are the same objects).
 */
export function drillCatalog(options: DrillCatalogOptions = {}): readonly Drill[] {
  return options.redeployCommand === undefined ? DRILLS : inRunbookOrder(trafficMovingDrills(options.redeployCommand));
}

/** The drill with id `id`, or undefined. */
export function findDrill(id: string): Drill | undefined {
  return DRILLS.find((d) => d.id === id);
}
