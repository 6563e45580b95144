/**
 * A real PostgreSQL server (and streaming replicas of it) for tests and game days, from Debian's `postgresql` package: a fresh cluster in a
 * temporary directory, listening on 127.0.0.1 on a free port, TLS on (certificates made for the run) and password
 * (SCRAM) authentication for one application role and database. It can be stopped and started again on the same
 * port and data (an outage), and is removed by `close()`, or at process exit if a test crashed first.
 *
 * PostgreSQL refuses to run as root: as root (this machine, CI) the server tools run as the `postgres` user that the
 * package creates, on a directory it owns.
 */
import { execFile, execFileSync } from 'node:child_process';
import { appendFileSync, copyFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** The server-side lifecycle of one cluster directory: start, stop, SQL over the socket, logs, removal. */
interface Cluster {
  readonly running: boolean;
  start(): Promise<void>;
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  sql(statement: string, database?: string): Promise<string>;
  logs(): string;
  /** Stops the server (if running) and removes its directory. */
  close(): Promise<void>;
}

function cluster(bin: string, base: string, port: number): Cluster {
  const dataDir = join(base, 'data');
  const logFile = join(base, 'postgres.log');
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
  const stop = async (mode: 'fast' | 'immediate' = 'fast'): Promise<void> => {
    if (!running) return;
    await pgCtl(['-D', dataDir, '-m', mode, '-w', '-t', '60', 'stop']);
    running = false;
  };
  return {
    get running() { return running; },
    start: async () => {
      try {
        await pgCtl(['-D', dataDir, '-l', logFile, '-w', '-t', '60', 'start']);
      } catch (e) {
        throw new Error(`${(e as Error).message}\n--- postgres log ---\n${logs()}`);
      }
      running = true;
    },
    stop,
    sql: (statement, db = 'postgres') =>
      tool(join(bin, 'psql'), ['-h', base, '-p', String(port), '-U', 'postgres', '-d', db, '-v', 'ON_ERROR_STOP=1', '-X', '-At', '-c', statement]),
    logs,
    close: async () => {
      await stop('fast').catch(() => stop('immediate')).catch(() => undefined);
      removeAtExit();
      rmSync(base, { recursive: true, force: true });
    },
  };
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
  const port = await freePort();
  const server = cluster(bin, base, port);

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
      unix_socket_directories: quoteLiteral(base),
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
    await server.start();
    await server.sql(`CREATE ROLE ${quoteIdent(user)} LOGIN PASSWORD ${quoteLiteral(password)}`);
    await server.sql(`CREATE DATABASE ${quoteIdent(database)} OWNER ${quoteIdent(user)}`);
  } catch (e) {
    if (server.running) await server.stop('immediate').catch(() => undefined);
    await server.close();
    throw e;
  }

  return {
    host: '127.0.0.1', port, database, user, password, certificates, dataDir,
    get running() { return server.running; },
    stop: server.stop, start: server.start, sql: server.sql, logs: server.logs, close: server.close,
  };
}

/** A streaming replica: a {@link PostgresServer} that can be promoted to a primary. */
export interface PostgresReplica extends PostgresServer {
  /** Ends recovery: the replica becomes a primary that accepts writes (`pg_ctl promote`, waits until done). */
  promote(): Promise<void>;
  /** Whether the server is still in recovery (a replica), per `pg_is_in_recovery()`. */
  inRecovery(): Promise<boolean>;
}

/**
 * Starts a hot-standby streaming replica of `primary` (`pg_basebackup -R` over TLS as a replication role made for
 * it; asynchronous, like an RDS read replica or an Aurora Global Database secondary) on its own free port, with the
 * primary's roles, data and certificates. Reads work at once; {@link PostgresReplica.promote} makes it the primary.
 */
export async function startReplica(primary: PostgresServer): Promise<PostgresReplica> {
  const bin = postgresBinDir();
  const base = mkdtempSync(join(tmpdir(), 'test-postgres-replica-'));
  const dataDir = join(base, 'data');
  const port = await freePort();
  const server = cluster(bin, base, port);
  const role = `replicator_${port}`;
  const secret = `pw-${Math.random().toString(36).slice(2)}`;
  try {
    await primary.sql(`CREATE ROLE ${quoteIdent(role)} REPLICATION LOGIN PASSWORD ${quoteLiteral(secret)}`);
    chownToPostgres(base);
    const conninfo = [`host=${primary.host}`, `port=${primary.port}`, `user=${role}`, `password=${secret}`,
      `sslmode=${primary.certificates ? 'require' : 'disable'}`].join(' ');
    await tool(join(bin, 'pg_basebackup'), ['-D', dataDir, '-d', conninfo, '-R', '-X', 'stream', '--no-sync', '-c', 'fast']);
    // The copied settings are the primary's: this one listens on its own port and socket directory (later lines win).
    appendFileSync(join(dataDir, 'postgresql.auto.conf'), `port = ${port}\nunix_socket_directories = ${quoteLiteral(base)}\nhot_standby = on\n`);
    chownToPostgres(base);
    await server.start();
  } catch (e) {
    await server.close();
    throw e;
  }
  const inRecovery = async (): Promise<boolean> => (await server.sql('SELECT pg_is_in_recovery()')).trim() === 't';
  return {
    host: '127.0.0.1', port, database: primary.database, user: primary.user, password: primary.password,
    certificates: primary.certificates, dataDir,
    get running() { return server.running; },
    stop: server.stop, start: server.start, sql: server.sql, logs: server.logs, close: server.close,
    inRecovery,
    promote: async () => {
      await tool(join(bin, 'pg_ctl'), ['-D', dataDir, '-w', '-t', '60', 'promote']);
    },
  };
}
