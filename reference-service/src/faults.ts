/** Fault injection for drills and tests: applied to every API route (the sample route and the data routes). */
export interface Faults {
  /** Probability (0..1) that an API request answers 500. */
  readonly errorRate: number;
  /** Milliseconds added to every API request. */
  readonly addedLatencyMs: number;
}

export const NO_FAULTS: Faults = { errorRate: 0, addedLatencyMs: 0 };

/** Largest added latency accepted (a drill that needs more is better served by a real outage). */
export const MAX_ADDED_LATENCY_MS = 60_000;

/**
 * Validates a fault specification (from JSON or env). Returns the faults, or a message naming the
 * field, the value and the accepted range.
 */
export function parseFaults(input: unknown, base: Faults = NO_FAULTS): Faults | string {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return 'expected a JSON object like {"errorRate": 0.5, "addedLatencyMs": 200}';
  }
  const record = input as Record<string, unknown>;
  const unknownKeys = Object.keys(record).filter((k) => k !== 'errorRate' && k !== 'addedLatencyMs');
  if (unknownKeys.length > 0) {
    return `unknown field(s) ${unknownKeys.join(', ')}: accepted fields are errorRate and addedLatencyMs`;
  }
  let { errorRate, addedLatencyMs } = base;
  if (record.errorRate !== undefined) {
    const v = record.errorRate;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) {
      return `errorRate must be a number between 0 and 1, got ${JSON.stringify(v)}`;
    }
    errorRate = v;
  }
  if (record.addedLatencyMs !== undefined) {
    const v = record.addedLatencyMs;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_ADDED_LATENCY_MS) {
      return `addedLatencyMs must be an integer between 0 and ${MAX_ADDED_LATENCY_MS}, got ${JSON.stringify(v)}`;
    }
    addedLatencyMs = v;
  }
  return { errorRate, addedLatencyMs };
}
