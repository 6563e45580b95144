/**
 * Reads the instances' own metrics every second (what a dashboard shows, at a finer grain than the scrape): cache
 * requests per tier and result, whether L2 is bypassed, whether the database breaker is open. Counters are turned
 * into per-second deltas per instance (a restarted instance starts from zero again).
 */
import type { ServiceInstance } from './environment';

/** One second's cache traffic over the fleet, and the resilience states at its end. */
export interface MetricSample {
  /** Milliseconds since the load's epoch. */
  readonly t: number;
  readonly l1Hit: number;
  readonly l1Miss: number;
  readonly l2Hit: number;
  /** L2 misses, errors and bypassed lookups. */
  readonly l2Other: number;
  /** Instances with L2 bypassed. */
  readonly bypassing: number;
  /** Instances whose database breaker is not closed. */
  readonly breakerOpen: number;
  /** Instances that answered. */
  readonly answering: number;
}

type Counters = Pick<MetricSample, 'l1Hit' | 'l1Miss' | 'l2Hit' | 'l2Other'>;

function sumOf(exposition: string, name: string, labels: Record<string, string>): number {
  let sum = 0;
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/** The cache counters and states in one instance's exposition. */
export function parseExposition(text: string): Counters & { bypassing: boolean; breakerOpen: boolean } {
  const c = (tier: string, result: string): number => sumOf(text, 'cache_requests_total', { tier, result });
  const breakerClosed = sumOf(text, 'circuit_breaker_state', { dependency: 'database', state: 'closed' });
  return {
    l1Hit: c('l1', 'hit'),
    l1Miss: c('l1', 'miss'),
    l2Hit: c('l2', 'hit'),
    l2Other: c('l2', 'miss') + c('l2', 'error') + c('l2', 'bypass'),
    bypassing: sumOf(text, 'cache_bypass_active', { tier: 'l2' }) > 0,
    breakerOpen: breakerClosed === 0 && text.includes('circuit_breaker_state{'),
  };
}

/** Hit rates of a stretch of samples: L1 of all reads, L2 of L1 misses (null when there was nothing to rate). */
export function hitRates(samples: readonly MetricSample[]): { l1: number | null; l2: number | null } {
  const s = samples.reduce((a, b) => ({
    l1Hit: a.l1Hit + b.l1Hit, l1Miss: a.l1Miss + b.l1Miss, l2Hit: a.l2Hit + b.l2Hit, l2Other: a.l2Other + b.l2Other,
  }),
    { l1Hit: 0, l1Miss: 0, l2Hit: 0, l2Other: 0 });
  const rate = (num: number, den: number): number | null => (den > 0 ? Math.round((num / den) * 1000) / 1000 : null);
  return { l1: rate(s.l1Hit, s.l1Hit + s.l1Miss), l2: rate(s.l2Hit, s.l2Hit + s.l2Other) };
}

export class MetricSampler {
  readonly samples: MetricSample[] = [];
  private readonly last = new Map<string, Counters>();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(private readonly instances: readonly ServiceInstance[], private readonly now: () => number) {}

  start(): void {
    this.timer = setInterval(() => { void this.sample(); }, 1000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Samples within [fromMs, toMs). */
  between(fromMs: number, toMs: number): MetricSample[] {
    return this.samples.filter((s) => s.t >= fromMs && s.t < toMs);
  }

  private async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const t = this.now();
      const texts = await Promise.all(this.instances.map(async (i) => [i.name, await i.metrics()] as const));
      const total = { l1Hit: 0, l1Miss: 0, l2Hit: 0, l2Other: 0, bypassing: 0, breakerOpen: 0, answering: 0 };
      for (const [name, text] of texts) {
        if (text === undefined) continue;
        const now = parseExposition(text);
        const before = this.last.get(name);
        this.last.set(name, now);
        total.answering += 1;
        total.bypassing += now.bypassing ? 1 : 0;
        total.breakerOpen += now.breakerOpen ? 1 : 0;
        for (const k of ['l1Hit', 'l1Miss', 'l2Hit', 'l2Other'] as const) {
          // A counter below its last value: the instance restarted and counts from zero.
          total[k] += before === undefined ? 0 : now[k] >= before[k] ? now[k] - before[k] : now[k];
        }
      }
      this.samples.push({ t, ...total });
    } finally {
      this.busy = false;
    }
  }
}
