/**
 * A real Redis server for tests and game days, from Debian's `redis-server` package: 127.0.0.1 on a free port,
 * TLS on (certificates made for the run), the default user disabled and one ACL user with a password (as an
 * ElastiCache RBAC user), no persistence. It can be stopped and started again on the same port (an outage: it comes
 * back empty, as a replaced cache node does), and is removed by `close()`, or at process exit if a test crashed.
 */
import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, onProcessExit } from './net';
import type { TestCertificates } from './tls';
import { createTestCertificates } from './tls';

export const REDIS_INSTALL_HINT = 'apt-get install -y redis-server';

export interface RedisOptions {
  /** TLS only (no plain port). Default true. */
  readonly tls?: boolean;
  /** The ACL user the clients use. Defaults: `app`, a random password. */
  readonly username?: string;
  readonly password?: string;
}

export interface RedisServer {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  /** The CA that signed the server certificate (undefined without TLS). */
  readonly certificates: TestCertificates | undefined;
  readonly running: boolean;
  /** Stops the server (SIGTERM, SIGKILL if it does not exit). */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty). */
  start(): Promise<void>;
  /** Runs one command with redis-cli as the ACL user; returns its output. */
  cli(...args: string[]): string;
  logs(): string;
  /** Stops the server and removes its directory. */
  close(): Promise<void>;
}

function redisBinary(): string {
  const binary = process.env.REDIS_SERVER_BIN ?? 'redis-server';
  try {
    execFileSync(binary, ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error(`${binary} not found (set REDIS_SERVER_BIN, or: ${REDIS_INSTALL_HINT})`);
  }
  return binary;
}

/** Starts a Redis server. Everything is removed again if it does not come up. */
export async function startRedis(options: RedisOptions = {}): Promise<RedisServer> {
  const binary = redisBinary();
  const tls = options.tls ?? true;
  const username = options.username ?? 'app';
  const password = options.password ?? `pw-${Math.random().toString(36).slice(2)}`;
  const dir = mkdtempSync(join(tmpdir(), 'test-redis-'));
  const port = await freePort();
  const certificates = tls ? createTestCertificates(dir, 'redis test') : undefined;
  const tail: string[] = [];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const args = [
    '--bind', '127.0.0.1',
    ...(certificates
      ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', certificates.certFile, '--tls-key-file', certificates.keyFile,
        '--tls-ca-cert-file', certificates.caFile, '--tls-auth-clients', 'no']
      : ['--port', String(port)]),
    '--dir', dir,
    '--save', '',
    '--appendonly', 'no',
    '--daemonize', 'no',
    '--loglevel', 'notice',
    '--user', 'default', 'off',
    '--user', username, 'on', `>${password}`, '~*', '&*', '+@all',
  ];

  const removeAtExit = onProcessExit(() => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (): Promise<void> => {
    if (child && child.exitCode === null && child.signalCode === null) return;
    const proc = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
    child = proc;
    exited = new Promise((resolve) => { proc.once('exit', () => resolve()); });
    await untilRedisReady(proc, tail, 'redis-server');
  };
  const stop = async (): Promise<void> => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  const cli = (...command: string[]): string => execFileSync('redis-cli', [
    '-h', '127.0.0.1', '-p', String(port), '--user', username, '--pass', password, '--no-auth-warning',
    ...(certificates ? ['--tls', '--cacert', certificates.caFile] : []),
    ...command,
  ], { encoding: 'utf8' }).trim();

  try {
    await start();
  } catch (e) {
    await stop();
    removeAtExit();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }

  return {
    host: '127.0.0.1',
    port,
    username,
    password,
    certificates,
    get running() { return child !== undefined && child.exitCode === null && child.signalCode === null; },
    stop,
    start,
    cli,
    logs: () => tail.join('\n'),
    close: async () => {
      await stop();
      removeAtExit();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Resolves once the redis-server `proc` logs "Ready to accept connections"; rejects (with the last lines of its log,
 * kept in `tail`) when it fails to start or exits first. `name` says which server in the error.
 */
export function untilRedisReady(proc: ChildProcess, tail: string[], name: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      out += text;
      tail.push(...text.split('\n').filter((l) => l !== ''));
      if (tail.length > 80) tail.splice(0, tail.length - 80);
      if (out.includes('Ready to accept connections')) resolve();
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.once('error', (e) => reject(new Error(`${name}: ${e.message}`)));
    proc.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready:\n${tail.join('\n')}`)));
  });
}
