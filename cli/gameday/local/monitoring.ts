/**
 * Monitoring for the e2e tests and the game day: real Prometheus and Alertmanager (Debian packages `prometheus`, `prometheus-alertmanager`)
 * on 127.0.0.1 with free ports and temp data dirs, plus a webhook receiver that records what
 * Alertmanager sends. Nothing is skipped: a missing binary is an error that says how to install it.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import { stringify } from 'yaml';
import { freePort, onProcessExit, waitFor } from './net';

export const INSTALL_HINT = 'apt-get install -y prometheus prometheus-alertmanager';


function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The path of the first of `names` found (absolute, or on PATH, or in /usr/bin and /usr/sbin);
 * `envVar` overrides. Throws naming the package to install when none is there.
 */
export function requireBinary(envVar: string, names: readonly string[], installHint = INSTALL_HINT): string {
  const override = process.env[envVar];
  if (override) {
    if (isExecutable(override)) return override;
    throw new Error(`${envVar}=${override} is not an executable file. Unset it, or install the tools: ${installHint}`);
  }
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter((d) => d !== ''), '/usr/bin', '/usr/sbin', '/usr/local/bin'];
  for (const name of names) {
    const candidates = isAbsolute(name) ? [name] : dirs.map((d) => join(d, name));
    const found = candidates.find(isExecutable);
    if (found) return found;
  }
  throw new Error(
    `${names.join(' or ')} not found on PATH (or set ${envVar}). Install: ${installHint}`,
  );
}

export const prometheusBinary = (): string => requireBinary('PROMETHEUS_BIN', ['prometheus']);
export const alertmanagerBinary = (): string => requireBinary('ALERTMANAGER_BIN', ['prometheus-alertmanager', 'alertmanager']);

export { freePort, waitFor } from './net';

/** A child process with a bounded log tail (for error messages) and a graceful stop. */
export class ManagedProcess {
  private readonly child: ChildProcess;
  private readonly tail: string[] = [];
  private exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  constructor(readonly name: string, binary: string, args: readonly string[], readonly dataDir: string) {
    this.child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dataDir });
    const keep = (chunk: Buffer): void => {
      this.tail.push(...chunk.toString('utf8').split('\n').filter((l) => l !== ''));
      if (this.tail.length > 60) this.tail.splice(0, this.tail.length - 60);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    // Killed with its parent: a crashed test or an interrupted game day leaves no process behind.
    const unregister = onProcessExit(() => { this.child.kill('SIGKILL'); });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code) => {
        unregister();
        this.exitCode = code;
        resolve(code);
      });
      this.child.once('error', (e) => {
        this.tail.push(`spawn error: ${e.message}`);
        this.exitCode = -1;
        resolve(-1);
      });
    });
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  /** The last lines the process wrote. */
  logs(): string {
    return this.tail.join('\n');
  }

  /** Waits until GET `url` answers 200; fails early (with the logs) if the process exits. */
  async waitReady(url: string, timeoutMs = 30_000): Promise<void> {
    await waitFor(`${this.name} ready at ${url}`, async () => {
      if (!this.running) {
        throw new Error(`${this.name} exited with code ${this.exitCode} before it was ready. Its output:\n${this.logs()}`);
      }
      const res = await fetch(url).catch(() => undefined);
      return res?.status === 200 ? true : undefined;
    }, timeoutMs, 100).catch((e: Error) => {
      throw new Error(`${e.message}\n--- ${this.name} output ---\n${this.logs()}`);
    });
  }

  /** SIGTERM, then SIGKILL after `timeoutMs`; removes the data dir. */
  async stop(timeoutMs = 5000): Promise<void> {
    if (this.running) {
      this.child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const done = await Promise.race([
        this.exited.then(() => true),
        new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); }),
      ]);
      clearTimeout(timer);
      if (!done) {
        this.child.kill('SIGKILL');
        await this.exited;
      }
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** One notification Alertmanager's webhook receiver sends (webhook payload version 4). */
export interface WebhookAlert {
  readonly status: 'firing' | 'resolved';
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly fingerprint?: string;
}

export interface WebhookPayload {
  readonly version: string;
  readonly status: 'firing' | 'resolved';
  readonly receiver: string;
  readonly groupKey: string;
  readonly groupLabels: Record<string, string>;
  readonly commonLabels: Record<string, string>;
  readonly alerts: readonly WebhookAlert[];
}

export interface ReceivedWebhook {
  /** Milliseconds since the epoch when the receiver got it. */
  readonly receivedAt: number;
  /** The request path (one receiver can serve several Alertmanager receivers: /critical, /warning). */
  readonly path: string;
  readonly payload: WebhookPayload;
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly received: readonly ReceivedWebhook[];
  /** Resolves with the first (already or later) received notification for which `match` returns an alert. */
  waitForAlert(what: string, match: (w: ReceivedWebhook) => WebhookAlert | undefined,
    timeoutMs: number): Promise<{ webhook: ReceivedWebhook; alert: WebhookAlert }>;
  close(): Promise<void>;
}

/** An HTTP server on a free 127.0.0.1 port that records every JSON POST (Alertmanager webhook payloads). */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        received.push({ receivedAt: Date.now(), path: req.url ?? '/', payload: JSON.parse(Buffer.concat(chunks).toString('utf8')) as WebhookPayload });
        res.writeHead(200).end();
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    async waitForAlert(what, match, timeoutMs) {
      return waitFor(what, () => {
        for (const webhook of received) {
          const alert = match(webhook);
          if (alert) return { webhook, alert };
        }
        return undefined;
      }, timeoutMs, 100);
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export interface ScrapeTarget {
  /** The `job` label: the service's OTel `service.name` (DESIGN.md "Metrics"). */
  readonly job: string;
  /** `host:port` */
  readonly target: string;
  readonly metricsPath?: string;
}

export interface MonitoringStackOptions {
  /** Rule files, file name → YAML (as the generator renders them). */
  readonly ruleFiles: Readonly<Record<string, string>>;
  /** Alertmanager configuration YAML. */
  readonly alertmanagerConfig: string;
  readonly scrapeTargets: readonly ScrapeTarget[];
  /** Scrape and rule evaluation interval. Default `1s`. */
  readonly interval?: string;
}

export interface MonitoringStack {
  readonly prometheusUrl: string;
  readonly alertmanagerUrl: string;
  readonly prometheus: ManagedProcess;
  readonly alertmanager: ManagedProcess;
  /** Instant query; the `result` array of the vector. */
  query(expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
  /** Prometheus's view of its alerts (`/api/v1/alerts`). */
  alerts(): Promise<Array<{ labels: Record<string, string>; annotations?: Record<string, string>; state: string; activeAt?: string }>>;
  stop(): Promise<void>;
}

/** Starts Alertmanager, then Prometheus scraping `scrapeTargets`, loading `ruleFiles` and alerting to that Alertmanager. */
export async function startMonitoringStack(options: MonitoringStackOptions): Promise<MonitoringStack> {
  const promBin = prometheusBinary();
  const amBin = alertmanagerBinary();
  const interval = options.interval ?? '1s';
  const started: ManagedProcess[] = [];
  try {
    const amDir = mkdtempSync(join(tmpdir(), 'monitoring-alertmanager-'));
    const amPort = await freePort();
    writeFileSync(join(amDir, 'alertmanager.yml'), options.alertmanagerConfig);
    const alertmanager = new ManagedProcess('alertmanager', amBin, [
      `--config.file=${join(amDir, 'alertmanager.yml')}`,
      `--storage.path=${join(amDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${amPort}`,
      '--cluster.listen-address=',
      '--log.level=info',
    ], amDir);
    started.push(alertmanager);
    const alertmanagerUrl = `http://127.0.0.1:${amPort}`;

    const promDir = mkdtempSync(join(tmpdir(), 'monitoring-prometheus-'));
    const promPort = await freePort();
    const ruleFiles = Object.entries(options.ruleFiles).map(([name, yaml]) => {
      const path = join(promDir, name.endsWith('.yml') || name.endsWith('.yaml') ? name : `${name}.yml`);
      writeFileSync(path, yaml);
      return path;
    });
    const promConfig = {
      global: { scrape_interval: interval, scrape_timeout: interval, evaluation_interval: interval },
      rule_files: ruleFiles,
      alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${amPort}`] }] }] },
      // One scrape job per `job` (instances of a service are targets of the same job).
      scrape_configs: [...new Set(options.scrapeTargets.map((t) => t.job))].map((job) => {
        const targets = options.scrapeTargets.filter((t) => t.job === job);
        return { job_name: job, metrics_path: targets[0].metricsPath ?? '/metrics', static_configs: [{ targets: targets.map((t) => t.target) }] };
      }),
    };
    writeFileSync(join(promDir, 'prometheus.yml'), stringify(promConfig));
    const prometheus = new ManagedProcess('prometheus', promBin, [
      `--config.file=${join(promDir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(promDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      // Send firing alerts to Alertmanager again every second (default 1m), so a test never waits on it.
      '--rules.alert.resend-delay=1s',
      '--log.level=info',
    ], promDir);
    started.push(prometheus);
    const prometheusUrl = `http://127.0.0.1:${promPort}`;

    await Promise.all([alertmanager.waitReady(`${alertmanagerUrl}/-/ready`), prometheus.waitReady(`${prometheusUrl}/-/ready`)]);

    const api = async <T>(path: string): Promise<T> => {
      const res = await fetch(`${prometheusUrl}${path}`);
      const body = (await res.json()) as { status: string; data: T; error?: string };
      if (body.status !== 'success') throw new Error(`Prometheus ${path}: ${body.error ?? res.status}`);
      return body.data;
    };
    return {
      prometheusUrl,
      alertmanagerUrl,
      prometheus,
      alertmanager,
      query: async (expr) => (await api<{ result: Array<{ metric: Record<string, string>; value: [number, string] }> }>(
        `/api/v1/query?query=${encodeURIComponent(expr)}`)).result,
      alerts: async () => (await api<{ alerts: Array<{
        labels: Record<string, string>; annotations?: Record<string, string>; state: string; activeAt?: string;
      }> }>('/api/v1/alerts')).alerts,
      stop: async () => {
        await Promise.all(started.map((p) => p.stop()));
      },
    };
  } catch (e) {
    await Promise.all(started.map((p) => p.stop()));
    throw e;
  }
}

/** Drives steady traffic at `ratePerSecond` against `url` until stopped (responses are discarded). */
export function startLoad(url: string, ratePerSecond = 20): { sent: () => number; stop(): Promise<void> } {
  let sent = 0;
  const inFlight = new Set<Promise<void>>();
  const timer = setInterval(() => {
    sent++;
    const p = fetch(url).then((r) => r.arrayBuffer()).then(() => undefined, () => undefined);
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  }, Math.max(1, Math.round(1000 / ratePerSecond)));
  return {
    sent: () => sent,
    stop: async () => {
      clearInterval(timer);
      await Promise.all([...inFlight]);
    },
  };
}
