/**
 * The game day's load: an open-loop generator at a fixed rate (requests are sent on schedule whether or not earlier
 * ones have answered, so a stalled service shows up as latency and errors instead of silently slowing the load: no
 * coordinated omission), with a read/write mix over Zipf-distributed item ids, recording every request; and the
 * overload burst, closed loops sending back to back. autocannon drives the service benchmark, but it reports
 * aggregates only: the game day needs each request (to tell shed 503s from failures, to time recovery to the second)
 * and each acknowledged write (the database failover's lost-write count), hence this small generator on Node's HTTP agent.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

/** What one request was. `read`: `GET /items/:id`; `popular`: `GET /items?popular`; `write`: `POST /orders`. */
export type RequestKind = 'read' | 'popular' | 'write';

/** One request as the client saw it. */
export interface RequestRecord {
  /** Start, milliseconds since the load's epoch. */
  readonly t: number;
  readonly ms: number;
  /** HTTP status; 0 when no response came (connection error, client timeout). */
  readonly status: number;
  readonly kind: RequestKind;
  /** 503 shed at admission (`"reason":"shed"`), as opposed to a dependency's 503. */
  readonly shed: boolean;
  /** Which generator sent it. */
  readonly source: 'steady' | 'burst';
}

/** An acknowledged write: the order the service answered 201 for. */
export interface AcknowledgedWrite {
  readonly t: number;
  readonly idempotencyKey: string;
  readonly orderId: string;
}

/** The request mix of the steady load. */
export interface LoadMix {
  /** Requests per second. */
  readonly rate: number;
  /** Shares of `popular` and `write` requests; the rest are `read`. */
  readonly popularShare: number;
  readonly writeShare: number;
  /** Item ids 1..catalogSize, read with Zipf exponent `zipf`. */
  readonly catalogSize: number;
  readonly zipf: number;
  /** Seed of the deterministic key sequence. */
  readonly seed: number;
}

/** Deterministic PRNG (mulberry32): every run reads the same key sequence. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Item ids 1..n drawn with P(k) proportional to 1/k^s (inverse CDF by binary search). */
export function zipf(n: number, s: number, random: () => number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 1; k <= n; k++) {
    sum += 1 / k ** s;
    cdf[k - 1] = sum;
  }
  return () => {
    const u = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
}

/** Client timeout of one request: what a user (or CloudFront's origin read timeout) would wait at most. */
export const CLIENT_TIMEOUT_MS = 5000;

/** Sends requests to one base URL and records them. Shared by the steady load and the burst. */
export class Recorder {
  readonly records: RequestRecord[] = [];
  readonly acknowledged: AcknowledgedWrite[] = [];
  readonly epoch = performance.now();
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 512 });
  private writes = 0;

  constructor(private readonly host: string, private readonly port: number, private readonly runId: string) {}

  /** Milliseconds since the epoch. */
  now(): number {
    return performance.now() - this.epoch;
  }

  /** Sends one request; resolves when it is recorded (never rejects). */
  send(kind: RequestKind, itemId: number, source: RequestRecord['source']): Promise<void> {
    const t = this.now();
    const idempotencyKey = kind === 'write' ? `${this.runId}-${++this.writes}` : undefined;
    const body = kind === 'write' ? JSON.stringify({ itemId: String(itemId), quantity: 1 }) : undefined;
    const path = kind === 'read' ? `/items/${itemId}` : kind === 'popular' ? '/items?popular' : '/orders';
    return new Promise((resolve) => {
      let done = false;
      const finish = (status: number, text: string): void => {
        if (done) return;
        done = true;
        const shed = status === 503 && text.includes('"reason":"shed"');
        this.records.push({ t, ms: this.now() - t, status, kind, shed, source });
        if (idempotencyKey !== undefined && status === 201) {
          const orderId = (JSON.parse(text) as { id?: string; orderId?: string }).id ?? '';
          this.acknowledged.push({ t, idempotencyKey, orderId });
        }
        resolve();
      };
      const req = request({
        host: this.host, port: this.port, path, method: kind === 'write' ? 'POST' : 'GET', agent: this.agent,
        headers: body === undefined ? {} : { 'content-type': 'application/json', 'idempotency-key': idempotencyKey ?? '', 'content-length': Buffer.byteLength(body) },
        timeout: CLIENT_TIMEOUT_MS,
      }, (res) => {
        const chunks: Buffer[] = [];
        const keep = res.statusCode === 503 || (kind === 'write' && res.statusCode === 201);
        res.on('data', (c: Buffer) => { if (keep) chunks.push(c); });
        res.on('end', () => finish(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
        res.on('error', () => finish(0, ''));
      });
      req.on('timeout', () => { req.destroy(new Error('client timeout')); });
      req.on('error', () => finish(0, ''));
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The steady load: `mix.rate` requests a second until stopped. */
export class SteadyLoad {
  private timer: NodeJS.Timeout | undefined;
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly recorder: Recorder, private readonly mix: LoadMix) {}

  start(): void {
    const random = prng(this.mix.seed);
    const nextId = zipf(this.mix.catalogSize, this.mix.zipf, random);
    const intervalMs = 10;
    let due = 0;
    let last = this.recorder.now();
    this.timer = setInterval(() => {
      const now = this.recorder.now();
      due += (now - last) * this.mix.rate / 1000;
      last = now;
      for (; due >= 1; due--) {
        const u = random();
        const kind: RequestKind = u < this.mix.writeShare ? 'write' : u < this.mix.writeShare + this.mix.popularShare ? 'popular' : 'read';
        // Writes order uniformly over the catalog (so no item's stock runs out); reads follow the Zipf popularity.
        const item = kind === 'write' ? 1 + Math.floor(random() * this.mix.catalogSize) : nextId();
        const p = this.recorder.send(kind, item, 'steady');
        this.pending.add(p);
        void p.then(() => this.pending.delete(p));
      }
    }, intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all([...this.pending]);
  }
}

/** Runs `connections` closed loops of `GET /items/:id` over ids `items.from..items.to` (uniform) for `seconds`. */
export async function burst(
  recorder: Recorder, connections: number, seconds: number, items: { from: number; to: number }, seed: number,
): Promise<void> {
  const random = prng(seed);
  const until = recorder.now() + seconds * 1000;
  const loop = async (): Promise<void> => {
    while (recorder.now() < until) await recorder.send('read', items.from + Math.floor(random() * (items.to - items.from + 1)), 'burst');
  };
  await Promise.all(Array.from({ length: connections }, loop));
}
