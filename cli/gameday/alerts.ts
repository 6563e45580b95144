/**
 * Which alerts fired, and when: Prometheus's own view (`/api/v1/alerts`), polled every second, so an alert counts from
 * the moment it fires, not from when Alertmanager's grouping lets its notification out (a ticket waits 5 minutes in
 * the platform's routing). Notifications are matched to it separately (experiment-kit.ts).
 */
import type { MonitoringStack } from './local/monitoring';

/** An alert's first firing seen by the watcher. */
export interface SeenAlert {
  readonly alertname: string;
  readonly severity: string;
  readonly runbookUrl: string;
  /** When it became pending (`activeAt`), wall clock ms. */
  readonly activeAtWallMs: number;
  /** Run time (ms since the load's epoch) the watcher first saw it firing. */
  readonly firingSeenMs: number;
}

export class AlertWatcher {
  readonly seen: SeenAlert[] = [];
  private readonly keys = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(private readonly monitoring: Pick<MonitoringStack, 'alerts'>, private readonly now: () => number) {}

  start(intervalMs = 1000): void {
    this.timer = setInterval(() => { void this.poll(); }, intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Alerts first seen firing in [fromMs, toMs) (run time), Watchdog aside. */
  firedBetween(fromMs: number, toMs: number): SeenAlert[] {
    return this.seen.filter((a) => a.firingSeenMs >= fromMs && a.firingSeenMs < toMs);
  }

  /** One poll (exposed for tests). */
  async poll(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const t = this.now();
      for (const a of await this.monitoring.alerts().catch(() => [])) {
        if (a.state !== 'firing' || a.labels.alertname === 'Watchdog') continue;
        // One entry per firing episode: the same alert pending again later is a new episode.
        const key = `${a.labels.alertname}/${a.labels.severity}/${a.activeAt}`;
        if (this.keys.has(key)) continue;
        this.keys.add(key);
        this.seen.push({
          alertname: a.labels.alertname, severity: a.labels.severity ?? 'none', runbookUrl: a.annotations?.runbook_url ?? '',
          activeAtWallMs: a.activeAt === undefined ? Date.now() : Date.parse(a.activeAt), firingSeenMs: t,
        });
      }
    } finally {
      this.busy = false;
    }
  }
}
