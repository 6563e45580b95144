/**
 * A real PostgreSQL server for tests and game days, from Debian's `postgresql` package: a fresh cluster in a
 * temporary directory, listening on 127.0.0.1 on a free port, TLS on (certificates made for the run) and password
 * (SCRAM) authentication for one application role and database. It can be stopped and started again on the same
 * port and data (an outage), and is removed by `close()`, or at process exit if a test crashed first.
 *
 * PostgreSQL refuses to run as root: as root (this machine, CI) the server tools run as the `postgres` user that the
 * package creates, on a directory it owns.
 */
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, onProcessExit } from './net';
import type { TestCertificates } from './tls';
import { createTestCertificates } from './tls';

const run = promisify(execFile);

export const POSTGRES_INSTALL_HINT = 'apt-get install -y postgresql';

/** The directory of the PostgreSQL server binaries (PG_BIN, or the newest /usr/lib/postgresql/<version>/bin). */
export function postgresBinDir(): string {
  const fromEnv = process.env.PG_BIN;
  if (fromEnv) return fromEnv;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl'))).sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(`PostgreSQL server binaries not found under ${root} (set PG_BIN, or: ${POSTGRES_INSTALL_HINT})`);
  }
  return join(root, versions[0], 'bin');
}

export interface PostgresOptions {
  /** Application database and role (owner of the database). Defaults: `app`, `app`, a random password. */
  readonly database?: string;
  readonly user?: string;
  readonly password?: string;
  /** TLS on, and plain TCP connections refused by pg_hba. Default true. */
  readonly tls?: boolean;
  /** Extra server settings (`-c name=value`). */
  readonly settings?: Readonly<Record<string, string>>;
}

export interface PostgresServer {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
  /** The CA that signed the server certificate (undefined without TLS). */
  readonly certificates: TestCertificates | undefined;
  /** The cluster's data directory. */
  readonly dataDir: string;
  readonly running: boolean;
  /** Stops the server (an outage): `fast` ends sessions cleanly, `immediate` is a crash. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts it again, on the same port with the same data. */
  start(): Promise<void>;
  /** Runs SQL as the superuser over the Unix socket; returns psql's unaligned, tuples-only output. */
  sql(statement: string, database?: string): Promise<string>;
  /** The server log (for failure messages). */
  logs(): string;
  /** Stops the server and removes its directory. */
  close(): Promise<void>;
}

const asRoot = userInfo().uid === 0;

/** argv that runs a PostgreSQL tool as the `postgres` user when we are root, as ourselves otherwise. */
function asPostgres(binary: string, args: readonly string[]): [string, string[]] {
  return asRoot ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, [...args]];
}

function chownToPostgres(path: string): void {
  if (!asRoot) return;
  execFileSync('chown', ['-R', 'postgres:postgres', path]);
}

async function tool(binary: string, args: readonly string[]): Promise<string> {
  const [cmd, argv] = asPostgres(binary, args);
  try {
    const { stdout } = await run(cmd, argv, { maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${binary} ${args.join(' ')} failed: ${err.stderr || err.stdout || err.message}`);
  }
}

function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function quoteIdent(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

/** Starts a new PostgreSQL cluster. Everything is removed again if any step fails. */
export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const database = options.database ?? 'app';
  const user = options.user ?? 'app';
  const password = options.password ?? `pw-${Math.random().toString(36).slice(2)}`;
  const tls = options.tls ?? true;
  const base = mkdtempSync(join(tmpdir(), 'test-postgres-'));
  const dataDir = join(base, 'data');
  const socketDir = base;
  const logFile = join(base, 'postgres.log');
  const port = await freePort();
  let running = false;

  const pgCtl = (args: readonly string[]): Promise<string> => tool(join(bin, 'pg_ctl'), args);
  const removeAtExit = onProcessExit(() => {
    if (running) {
      const [cmd, argv] = asPostgres(join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      execFileSync(cmd, argv, { stdio: 'ignore' });
    }
    rmSync(base, { recursive: true, force: true });
  });
  const logs = (): string => (existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-60).join('\n') : '');

  const start = async (): Promise<void> => {
    try {
      await pgCtl(['-D', dataDir, '-l', logFile, '-w', '-t', '60', 'start']);
    } catch (e) {
      throw new Error(`${(e as Error).message}\n--- postgres log ---\n${logs()}`);
    }
    running = true;
  };
  const stop = async (mode: 'fast' | 'immediate' = 'fast'): Promise<void> => {
    if (!running) return;
    await pgCtl(['-D', dataDir, '-m', mode, '-w', '-t', '60', 'stop']);
    running = false;
  };
  const sql = (statement: string, db = 'postgres'): Promise<string> =>
    tool(join(bin, 'psql'), ['-h', socketDir, '-p', String(port), '-U', 'postgres', '-d', db, '-v', 'ON_ERROR_STOP=1', '-X', '-At', '-c', statement]);

  let certificates: TestCertificates | undefined;
  try {
    if (tls) {
      const certDir = join(base, 'certs');
      mkdirSync(certDir);
      certificates = createTestCertificates(certDir, 'postgres test');
    }
    chownToPostgres(base);
    await tool(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth-local=trust', '--auth-host=reject', '--no-locale', '-E', 'UTF8', '--no-sync']);
    const hba = [
      'local all all trust',
      ...(tls
        ? ['hostssl all all 127.0.0.1/32 scram-sha-256', 'hostssl replication all 127.0.0.1/32 scram-sha-256', 'hostnossl all all 127.0.0.1/32 reject']
        : ['host all all 127.0.0.1/32 scram-sha-256', 'host replication all 127.0.0.1/32 scram-sha-256']),
      '',
    ];
    writeFileSync(join(dataDir, 'pg_hba.conf'), hba.join('\n'));
    const settings: Record<string, string> = {
      listen_addresses: "'127.0.0.1'",
      port: String(port),
      unix_socket_directories: quoteLiteral(socketDir),
      max_connections: '100',
      shared_buffers: "'32MB'",
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      password_encryption: "'scram-sha-256'",
      log_min_messages: 'warning',
      ...(tls ? { ssl: 'on', ssl_cert_file: "'server.pem'", ssl_key_file: "'server.key'" } : {}),
      ...options.settings,
    };
    writeFileSync(join(dataDir, 'postgresql.auto.conf'), Object.entries(settings).map(([k, v]) => `${k} = ${v}`).join('\n') + '\n');
    if (certificates) {
      copyFileSync(certificates.certFile, join(dataDir, 'server.pem'));
      copyFileSync(certificates.keyFile, join(dataDir, 'server.key'));
      chmodSync(join(dataDir, 'server.key'), 0o600);
    }
    chownToPostgres(base);
    await start();
    await sql(`CREATE ROLE ${quoteIdent(user)} LOGIN PASSWORD ${quoteLiteral(password)}`);
    await sql(`CREATE DATABASE ${quoteIdent(database)} OWNER ${quoteIdent(user)}`);
  } catch (e) {
    if (running) await stop('immediate').catch(() => undefined);
    removeAtExit();
    rmSync(base, { recursive: true, force: true });
    throw e;
  }

  return {
    host: '127.0.0.1',
    port,
    database,
    user,
    password,
    certificates,
    dataDir,
    get running() { return running; },
    stop,
    start,
    sql,
    logs,
    close: async () => {
      await stop('fast').catch(() => stop('immediate'));
      removeAtExit();
      rmSync(base, { recursive: true, force: true });
    },
  };
}
