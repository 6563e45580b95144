import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { CriticalPath } from '../../core/release/critical-paths';
import type { Slo } from '../../core/observability/slo';

/** Props of {@link ReleaseHooks}. */
export interface ReleaseHooksProps {
  /** The service (`platform:service`): its budget override is `/<service>/release/budget-override`. */
  readonly service: string;
  /** The VPC the hooks run in: smoke tests reach the services' test listeners from its private subnets (through its NAT gateways for public ones). */
  readonly vpc: ec2.IVpc;
  /**
   * Region of the override parameter (one switch for every region of the service).
   * @default - this stack's region
   */
  readonly overrideParameterRegion?: string;
  /**
   * Key of the function's logs (this construct lets CloudWatch Logs use it).
   * @default - a new rotating, retained customer key
   */
  readonly key?: kms.IKey;
  /**
   * Retention of the function's logs (every release decision and override).
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/** Options of {@link ReleaseHooks.protect}. */
export interface ReleaseProtectionOptions {
  /** The availability SLO whose error budget gates a release (`Slo.availability`). */
  readonly availability: Slo;
  /**
   * Smoke-test the new revision through the test listener after each traffic shift. Turn it off for a standby that
   * runs no task until a failover (nothing would answer).
   * @default true
   */
  readonly smokeTest?: boolean;
  /**
   * The test listener's base URL as the smoke test calls it.
   * @default - `http://<load balancer DNS name>:<test port>`: an internal load balancer without a certificate
   */
  readonly testUrl?: string;
  /**
   * The critical paths the smoke test calls.
   * @default PROBE_CRITICAL_PATHS - liveness and readiness
   */
  readonly criticalPaths?: readonly CriticalPath[];
}
