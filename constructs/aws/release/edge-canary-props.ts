import type { Duration } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { CriticalPath } from '../../core/release/critical-paths';

/** Props of {@link EdgeCanary}. */
export interface EdgeCanaryProps {
  /** The service (1-40 lowercase letters, digits and dashes): the canary `<service>-edge` (its first 16 characters). */
  readonly service: string;
  /**
   * The URL users reach the service under (HTTPS through CloudFront), e.g. `https://shop.example.com`.
   * @default - read at every run from Parameter Store: `urlParameterName` in `urlParameterRegion`
   */
  readonly url?: string;
  /**
   * Parameter holding the edge URL (without `url`).
   * @default edgeUrlParameter(service) - `/<service>/edge/url`, written by the platform's global stack
   */
  readonly urlParameterName?: string;
  /**
   * Region of the URL parameter.
   * @default 'us-east-1' - the edge's region
   */
  readonly urlParameterRegion?: string;
  /**
   * The critical paths each run calls.
   * @default PROBE_CRITICAL_PATHS - liveness and readiness
   */
  readonly criticalPaths?: readonly CriticalPath[];
  /**
   * How often the canary runs, 1 to 60 whole minutes.
   * @default Duration.minutes(5)
   */
  readonly interval?: Duration;
  /**
   * Key of the artifacts bucket (the canary's role may use it).
   * @default - a new rotating, retained customer key
   */
  readonly key?: kms.IKey;
}
