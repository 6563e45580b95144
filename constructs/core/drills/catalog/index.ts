/** Every drill of the platform, in runbook order. */
import type { Drill } from '../drill';
import {
  ACTIVE_ACTIVE_FAILOVER, BACKUP_RESTORE_FAILOVER, PILOT_LIGHT_FAILOVER, REGIONAL_FAILBACK, WARM_STANDBY_FAILOVER,
} from './regional-failover';
import { RESTORE_FROM_BACKUP, RESTORE_POINT_IN_TIME } from './restore';
import { AZ_EVACUATION, CACHE_PRIMARY_FAILOVER } from './zonal-and-cache';

export {
  ACTIVE_ACTIVE_FAILOVER, AZ_EVACUATION, BACKUP_RESTORE_FAILOVER, CACHE_PRIMARY_FAILOVER, PILOT_LIGHT_FAILOVER, REGIONAL_FAILBACK,
  RESTORE_FROM_BACKUP, RESTORE_POINT_IN_TIME, WARM_STANDBY_FAILOVER,
};

/** Every drill: regional failover per tier, failback, AZ evacuation, cache failover, restores. */
export const DRILLS: readonly Drill[] = [
  BACKUP_RESTORE_FAILOVER, PILOT_LIGHT_FAILOVER, WARM_STANDBY_FAILOVER, ACTIVE_ACTIVE_FAILOVER, REGIONAL_FAILBACK,
  AZ_EVACUATION, CACHE_PRIMARY_FAILOVER, RESTORE_FROM_BACKUP, RESTORE_POINT_IN_TIME,
];

/** The drill with id `id`, or undefined. */
export function findDrill(id: string): Drill | undefined {
  return DRILLS.find((d) => d.id === id);
}
