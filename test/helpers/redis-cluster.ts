/**
 * A real Redis Cluster for tests, from Debian's `redis-server` package, shaped like ElastiCache with cluster mode
 * enabled and in-transit encryption: 3 primaries (16384 slots split by `redis-cli --cluster create`), one replica
 * each by default, every node on 127.0.0.1 on free ports with TLS only (client port, cluster bus and replication),
 * the default user disabled and one ACL user with a password (the RBAC user, which replicas also use to sync), no
 * persistence, `cluster-require-full-coverage no` (ElastiCache's default: a shard without nodes does not stop the
 * others). Nodes can be stopped (SIGKILL is a node failure: its replica takes over after `cluster-node-timeout`)
 * and started again (it rejoins from its nodes.conf). Everything is removed by `close()`, or at process exit if a
 * test crashed.
 */
import type { ChildProcess } from 'node:child_process';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, onProcessExit, waitFor } from '../../cli/gameday/local/net';
import type { TestCertificates } from '../../cli/gameday/local/tls';
import { createTestCertificates } from '../../cli/gameday/local/tls';
import { untilRedisReady } from '../../cli/gameday/local/redis';

const run = promisify(execFile);

/** How to install what the cluster needs (redis-server and redis-cli) on Debian. */
export const REDIS_CLUSTER_INSTALL_HINT = 'apt-get install -y redis-server redis-tools';

/** Slots of a Redis Cluster (CLUSTER KEYSLOT is CRC16 of the key modulo this). */
export const CLUSTER_SLOTS = 16384;

/** Options of {@link startRedisCluster}. */
export interface RedisClusterOptions {
  /** Shards: primaries that split the slots. Default 3 (the minimum `redis-cli --cluster create` accepts). */
  readonly primaries?: number;
  /** Replicas of each primary. Default 1. */
  readonly replicasPerPrimary?: number;
  /** The ACL user the clients (and the replicas) use. Default `app`. */
  readonly username?: string;
  /** Its password. Default: a random one. */
  readonly password?: string;
  /** `cluster-node-timeout`: how long an unreachable node has before it is marked failed. Default 1000 ms. */
  readonly nodeTimeoutMs?: number;
}

/** One redis-server of the cluster. */
export interface RedisClusterNode {
  /** Its TLS client port. */
  readonly port: number;
  /** Its cluster bus port (`cluster-port`). */
  readonly busPort: number;
  /** Whether its process runs. */
  readonly running: boolean;
  /** Stops it: SIGTERM (a shutdown) or SIGKILL (a node failure). */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts it again on the same ports; it rejoins the cluster from its nodes.conf (empty: no persistence). */
  start(): Promise<void>;
  /** Runs one command on this node only (no redirection); returns its output. */
  cli(...args: string[]): string;
  /** The last lines of its log. */
  logs(): string;
}

/** A line of CLUSTER NODES, as a running node sees the cluster. */
export interface ClusterNodeView {
  /** The node id (40 hex digits). */
  readonly id: string;
  /** Its client port. */
  readonly port: number;
  /** `master` or `slave`, Redis' words for primary and replica. */
  readonly role: 'master' | 'slave';
  /** The id of the primary it replicates (replicas only). */
  readonly primaryId: string | undefined;
  /** Marked failed (`fail`) or suspected (`fail?`) by the node that answered. */
  readonly failing: boolean;
  /** Slot ranges it serves, inclusive. */
  readonly slots: ReadonlyArray<readonly [number, number]>;
}

/** A running Redis Cluster (see the file's header). */
export interface RedisCluster {
  /** 127.0.0.1: every node listens there. */
  readonly host: string;
  /** The port of the first node: the seed a client starts from (as the configuration endpoint is on ElastiCache). */
  readonly port: number;
  /** The ACL user (the RBAC user of ElastiCache) and its password. */
  readonly username: string;
  readonly password: string;
  /** The CA that signed the nodes' certificates. */
  readonly certificates: TestCertificates;
  /** Every node, in creation order (`--cluster create` made the first `primaries` of them primaries). */
  readonly nodes: readonly RedisClusterNode[];
  /** CLUSTER KEYSLOT of a key. */
  slotOf(key: string): number;
  /** The node serving the key's slot now (the primary, as the running nodes see it). */
  primaryOf(key: string): RedisClusterNode;
  /** The nodes that serve slots now (primaries not marked failed), by port. */
  primaries(): RedisClusterNode[];
  /** The replicas of a primary, as the running nodes see the cluster. */
  replicasOf(primary: RedisClusterNode): RedisClusterNode[];
  /** The cluster as a running node sees it (CLUSTER NODES). */
  view(): ClusterNodeView[];
  /**
   * Waits until every running node reports `cluster_state:ok`, sees every slot served by a running primary not
   * marked failed (after a failure: the failover is done), and every running replica's link to its primary is up.
   */
  waitUntilHealthy(what?: string): Promise<void>;
  /** FLUSHALL on every running primary. */
  flushAll(): void;
  /** Runs one command with redirections followed (`redis-cli -c`) through a running node; returns its output. */
  cli(...args: string[]): string;
  /** Stops every node and removes the directory. */
  close(): Promise<void>;
}

function requireBinaries(): void {
  for (const binary of ['redis-server', 'redis-cli']) {
    try {
      execFileSync(binary, ['--version'], { stdio: 'ignore' });
    } catch {
      throw new Error(`${binary} not found (${REDIS_CLUSTER_INSTALL_HINT})`);
    }
  }
}

/**
 * The cluster bus and replication authenticate both ends with certificates (whatever `tls-auth-clients` says), so
 * the nodes need a client certificate (extendedKeyUsage clientAuth), signed by the test CA of `dir`.
 */
function createBusCertificate(dir: string): { certFile: string; keyFile: string } {
  if (!existsSync(join(dir, 'ca.key'))) throw new Error(`redis cluster: the test CA's key is not in ${dir} (cli/gameday/local/tls.ts writes ca.key there)`);
  const openssl = (args: readonly string[]): void => {
    try {
      execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      const err = e as { stderr?: Buffer; message: string };
      throw new Error(`openssl ${args[0]} failed: ${err.stderr?.toString() ?? err.message} (needs the openssl package)`);
    }
  };
  writeFileSync(join(dir, 'bus.ext'), 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n');
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'bus.key']);
  openssl(['req', '-new', '-key', 'bus.key', '-subj', '/CN=redis cluster node', '-out', 'bus.csr']);
  openssl(['x509', '-req', '-in', 'bus.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-sha256',
    '-extfile', 'bus.ext', '-out', 'bus.pem']);
  return { certFile: join(dir, 'bus.pem'), keyFile: join(dir, 'bus.key') };
}

/** `count` distinct free ports. */
async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/** Parses CLUSTER NODES. */
export function parseClusterNodes(text: string): ClusterNodeView[] {
  return text.split('\n').filter((l) => l.trim() !== '').map((line) => {
    const [id, address, flags, primaryId, , , , , ...slots] = line.trim().split(' ');
    const flagList = flags.split(',');
    return {
      id,
      port: Number(/:(\d+)@/.exec(address)?.[1]),
      role: flagList.includes('master') ? 'master' : 'slave',
      primaryId: primaryId === '-' ? undefined : primaryId,
      failing: flagList.includes('fail') || flagList.includes('fail?'),
      slots: slots.filter((s) => /^\d+(-\d+)?$/.test(s)).map((s) => {
        const [from, to] = s.split('-').map(Number);
        return [from, to ?? from] as const;
      }),
    };
  });
}

interface NodeProcess extends RedisClusterNode {
  kill(): void;
}

function startNodeProcess(dir: string, port: number, busPort: number, args: readonly string[],
  cliArgs: readonly string[]): NodeProcess {
  const tail: string[] = [];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const running = (): boolean => child !== undefined && child.exitCode === null && child.signalCode === null;
  const start = async (): Promise<void> => {
    if (running()) return;
    const proc = spawn('redis-server', [...args, '--tls-port', String(port), '--cluster-port', String(busPort)], {
      stdio: ['ignore', 'pipe', 'pipe'], cwd: dir,
    });
    child = proc;
    exited = new Promise((resolve) => { proc.once('exit', () => resolve()); });
    await untilRedisReady(proc, tail, `redis-server (cluster node ${port})`);
  };
  const stop = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> => {
    const proc = child;
    if (!proc || !running()) return;
    proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  return {
    port,
    busPort,
    get running() { return running(); },
    start,
    stop,
    kill: () => { child?.kill('SIGKILL'); },
    cli: (...command: string[]) => execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...cliArgs, ...command], { encoding: 'utf8' }).trim(),
    logs: () => tail.join('\n'),
  };
}

/** Starts the nodes and creates the cluster; everything is removed again if it does not come up. */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  requireBinaries();
  const primaries = options.primaries ?? 3;
  const replicas = options.replicasPerPrimary ?? 1;
  const username = options.username ?? 'app';
  const password = options.password ?? `pw-${Math.random().toString(36).slice(2)}`;
  const nodeTimeoutMs = options.nodeTimeoutMs ?? 1000;
  const count = primaries * (1 + replicas);
  const dir = mkdtempSync(join(tmpdir(), 'test-redis-cluster-'));
  const nodes: NodeProcess[] = [];
  const removeAtExit = onProcessExit(() => {
    for (const node of nodes) node.kill();
    rmSync(dir, { recursive: true, force: true });
  });
  const close = async (): Promise<void> => {
    await Promise.all(nodes.map((n) => n.stop()));
    removeAtExit();
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const certificates = createTestCertificates(dir, 'redis cluster test');
    const bus = createBusCertificate(dir);
    const cliArgs = ['--user', username, '--pass', password, '--no-auth-warning', '--tls', '--cacert', certificates.caFile];
    const args = [
      '--bind', '127.0.0.1', '--port', '0',
      '--tls-cert-file', certificates.certFile, '--tls-key-file', certificates.keyFile, '--tls-ca-cert-file', certificates.caFile,
      '--tls-client-cert-file', bus.certFile, '--tls-client-key-file', bus.keyFile,
      '--tls-auth-clients', 'no', '--tls-cluster', 'yes', '--tls-replication', 'yes',
      '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', String(nodeTimeoutMs),
      '--cluster-require-full-coverage', 'no',
      '--save', '', '--appendonly', 'no', '--repl-diskless-sync-delay', '0', '--daemonize', 'no', '--loglevel', 'notice',
      '--user', 'default', 'off',
      '--user', username, 'on', `>${password}`, '~*', '&*', '+@all',
      '--masteruser', username, '--masterauth', password,
    ];
    const ports = await freePorts(2 * count);
    for (let i = 0; i < count; i++) {
      const nodeDir = join(dir, `node-${i + 1}`);
      mkdirSync(nodeDir);
      nodes.push(startNodeProcess(nodeDir, ports[2 * i], ports[2 * i + 1], [...args, '--dir', nodeDir], cliArgs));
    }
    await Promise.all(nodes.map((n) => n.start()));
    try {
      await run('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', String(replicas),
        '--cluster-yes', ...cliArgs], { timeout: 60_000 });
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string; message: string };
      throw new Error(`redis-cli --cluster create failed: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
    }

    const anyRunning = (): NodeProcess => {
      const node = nodes.find((n) => n.running);
      if (!node) throw new Error('redis cluster: no node is running');
      return node;
    };
    const view = (): ClusterNodeView[] => parseClusterNodes(anyRunning().cli('CLUSTER', 'NODES'));
    const byPort = (port: number): NodeProcess => {
      const node = nodes.find((n) => n.port === port);
      if (!node) throw new Error(`redis cluster: no node on port ${port}`);
      return node;
    };
    const slotOf = (key: string): number => Number(anyRunning().cli('CLUSTER', 'KEYSLOT', key));
    const healthy = (): true | undefined => {
      for (const node of nodes.filter((n) => n.running)) {
        if (!/^cluster_state:ok$/m.test(node.cli('CLUSTER', 'INFO'))) return undefined;
        const served = parseClusterNodes(node.cli('CLUSTER', 'NODES'))
          .filter((v) => v.role === 'master' && !v.failing && byPort(v.port).running)
          .reduce((sum, v) => sum + v.slots.reduce((s, [from, to]) => s + to - from + 1, 0), 0);
        if (served !== CLUSTER_SLOTS) return undefined;
        const replication = node.cli('INFO', 'replication');
        if (/^role:slave$/m.test(replication) && !/^master_link_status:up$/m.test(replication)) return undefined;
      }
      return true;
    };
    const cluster: RedisCluster = {
      host: '127.0.0.1',
      port: nodes[0].port,
      username,
      password,
      certificates,
      nodes,
      slotOf,
      primaryOf: (key) => {
        const slot = slotOf(key);
        const owner = view().find((v) => v.role === 'master' && v.slots.some(([from, to]) => slot >= from && slot <= to));
        if (!owner) throw new Error(`redis cluster: no primary serves slot ${slot} (key ${key})`);
        return byPort(owner.port);
      },
      primaries: () => view().filter((v) => v.role === 'master' && !v.failing && v.slots.length > 0)
        .sort((a, b) => a.port - b.port).map((v) => byPort(v.port)),
      replicasOf: (primary) => {
        const all = view();
        const id = all.find((v) => v.port === primary.port)?.id;
        return all.filter((v) => v.role === 'slave' && v.primaryId === id).map((v) => byPort(v.port));
      },
      view,
      waitUntilHealthy: async (what = 'the redis cluster to be healthy') => { await waitFor(what, healthy, 30_000, 100); },
      flushAll: () => {
        for (const node of cluster.primaries()) if (node.running) node.cli('FLUSHALL');
      },
      cli: (...command) => anyRunning().cli('-c', ...command),
      close,
    };
    await cluster.waitUntilHealthy('the new redis cluster to be healthy');
    return cluster;
  } catch (e) {
    await close();
    throw e;
  }
}
