/**
 * HAProxy (Debian's `haproxy`) standing in for the service's load balancer: round robin over the instances, health
 * checks on the readiness path with the platform's interval, timeout and thresholds ({@link TARGET_HEALTH_CHECK}, what
 * the ALB target groups get), and a stats endpoint that says which servers are in rotation.
 *
 * Two settings an ALB expresses differently, said plainly: a server whose connections are refused or reset is taken
 * out at once (`observe layer4` + `on-error mark-down`), as ECS deregisters a stopped task from its target group
 * without waiting for health checks; and a request whose connection failed or got no response is sent again to
 * another server (`retry-on conn-failure empty-response`, `option redispatch`), once, which is safe here because
 * reads are idempotent and writes carry an idempotency key (the ALB answers 502 there; clients retry).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TARGET_HEALTH_CHECK } from '../../../constructs/core/health-check';
import { ManagedProcess, requireBinary } from './monitoring';
import { freePort } from './net';

export const HAPROXY_INSTALL_HINT = 'apt-get install -y haproxy';

export interface HaproxyOptions {
  /** `host:port` of each instance, in server order (`s1`, `s2`, ...). */
  readonly servers: readonly string[];
  /** The readiness path the health check requests. Default `/ready`. */
  readonly healthPath?: string;
}

/** The state of one server as the stats endpoint reports it (`UP`, `DOWN`, `UP 1/2`, `MAINT`, ...). */
export interface ServerStatus {
  readonly name: string;
  readonly status: string;
}

export interface Haproxy {
  /** `http://127.0.0.1:<port>`: the service's front door. */
  readonly url: string;
  readonly port: number;
  readonly process: ManagedProcess;
  /** Every server's state. */
  servers(): Promise<ServerStatus[]>;
  stop(): Promise<void>;
}

/** The configuration text for `servers` listening on `port`, stats on `statsPort`. */
export function haproxyConfig(options: HaproxyOptions, port: number, statsPort: number): string {
  const h = TARGET_HEALTH_CHECK;
  const path = options.healthPath ?? '/ready';
  return [
    'global',
    '  maxconn 4096',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    // The ALB's default idle timeout.
    '  timeout client 60s',
    '  timeout server 60s',
    `  timeout check ${h.timeoutSeconds}s`,
    '  retries 1',
    '  option redispatch',
    '  retry-on conn-failure empty-response',
    'frontend service',
    `  bind 127.0.0.1:${port}`,
    '  default_backend instances',
    'backend instances',
    '  balance roundrobin',
    `  option httpchk GET ${path}`,
    `  http-check expect rstatus ^(${statusPattern(h.healthyStatusCodes.min, h.healthyStatusCodes.max)})$`,
    `  default-server check inter ${h.intervalSeconds}s fall ${h.unhealthyThreshold} rise ${h.healthyThreshold} observe layer4 error-limit 1 on-error mark-down`,
    ...options.servers.map((s, i) => `  server s${i + 1} ${s}`),
    'frontend stats',
    `  bind 127.0.0.1:${statsPort}`,
    '  stats enable',
    '  stats uri /stats',
    '',
  ].join('\n');
}

/** A regex alternation of the status codes min..max (e.g. 200..399 → `2[0-9][0-9]|3[0-9][0-9]`) when whole hundreds. */
function statusPattern(min: number, max: number): string {
  if (min % 100 !== 0 || max % 100 !== 99) return Array.from({ length: max - min + 1 }, (_, i) => String(min + i)).join('|');
  return Array.from({ length: (max + 1 - min) / 100 }, (_, i) => `${min / 100 + i}[0-9][0-9]`).join('|');
}

/** Starts HAProxy in front of `options.servers`. */
export async function startHaproxy(options: HaproxyOptions): Promise<Haproxy> {
  const binary = requireBinary('HAPROXY_BIN', ['haproxy'], HAPROXY_INSTALL_HINT);
  const dir = mkdtempSync(join(tmpdir(), 'gameday-haproxy-'));
  const port = await freePort();
  const statsPort = await freePort();
  writeFileSync(join(dir, 'haproxy.cfg'), haproxyConfig(options, port, statsPort));
  const process = new ManagedProcess('haproxy', binary, ['-db', '-f', join(dir, 'haproxy.cfg')], dir);
  const statsUrl = `http://127.0.0.1:${statsPort}/stats`;
  try {
    await process.waitReady(statsUrl);
  } catch (e) {
    await process.stop();
    throw e;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    process,
    servers: async () => {
      const csv = await (await fetch(`${statsUrl};csv`)).text();
      const [header, ...rows] = csv.replace(/^# /, '').trim().split('\n');
      const columns = header.split(',');
      const col = (name: string): number => columns.indexOf(name);
      return rows.map((r) => r.split(','))
        .filter((f) => f[col('pxname')] === 'instances' && f[col('svname')] !== 'BACKEND')
        .map((f) => ({ name: f[col('svname')], status: f[col('status')] }));
    },
    stop: () => process.stop(),
  };
}
