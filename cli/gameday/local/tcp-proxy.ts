/**
 * A small TCP proxy for fault injection between a client and a real server: it forwards bytes both ways and can
 * delay what the server sends back (a slow database or cache), refuse new connections and cut open ones (a network
 * partition), and be pointed at another server (a failover behind a stable endpoint, as a database cluster's writer
endpoint moves to the promoted replica). TLS passes through untouched, so certificates are checked end to end.
 */
import type { Server, Socket } from 'node:net';
import { connect, createServer } from 'node:net';

export interface TcpProxy {
  readonly host: string;
  readonly port: number;
  /** Where new connections go; changing it leaves open connections alone (cut them to move everyone). */
  target: { host: string; port: number };
  /** Milliseconds added before each chunk the upstream sends reaches the client (order kept). 0 = none. */
  delayMs: number;
  /** While true, new connections are closed at once (the upstream is unreachable). */
  refuse: boolean;
  /** Open client connections. */
  readonly connections: number;
  /** Cuts every open connection (both sides). */
  cutConnections(): void;
  close(): Promise<void>;
}

/** Starts a proxy on `host` (default 127.0.0.1; a free port unless `port` is given) to `target`. */
export async function startTcpProxy(target: { host: string; port: number }, port = 0, host = '127.0.0.1'): Promise<TcpProxy> {
  const open = new Set<Socket>();
  const clients = new Set<Socket>();
  const state = { delayMs: 0, refuse: false, target };

  const server: Server = createServer((client) => {
    if (state.refuse) {
      client.destroy();
      return;
    }
    const upstream = connect(state.target.port, state.target.host);
    open.add(client);
    open.add(upstream);
    clients.add(client);
    // Chunks from upstream are released in order, each no earlier than its arrival plus the delay in force then.
    let releaseAt = 0;
    upstream.on('data', (chunk: Buffer) => {
      if (state.delayMs <= 0 && releaseAt <= Date.now()) {
        client.write(chunk);
        return;
      }
      releaseAt = Math.max(releaseAt, Date.now() + state.delayMs);
      setTimeout(() => { if (!client.destroyed) client.write(chunk); }, releaseAt - Date.now());
    });
    client.on('data', (chunk: Buffer) => { if (!upstream.destroyed) upstream.write(chunk); });
    const closeBoth = (): void => {
      // Let delayed chunks go out before the client side closes.
      const wait = Math.max(0, releaseAt - Date.now());
      setTimeout(() => client.destroy(), wait);
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    upstream.on('close', closeBoth);
    upstream.on('error', closeBoth);
    client.on('close', () => { upstream.destroy(); open.delete(client); open.delete(upstream); clients.delete(client); });
    client.on('error', () => upstream.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { server.off('error', reject); resolve(); });
  });
  const address = server.address();
  const listenPort = typeof address === 'object' && address !== null ? address.port : port;

  const cutConnections = (): void => {
    for (const s of open) s.destroy();
    open.clear();
    clients.clear();
  };

  return {
    host,
    port: listenPort,
    get target() { return state.target; },
    set target(t: { host: string; port: number }) { state.target = t; },
    get delayMs() { return state.delayMs; },
    set delayMs(ms: number) { state.delayMs = ms; },
    get refuse() { return state.refuse; },
    set refuse(v: boolean) { state.refuse = v; },
    get connections() { return clients.size; },
    cutConnections,
    close: () => new Promise<void>((resolve) => {
      cutConnections();
      server.close(() => resolve());
    }),
  };
}
