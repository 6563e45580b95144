/**
 * The game day's two profiles. `full` runs the platform as deployed: real rule windows and `for` durations, the
 * generated Alertmanager timings, the service's real health-check, half-open and retry intervals, faults held long
 * enough for the slowest alert to fire. `quick` runs the whole matrix in under 4 minutes (CI): time in the rules
 * divided by 60, Alertmanager grouping 1 s / 2 s, the service's intervals divided by 10, shorter faults. Both say so
 * in the report. What is never scaled: the load balancer's health check, the experiments' targets.
 */

export type ProfileName = 'quick' | 'full';

export interface Profile {
  readonly name: ProfileName;
  /** Rule time compression (sloRuleGroups' compressTime; every other rule's durations divided alike). */
  readonly compressTime: number;
  /** The service's TIME_SCALE: health-check, half-open and retry intervals multiplied by it. */
  readonly serviceTimeScale: number;
  /** Prometheus scrape and evaluation interval, seconds. */
  readonly scrapeSeconds: number;
  readonly instances: number;
  /** The service's MAX_IN_FLIGHT per instance: the fleet's capacity is `instances` times it. */
  readonly maxInFlight: number;
  /** Steady load: requests per second, and the shares of `GET /items?popular` and `POST /orders`. */
  readonly rate: number;
  readonly popularShare: number;
  readonly writeShare: number;
  readonly zipf: number;
  /** Seconds of load before the first experiment (caches warm). */
  readonly warmupSeconds: number;
  /** Seconds of the steady-state window before each fault, and of the window after recovery. */
  readonly windowSeconds: number;
  /** Seconds a held fault (latency, cache outage, overload) lasts. */
  readonly faultSeconds: number;
  /** Seconds the harness waits at most for the pages of a previous experiment to resolve before the steady-state check. */
  readonly settleSeconds: number;
  /** Seconds from losing the primary to promoting the replica (a managed database's failure detection). */
  readonly failoverDetectionSeconds: number;
  /** Concurrent closed loops of the overload burst. */
  readonly burstConnections: number;
}

export const PROFILES: Record<ProfileName, Profile> = {
  quick: {
    name: 'quick', compressTime: 60, serviceTimeScale: 0.1, scrapeSeconds: 1, instances: 3, maxInFlight: 40,
    rate: 200, popularShare: 0.05, writeShare: 0.05, zipf: 1, warmupSeconds: 8, windowSeconds: 4, faultSeconds: 10,
    settleSeconds: 30, failoverDetectionSeconds: 3, burstConnections: 240,
  },
  full: {
    name: 'full', compressTime: 1, serviceTimeScale: 1, scrapeSeconds: 15, instances: 3, maxInFlight: 40,
    rate: 200, popularShare: 0.05, writeShare: 0.05, zipf: 1, warmupSeconds: 30, windowSeconds: 30, faultSeconds: 60,
    settleSeconds: 600, failoverDetectionSeconds: 30, burstConnections: 240,
  },
};

/** What the report says about the scaling of a profile. */
export function scalingNote(p: Profile): string {
  if (p.compressTime === 1 && p.serviceTimeScale === 1) {
    return 'real time: rule windows, for-durations and Alertmanager timings as deployed; the service\'s intervals unscaled';
  }
  return `rule windows and for-durations divided by ${p.compressTime} (the 1h/5m page burns over 1m/5s, for: 5m waits 5s), `
    + `Alertmanager group_wait 1s and group_interval 2s, the service's health-check, half-open and retry intervals × ${p.serviceTimeScale}; `
    + 'load balancer health checks and the targets unscaled';
}
