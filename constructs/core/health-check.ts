/**
 * The load balancer's health check of a service's tasks, declared once: the AWS target groups
 * (`ResilientService`) and the local game day's HAProxy both use it, so what the game day measures is what the
 * platform deploys. The path is the service's readiness probe (`/ready` by default).
 */
export const TARGET_HEALTH_CHECK = {
  /** Seconds between two checks of one target. */
  intervalSeconds: 10,
  /** Seconds a check may take before it counts as failed. */
  timeoutSeconds: 2,
  /** Consecutive failed checks that take a target out of service. */
  unhealthyThreshold: 3,
  /** Consecutive passed checks that put it back. */
  healthyThreshold: 2,
  /** Status codes that pass. */
  healthyStatusCodes: { min: 200, max: 399 },
} as const;
