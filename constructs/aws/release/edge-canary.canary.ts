/**
 * The edge canary's script (CloudWatch Synthetics, bundled by esbuild with its AWS SDK client): calls each critical
 * path of the service over HTTPS through CloudFront, the way users reach it, and fails the run (throws) when one does
 * not answer its status. The edge's URL is `EDGE_URL`, or read at every run from Parameter Store (`EDGE_URL_PARAMETER`
 * in `EDGE_URL_PARAMETER_REGION`, written by the stack that owns the distribution), so a canary deployed before the
 * edge finds it once it exists: until the parameter first exists a run checks nothing and says so in its log.
 */
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import type { CriticalPath } from '../../core/release/critical-paths';
import type { FetchInit } from './release-hooks.handler';

/** The outcome of one path. */
export interface PathResult {
  readonly path: string;
  readonly status: number;
  readonly expected: number;
  readonly ok: boolean;
  readonly error?: string;
}

/** Dependencies of {@link checkEdge}. */
export interface EdgeCheckDependencies {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly ssmIn: (region: string) => SSMClient;
  readonly fetch: (url: string, init: FetchInit) => Promise<{ status: number }>;
  readonly log: (line: string) => void;
}

const CALL_TIMEOUT_MS = 10_000;

/** The edge URL the paths are called under; undefined while the edge has never been deployed (no parameter yet). */
async function edgeUrl(deps: EdgeCheckDependencies): Promise<string | undefined> {
  const { env } = deps;
  if (env.EDGE_URL) return env.EDGE_URL;
  const name = env.EDGE_URL_PARAMETER;
  const region = env.EDGE_URL_PARAMETER_REGION;
  if (!name || !region) throw new Error('edge canary: neither EDGE_URL nor EDGE_URL_PARAMETER and EDGE_URL_PARAMETER_REGION are set');
  try {
    const value = (await deps.ssmIn(region).send(new GetParameterCommand({ Name: name }))).Parameter?.Value;
    if (!value) throw new Error('empty');
    return value;
  } catch (e) {
    // Before the edge's first deployment (the platform deploys it last) there is nothing to check yet; the parameter
    // outlives the edge stack (retained), so a deleted edge is still called, and fails.
    if (e instanceof ParameterNotFound) return undefined;
    throw new Error(`edge canary: the edge's URL (${name} in ${region}) cannot be read (${(e as Error).name}: ${(e as Error).message})`);
  }
}

/** Calls every critical path once; throws (a failed run) naming each path that did not answer its status. */
export async function checkEdge(deps: EdgeCheckDependencies): Promise<PathResult[]> {
  const paths = JSON.parse(deps.env.CRITICAL_PATHS ?? '[]') as CriticalPath[];
  if (paths.length === 0) throw new Error('edge canary: CRITICAL_PATHS names no path');
  const url = await edgeUrl(deps);
  if (url === undefined) {
    deps.log(JSON.stringify({ edge: null, skipped: `the edge is not deployed yet (${deps.env.EDGE_URL_PARAMETER} does not exist in ${deps.env.EDGE_URL_PARAMETER_REGION})` }));
    return [];
  }
  const base = url.replace(/\/$/, '');
  const results: PathResult[] = [];
  for (const p of paths) {
    try {
      const res = await deps.fetch(`${base}${p.path}`, {
        method: p.method, body: p.body, headers: { 'user-agent': 'platform-edge-canary', ...(p.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      });
      results.push({ path: p.name, status: res.status, expected: p.expectStatus, ok: res.status === p.expectStatus });
    } catch (e) {
      results.push({ path: p.name, status: 0, expected: p.expectStatus, ok: false, error: (e as Error).message });
    }
  }
  deps.log(JSON.stringify({ edge: base, results }));
  const failed = results.filter((r) => !r.ok);
  if (failed.length > 0) {
    throw new Error(`edge canary: ${failed.map((r) => `${r.path} answered ${r.status || r.error} (expected ${r.expected})`).join('; ')}`);
  }
  return results;
}

/** The canary's entry point (`index.handler`). */
export async function handler(): Promise<PathResult[]> {
  const clients = new Map<string, SSMClient>();
  return checkEdge({
    env: process.env,
    ssmIn: (region) => {
      let c = clients.get(region);
      if (!c) clients.set(region, c = new SSMClient({ region }));
      return c;
    },
    fetch: (url, init) => fetch(url, init),
    log: (line) => console.log(line),
  });
}
