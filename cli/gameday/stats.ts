/**
 * What the game day computes from the recorded requests: error ratios, percentiles, a per-second series for the
 * timeline, and the moment a service counts as recovered. Pure functions over {@link RequestRecord}s.
 */
import type { RequestRecord } from './load';

/** A request the user saw fail: no response (connection error, client timeout) or a 5xx (DESIGN.md "Metrics"). */
export function isError(r: RequestRecord): boolean {
  return r.status === 0 || r.status >= 500;
}

/** The `q` quantile (0..1) of `values` by nearest rank; 0 for none. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

/** Requests that started in [fromMs, toMs). */
export function within(records: readonly RequestRecord[], fromMs: number, toMs: number): RequestRecord[] {
  return records.filter((r) => r.t >= fromMs && r.t < toMs);
}

/** Errors / requests (0 for no requests). */
export function errorRatio(records: readonly RequestRecord[]): number {
  return records.length === 0 ? 0 : records.filter(isError).length / records.length;
}

/** p50 and p99 latency in milliseconds, rounded to 0.1 ms. */
export function latency(records: readonly RequestRecord[]): { p50: number; p99: number } {
  const ms = records.map((r) => r.ms);
  return { p50: round1(quantile(ms, 0.5)), p99: round1(quantile(ms, 0.99)) };
}

export const round1 = (n: number): number => Math.round(n * 10) / 10;
export const round4 = (n: number): number => Math.round(n * 10_000) / 10_000;

/** One second of the timeline. */
export interface SecondBucket {
  /** Start of the second, seconds since the load's epoch. */
  readonly second: number;
  readonly requests: number;
  readonly errors: number;
  readonly shed: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** The per-second series of `records` (every second from the first to the last request, empty seconds included). */
export function perSecond(records: readonly RequestRecord[]): SecondBucket[] {
  if (records.length === 0) return [];
  const bySecond = new Map<number, RequestRecord[]>();
  let last = 0;
  for (const r of records) {
    const s = Math.floor(r.t / 1000);
    last = Math.max(last, s);
    const bucket = bySecond.get(s);
    if (bucket) bucket.push(r);
    else bySecond.set(s, [r]);
  }
  const first = Math.min(...bySecond.keys());
  const out: SecondBucket[] = [];
  for (let s = first; s <= last; s++) {
    const rs = bySecond.get(s) ?? [];
    const l = latency(rs);
    out.push({
      second: s, requests: rs.length, errors: rs.filter(isError).length, shed: rs.filter((r) => r.shed).length, p50Ms: l.p50, p99Ms: l.p99,
    });
  }
  return out;
}

/** What counts as healthy again after a fault: no errors, and p99 within `p99BandMs`, for `holdMs` in a row. */
export interface RecoveryRule {
  readonly p99BandMs: number;
  readonly holdMs: number;
  /** Length of the sliding windows the rule is checked on. Default 1000. */
  readonly windowMs?: number;
}

/**
 * The first time t ≥ `fromMs` (stepping by 100 ms) from which every window of `rule.windowMs` up to t + `holdMs` has
 * requests, no error and a p99 within the band; undefined when that never happens before `untilMs`.
 */
export function recoveredAt(records: readonly RequestRecord[], fromMs: number, untilMs: number, rule: RecoveryRule): number | undefined {
  const windowMs = rule.windowMs ?? 1000;
  const healthy = (start: number): boolean => {
    const rs = within(records, start, start + windowMs);
    return rs.length > 0 && !rs.some(isError) && quantile(rs.map((r) => r.ms), 0.99) <= rule.p99BandMs;
  };
  for (let t = fromMs; t + rule.holdMs <= untilMs; t += 100) {
    let ok = true;
    for (let w = t; w + windowMs <= t + rule.holdMs + windowMs && ok; w += windowMs) ok = healthy(w);
    if (ok) return t;
  }
  return undefined;
}
