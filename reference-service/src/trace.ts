import { randomBytes } from 'node:crypto';

/** Trace context of one request: W3C Trace Context (`traceparent`) when the caller sent a valid one. */
export interface TraceContext {
  /** 32 lowercase hex characters. */
  readonly traceId: string;
  /** The span id of this server span (16 lowercase hex characters), always new. */
  readonly spanId: string;
  /** The caller's span id from `traceparent`, when there was one. */
  readonly parentSpanId?: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ALL_ZERO = /^0+$/;

function newId(bytes: number): string {
  let id = randomBytes(bytes).toString('hex');
  while (ALL_ZERO.test(id)) id = randomBytes(bytes).toString('hex');
  return id;
}

/**
 * The trace context for a request: trace id (and parent span id) from a valid `traceparent` header,
 * otherwise a freshly generated trace id. Invalid headers (version ff, all-zero ids, wrong shape) are
 * ignored, as the W3C spec requires.
 */
export function traceContextFrom(traceparent: string | string[] | undefined): TraceContext {
  const header = Array.isArray(traceparent) ? traceparent[0] : traceparent;
  const m = header === undefined ? null : TRACEPARENT.exec(header.trim().toLowerCase());
  if (m && m[1] !== 'ff' && !ALL_ZERO.test(m[2]) && !ALL_ZERO.test(m[3])) {
    return { traceId: m[2], spanId: newId(8), parentSpanId: m[3] };
  }
  return { traceId: newId(16), spanId: newId(8) };
}
