/**
 * The game day's environment, on 127.0.0.1 with free ports and temporary directories: PostgreSQL primary and a
 * streaming replica behind a writer and a reader endpoint (TCP proxies, as the cluster endpoints: the writer one moves
 * to the promoted replica on failover), Redis, N instances of the reference service (bundled with esbuild, run as
 * processes as in the image) behind HAProxy, Prometheus loaded with the platform's rules scraping the instances, and
 * Alertmanager with the platform's configuration routing to the harness's webhook receiver.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Haproxy } from './local/haproxy';
import { startHaproxy } from './local/haproxy';
import type { MonitoringStack, WebhookReceiver } from './local/monitoring';
import { startMonitoringStack, startWebhookReceiver } from './local/monitoring';
import { freePort, onProcessExit, waitFor } from './local/net';
import type { PostgresReplica, PostgresServer } from './local/postgres';
import { startPostgres, startReplica } from './local/postgres';
import type { RedisServer } from './local/redis';
import { startRedis } from './local/redis';
import type { TcpProxy } from './local/tcp-proxy';
import { startTcpProxy } from './local/tcp-proxy';
import type { Profile } from './profiles';
import { GAMEDAY_SERVICE, gameDayAlertmanagerConfig, gameDayRuleFiles } from './rules';

const ROOT = join(__dirname, '..', '..');

/** One instance of the reference service: a process on a fixed port, which can be killed and started again. */
export class ServiceInstance {
  private child: ChildProcess | undefined;
  private stderr = '';
  private unregister: (() => void) | undefined;

  constructor(readonly name: string, readonly port: number, private readonly bundle: string,
    private readonly env: Record<string, string>, private readonly logFile: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process and waits until `/ready` answers 200. */
  async start(): Promise<void> {
    const out = openSync(this.logFile, 'a');
    const child = spawn(process.execPath, [this.bundle], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', PORT: String(this.port), ...this.env },
      stdio: ['ignore', out, 'pipe'],
    });
    closeSync(out);
    this.child = child;
    this.stderr = '';
    child.stderr?.on('data', (c: Buffer) => { this.stderr = (this.stderr + c.toString('utf8')).slice(-4000); });
    this.unregister = onProcessExit(() => { child.kill('SIGKILL'); });
    await waitFor(`${this.name} ready`, async () => {
      if (child.exitCode !== null) throw new Error(`${this.name} exited (${child.exitCode}): ${this.stderr}`);
      return (await fetch(`${this.url}/ready`).catch(() => undefined))?.status === 200 ? true : undefined;
    }, 60_000, 100);
  }

  /** Sends `signal` and waits for the exit (SIGKILL: an instance lost, as a task stopped by its host). */
  async kill(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
    this.unregister?.();
  }

  /** Its metrics exposition, or undefined when it does not answer. */
  async metrics(): Promise<string | undefined> {
    const res = await fetch(`${this.url}/metrics`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
    return res?.status === 200 ? res.text() : undefined;
  }
}

/** Everything the experiments act on. */
export interface Environment {
  readonly workDir: string;
  readonly primary: PostgresServer;
  /** The replica; after a failover, the promoted one (and a new replica may follow). */
  replica: PostgresReplica;
  /** The current primary (the promoted replica after a failover). */
  writerTarget: PostgresServer;
  readonly writer: TcpProxy;
  readonly reader: TcpProxy;
  readonly redis: RedisServer;
  readonly instances: readonly ServiceInstance[];
  readonly haproxy: Haproxy;
  readonly webhook: WebhookReceiver;
  readonly monitoring: MonitoringStack;
  /** Stops everything that is running and removes the directories. Safe to call twice. */
  stop(): Promise<void>;
}

/** Starts the environment for `profile`; everything started is stopped again if a step fails. */
export async function startEnvironment(profile: Profile, log: (line: string) => void): Promise<Environment> {
  const workDir = mkdtempSync(join(tmpdir(), 'gameday-'));
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    const bundle = join(workDir, 'reference-service.js');
    const [primary, redis] = await Promise.all([
      // Durable commits on the primary (as Aurora acknowledges them); the replica is asynchronous.
      startPostgres({ settings: { synchronous_commit: 'on', max_connections: '200' } }),
      startRedis(),
      build({
        entryPoints: [join(ROOT, 'reference-service', 'src', 'main.ts')],
        bundle: true, platform: 'node', target: 'node20', external: ['pg-native'], outfile: bundle, logLevel: 'warning',
      }),
    ]);
    stops.push(() => primary.close(), () => redis.close());
    const replica = await startReplica(primary);
    stops.push(() => replica.close());
    const writer = await startTcpProxy(primary);
    // The reader endpoint: the same port on a second loopback address (the service has one DB_PORT for both).
    const reader = await startTcpProxy(replica, writer.port, '127.0.0.2');
    stops.push(() => writer.close(), () => reader.close());
    log(`postgres primary :${primary.port}, replica :${replica.port}, writer endpoint 127.0.0.1:${writer.port}, reader 127.0.0.2:${reader.port}; redis :${redis.port}`);

    const env: Record<string, string> = {
      SERVICE_NAME: GAMEDAY_SERVICE,
      DB_ENDPOINT: writer.host, DB_READ_ONLY_ENDPOINT: reader.host, DB_PORT: String(writer.port),
      DB_NAME: primary.database, DB_USER: primary.user, DB_PASSWORD: primary.password,
      DB_TLS: 'require', DB_TLS_CA_FILE: primary.certificates?.caFile ?? '',
      CACHE_L2_ENDPOINT: '127.0.0.1', CACHE_L2_PORT: String(redis.port), CACHE_L2_TLS: 'true',
      CACHE_L2_USERNAME: redis.username, CACHE_L2_PASSWORD: redis.password, CACHE_L2_TLS_CA_FILE: redis.certificates?.caFile ?? '',
      // The admin endpoints (the cache flush) answer loopback callers only.
      FAULT_INJECTION_ENABLED: 'true',
      TIME_SCALE: String(profile.serviceTimeScale),
      MAX_IN_FLIGHT: String(profile.maxInFlight),
      SHUTDOWN_DRAIN_DELAY_MS: '0',
    };
    const instances: ServiceInstance[] = [];
    for (let i = 1; i <= profile.instances; i++) {
      instances.push(new ServiceInstance(`instance-${i}`, await freePort(), bundle, env, join(workDir, `instance-${i}.log`)));
    }
    stops.push(async () => { await Promise.all(instances.map((s) => s.kill('SIGTERM'))); });
    await Promise.all(instances.map((s) => s.start()));
    const haproxy = await startHaproxy({ servers: instances.map((s) => `127.0.0.1:${s.port}`) });
    stops.push(() => haproxy.stop());
    const webhook = await startWebhookReceiver();
    stops.push(() => webhook.close());
    const monitoring = await startMonitoringStack({
      ruleFiles: gameDayRuleFiles(profile.compressTime),
      alertmanagerConfig: gameDayAlertmanagerConfig(webhook.url, profile.compressTime > 1),
      scrapeTargets: instances.map((s) => ({ job: GAMEDAY_SERVICE, target: `127.0.0.1:${s.port}` })),
      interval: `${profile.scrapeSeconds}s`,
    });
    stops.push(() => monitoring.stop());
    log(`${instances.length} instances (${instances.map((i) => `:${i.port}`).join(', ')}) behind ${haproxy.url}; prometheus ${monitoring.prometheusUrl}; alertmanager ${monitoring.alertmanagerUrl}`);

    const environment: Environment = {
      workDir, primary, replica, writerTarget: primary, writer, reader, redis, instances, haproxy, webhook, monitoring,
      stop: stopAll,
    };
    // A replica made after a failover is stopped with the rest.
    stops.push(async () => { if (environment.replica !== replica) await environment.replica.close(); });
    return environment;
  } catch (e) {
    await stopAll();
    throw e;
  }
}
