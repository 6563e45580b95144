import type { Faults } from '../faults';
import type { FlagState } from '../flags';
import type { HttpMetrics } from './request-metrics';
import { sendJson, sendUnavailable, sleep } from './respond';
import type { RequestContext, Route } from './route';

/** Options of {@link createAdmission}. */
export interface AdmissionOptions {
  /** API requests served at once; more are shed with 503 + Retry-After. */
  readonly maxInFlight: number;
  /** The in-flight gauge and the shed counter. */
  readonly metrics: Pick<HttpMetrics, 'active' | 'shed'>;
  /** The faults injected now (read per request). */
  readonly faults: () => Faults;
  /** Random source for the injected error rate, in [0, 1). */
  readonly random: () => number;
  /** The feature flags now: shed-more lowers the limit to its `admitPercent`. */
  readonly flags?: () => FlagState;
}

/** The in-flight limit under the flags: `maxInFlight`, or its `admitPercent` (at least 1) while shed-more is on. */
export function admissionLimit(maxInFlight: number, flags: FlagState): number {
  return flags.shedMore ? Math.max(1, Math.floor(maxInFlight * flags.admitPercent / 100)) : maxInFlight;
}

/**
 * How API routes are served: admission control first (shed at once when too many are in flight, never queue; the
 * shed-more flag lowers the limit), then the injected faults (added latency, then an injected 500 at the error rate),
 * then the route.
 */
export function createAdmission(options: AdmissionOptions): (route: Route, ctx: RequestContext) => Promise<void> {
  const { maxInFlight, metrics, random } = options;
  let inFlight = 0;
  return async (route, ctx) => {
    const { res } = ctx;
    const flags = options.flags?.();
    if (inFlight >= (flags ? admissionLimit(maxInFlight, flags) : maxInFlight)) {
      metrics.shed.inc({ http_route: route.template });
      sendUnavailable(res, 1, { error: 'overloaded: too many requests in flight', reason: flags?.shedMore ? 'shed-more' : 'shed' });
      return;
    }
    inFlight += 1;
    metrics.active.inc();
    res.once('close', () => {
      inFlight -= 1;
      metrics.active.dec();
    });
    const current = options.faults();
    await sleep(current.addedLatencyMs);
    if (current.errorRate > 0 && random() < current.errorRate) {
      sendJson(res, 500, { error: 'injected fault' });
      return;
    }
    await route.handle(ctx);
  };
}
