/**
 * PromQL text helpers shared by the rule generators. Not exported from the barrel.
 */

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000], ['ms', 1],
];

/**
 * A Prometheus duration for `ms` milliseconds, largest units first (`5m`, `1d`, `1h12m`, `500ms`), the form
 * Prometheus itself prints. `ms` must be a positive whole number.
 */
export function promDuration(ms: number): string {
  if (!Number.isInteger(ms) || ms <= 0) throw new Error(`promDuration: ${ms} is not a positive whole number of milliseconds`);
  let rest = ms;
  let out = '';
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

/** A number as PromQL prints it, rounded to 12 significant digits so `1 - 0.999` reads `0.001`. */
export function promNumber(n: number): string {
  return String(round12(n));
}

/** `n` rounded to 12 significant digits (hides binary floating-point noise, keeps every meaningful digit). */
export function round12(n: number): number {
  return Number(n.toPrecision(12));
}

/** A label matcher list `{a="x",b=~"y"}` from ordered pairs (already escaped values). */
export function selector(metric: string, matchers: ReadonlyArray<string>): string {
  return `${metric}{${matchers.join(',')}}`;
}
