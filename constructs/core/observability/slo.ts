import { PlatformValidationError } from '../errors';
import { validateBurnRates } from './burn-rate';
import { promNumber, selector } from './private/promql';

/**
 * Service level objectives over the OpenTelemetry HTTP server metrics (DESIGN.md "Metrics"):
 * `http_server_request_duration_seconds_{bucket,count,sum}` with labels `http_response_status_code`,
 * `http_route`, `http_request_method`, the service identified by `job`.
 */

/** The request-duration histogram every service emits (OTel `http.server.request.duration` in Prometheus form). */
export const HTTP_SERVER_DURATION_METRIC = 'http_server_request_duration_seconds';

/**
 * Bucket bounds (seconds) of the request-duration histogram: the OpenTelemetry semantic conventions' advice for
 * `http.server.request.duration`. A latency SLO threshold must be one of the bounds the service emits.
 */
export const DEFAULT_HTTP_DURATION_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
];

/** Lowest and highest SLO target accepted: below 90% is not an objective, above 99.999% cannot be measured per minute. */
export const MIN_SLO_TARGET = 0.9;
export const MAX_SLO_TARGET = 0.99999;

/** Longest SLO period accepted, in days. */
export const MAX_SLO_PERIOD_DAYS = 365;

/** The kind of SLI an {@link Slo} measures: also the `sli` part of its name (`checkout-availability`). */
export type SliKind = 'availability' | 'latency';

/** Props shared by every SLO. */
export interface SloBaseProps {
  /** The service: its Prometheus `job` label (= OTel `service.name`). */
  readonly service: string;
  /**
   * Share of good requests over the period, e.g. 0.999.
   * @default 0.999
   */
  readonly target?: number;
  /**
   * Rolling period of the objective, in whole days.
   * @default 30
   */
  readonly periodDays?: number;
}

/** Props of {@link Slo.availability}. */
export type AvailabilitySloProps = SloBaseProps;

/** Props of {@link Slo.latency}. */
export interface LatencySloProps extends SloBaseProps {
  /** A request is good when it is served within this many seconds; must be a bucket bound of the histogram. */
  readonly threshold: number;
  /**
   * Bucket bounds (seconds) of the service's request-duration histogram.
   * @default DEFAULT_HTTP_DURATION_BUCKETS - the OpenTelemetry advice for http.server.request.duration
   */
  readonly buckets?: readonly number[];
}

const SERVICE_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,62}$/;

/**
 * A service level objective. Build one with {@link Slo.availability} or {@link Slo.latency}; every prop is
 * validated there, so an `Slo` is always renderable.
 */
export class Slo {
  /** `<service>-<kind>`: the `slo` label of every rule generated for this objective. */
  public readonly name: string;

  private constructor(
    /** What the SLI measures. */
    public readonly kind: SliKind,
    /** The service (`job` label). */
    public readonly service: string,
    /** Share of good requests, e.g. 0.999. */
    public readonly target: number,
    /** Rolling period in days. */
    public readonly periodDays: number,
    /** Latency threshold in seconds (latency SLOs only). */
    public readonly threshold: number | undefined,
  ) {
    this.name = `${service}-${kind}`;
  }

  /** The error budget: the share of requests allowed to be bad, `1 - target` (0.001 for 99.9%). */
  public get errorBudget(): number {
    return Number(promNumber(1 - this.target));
  }

  /** The period in seconds. */
  public get periodSeconds(): number {
    return this.periodDays * 86_400;
  }

  /**
   * Share of requests answered without a server error (`http_response_status_code=~"5.."` are errors).
   */
  public static availability(props: AvailabilitySloProps): Slo {
    const where = 'Slo.availability';
    validateService(where, props.service);
    const [target, periodDays] = validateObjective(where, props.target ?? 0.999, props.periodDays ?? 30);
    return new Slo('availability', props.service, target, periodDays, undefined);
  }

  /**
   * Share of requests served within `threshold` seconds, read from the histogram's `le` bucket.
   */
  public static latency(props: LatencySloProps): Slo {
    const where = 'Slo.latency';
    validateService(where, props.service);
    const buckets = props.buckets ?? DEFAULT_HTTP_DURATION_BUCKETS;
    if (!buckets.includes(props.threshold)) {
      throw new PlatformValidationError(where, 'threshold', props.threshold, 'is not a bucket bound of the request-duration histogram',
        `use one of ${buckets.join(', ')} (or pass the service's buckets)`);
    }
    const [target, periodDays] = validateObjective(where, props.target ?? 0.999, props.periodDays ?? 30);
    return new Slo('latency', props.service, target, periodDays, props.threshold);
  }

  /** PromQL: bad requests per second over `window` (a Prometheus duration such as `5m`). Never empty while there is traffic. */
  public errorsRate(window: string): string {
    if (this.kind === 'availability') {
      return `(sum(rate(${selector(`${HTTP_SERVER_DURATION_METRIC}_count`, [this.jobMatcher(), 'http_response_status_code=~"5.."'])}[${window}])) or vector(0))`;
    }
    return `(${this.totalRate(window)} - sum(rate(${selector(`${HTTP_SERVER_DURATION_METRIC}_bucket`, [this.jobMatcher(), leMatcher(this.threshold as number)])}[${window}])))`;
  }

  /** PromQL: all requests per second over `window`. */
  public totalRate(window: string): string {
    return `sum(rate(${selector(`${HTTP_SERVER_DURATION_METRIC}_count`, [this.jobMatcher()])}[${window}]))`;
  }

  /** PromQL: the SLI error ratio (bad / all) over `window`; empty when there was no traffic. */
  public errorRatio(window: string): string {
    return `${this.errorsRate(window)} / ${this.totalRate(window)}`;
  }

  public toString(): string {
    return this.name;
  }

  private jobMatcher(): string {
    return `job="${this.service}"`;
  }
}

/**
 * The `le` matcher of a bucket bound. Clients print whole bounds as `1` or `1.0` (Prometheus 2 keeps the label
 * text as scraped), so whole bounds match both spellings.
 */
export function leMatcher(bound: number): string {
  return Number.isInteger(bound) ? `le=~"${bound}(\\\\.0)?"` : `le="${bound}"`;
}

function validateService(where: string, service: string): void {
  if (!SERVICE_NAME.test(service)) {
    throw new PlatformValidationError(where, 'service', service, 'is not a valid service name',
      'use the service\'s Prometheus job name: a letter, then up to 62 letters, digits, \'_\', \'.\' or \'-\'');
  }
}

function validateObjective(where: string, target: number, periodDays: number): [number, number] {
  validateTarget(where, target);
  validatePeriod(where, periodDays);
  validateBurnRates(where, target, periodDays);
  return [target, periodDays];
}

function validateTarget(where: string, target: number): number {
  if (!Number.isFinite(target) || target < MIN_SLO_TARGET || target > MAX_SLO_TARGET) {
    throw new PlatformValidationError(where, 'target', target, `must be between ${MIN_SLO_TARGET} and ${MAX_SLO_TARGET}`,
      'set target to the share of good requests, e.g. 0.999 for 99.9%');
  }
  return target;
}

function validatePeriod(where: string, periodDays: number): number {
  if (!Number.isInteger(periodDays) || periodDays < 1 || periodDays > MAX_SLO_PERIOD_DAYS) {
    throw new PlatformValidationError(where, 'periodDays', periodDays, `must be a whole number of days from 1 to ${MAX_SLO_PERIOD_DAYS}`,
      'set periodDays to e.g. 30 (or 28 for four whole weeks)');
  }
  return periodDays;
}
