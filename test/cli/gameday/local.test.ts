/**
 * The game day's local stand-ins, on their own: a streaming replica that is promoted, a TCP proxy moved to another
 * server (the writer endpoint after a failover), and an interrupted game day leaving nothing running.
 */
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { PostgresReplica, PostgresServer } from '../../../cli/gameday/local/postgres';
import { startPostgres, startReplica } from '../../../cli/gameday/local/postgres';
import { startTcpProxy } from '../../../cli/gameday/local/tcp-proxy';
import { waitFor } from '../../../cli/gameday/local/net';

const ROOT = join(__dirname, '..', '..', '..');

function listening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

describe('a streaming replica and a movable endpoint', () => {
  let primary: PostgresServer;
  let replica: PostgresReplica;

  beforeAll(async () => {
    primary = await startPostgres({ settings: { synchronous_commit: 'on' } });
    await primary.sql('CREATE TABLE t (x int)', primary.database);
    replica = await startReplica(primary);
  });
  afterAll(async () => {
    await replica?.close();
    await primary?.close();
  });

  test('the replica follows the primary, refuses writes, and after promotion takes them; the proxy moves to it', async () => {
    const proxy = await startTcpProxy(primary);
    try {
      expect(proxy.target).toEqual(primary);
      await primary.sql('INSERT INTO t VALUES (1)', primary.database);
      await waitFor('the row on the replica', async () => ((await replica.sql('SELECT count(*) FROM t', replica.database)).trim() === '1' ? true : undefined), 10_000);
      expect(await replica.inRecovery()).toBe(true);
      await expect(replica.sql('INSERT INTO t VALUES (2)', replica.database)).rejects.toThrow('cannot execute INSERT in a read-only transaction');

      await primary.stop('immediate');
      await replica.promote();
      proxy.target = { host: replica.host, port: replica.port };
      expect(await replica.inRecovery()).toBe(false);
      await replica.sql('INSERT INTO t VALUES (2)', replica.database);
      expect((await replica.sql('SELECT count(*) FROM t', replica.database)).trim()).toBe('2');
      // New connections through the proxy reach the promoted server.
      expect(await listening(proxy.port)).toBe(true);
    } finally {
      await proxy.close();
    }
  });
});

describe('an interrupted game day', () => {
  test('Ctrl-C (SIGINT to the whole process group, as a terminal sends it) stops every server it started and exits 130', async () => {
    // As `npm run gameday` runs it (node with tsx's loader: no tsx parent process, whose signal relay SIGKILLs a child
    // that has not acknowledged the signal within 30 ms), in its own process group so the signal below reaches it as
    // a terminal's Ctrl-C reaches every process of the foreground group.
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'cli', 'gameday', 'main.ts'), '--report-dir', '/tmp/unused-gameday-report'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (c: Buffer) => { output += c.toString('utf8'); });
    child.stderr.on('data', (c: Buffer) => { output += c.toString('utf8'); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await waitFor('the game day to warm up', () => (output.includes('warming up') ? true : undefined), 120_000, 100);
    const ports = [...output.matchAll(/:(\d{4,5})\b/g)].map((m) => Number(m[1]));
    // primary, replica, writer/reader endpoint, redis, 3 instances, haproxy, prometheus, alertmanager
    expect(ports.length).toBeGreaterThanOrEqual(10);
    expect(await listening(ports[0])).toBe(true);
    process.kill(-(child.pid ?? 0), 'SIGINT');
    expect(await exited).toBe(130);
    // Servers killed at exit take a moment to let go of their ports on a busy machine.
    const open = async (): Promise<number[]> => {
      const still: number[] = [];
      for (const port of ports) if (await listening(port) || await listening(port, '127.0.0.2')) still.push(port);
      return still;
    };
    await waitFor('every port to close', async () => ((await open()).length === 0 ? true : undefined), 60_000, 500).catch(() => undefined);
    expect(await open()).toEqual([]);
    expect(output).toContain('interrupted: stopping everything');
  }, 180_000);
});
