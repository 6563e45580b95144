import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { checkEdge } from '../../../constructs/aws/release/edge-canary.canary';
import { REFERENCE_CRITICAL_PATHS } from '../../../constructs/core/release/critical-paths';

/** A local HTTP server stands in for CloudFront; Parameter Store is mocked (aws-sdk-client-mock). */
const ssm = mockClient(SSMClient);
let server: Server;
let edge: string;
let answers: Record<string, number>;

beforeAll(async () => {
  server = createServer((req, res) => { res.writeHead(answers[`${req.method} ${req.url}`] ?? 404).end(); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  edge = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  ssm.reset();
  answers = { 'GET /health': 200, 'GET /ready': 200, 'GET /items/1': 200, 'GET /items?popular': 200, 'POST /orders': 400 };
});

function deps(env: Record<string, string>) {
  const lines: string[] = [];
  const regions: string[] = [];
  return {
    lines, regions,
    deps: {
      env: { CRITICAL_PATHS: JSON.stringify(REFERENCE_CRITICAL_PATHS), ...env },
      ssmIn: (region: string) => { regions.push(region); return new SSMClient({ region }); },
      fetch: (url: string, init: { method: string; body?: string; headers: Record<string, string>; signal: AbortSignal }) => fetch(url, init),
      log: (line: string) => lines.push(line),
    },
  };
}

describe('the edge canary', () => {
  test('reads the edge URL from Parameter Store (us-east-1) at every run and calls each critical path', async () => {
    ssm.on(GetParameterCommand, { Name: '/checkout/edge/url' }).resolves({ Parameter: { Value: `${edge}/` } });
    const d = deps({ EDGE_URL_PARAMETER: '/checkout/edge/url', EDGE_URL_PARAMETER_REGION: 'us-east-1' });
    const results = await checkEdge(d.deps);
    expect(results.map((r) => [r.path, r.status, r.ok])).toEqual([
      ['liveness', 200, true], ['readiness', 200, true], ['item', 200, true], ['popular', 200, true], ['order-validation', 400, true],
    ]);
    expect(d.regions).toEqual(['us-east-1']);
  });

  test('a path that does not answer its status fails the run, naming it', async () => {
    answers['GET /items?popular'] = 502;
    const d = deps({ EDGE_URL: edge });
    await expect(checkEdge(d.deps)).rejects.toThrow('edge canary: popular answered 502 (expected 200)');
    expect(JSON.parse(d.lines[0]).results).toHaveLength(5);
  });

  test('before the edge is first deployed (no parameter yet) a run checks nothing and says so; any other error fails it', async () => {
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'missing', $metadata: {} }));
    const d = deps({ EDGE_URL_PARAMETER: '/checkout/edge/url', EDGE_URL_PARAMETER_REGION: 'us-east-1' });
    expect(await checkEdge(d.deps)).toEqual([]);
    expect(JSON.parse(d.lines[0])).toEqual({ edge: null, skipped: 'the edge is not deployed yet (/checkout/edge/url does not exist in us-east-1)' });
    ssm.reset();
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(checkEdge(d.deps)).rejects.toThrow("edge canary: the edge's URL (/checkout/edge/url in us-east-1) cannot be read (AccessDeniedException: denied)");
  });

  test('without paths or a URL source the run fails', async () => {
    await expect(checkEdge({ ...deps({ EDGE_URL: edge }).deps, env: { EDGE_URL: edge } })).rejects.toThrow('edge canary: CRITICAL_PATHS names no path');
    await expect(checkEdge(deps({}).deps)).rejects.toThrow('edge canary: neither EDGE_URL nor EDGE_URL_PARAMETER and EDGE_URL_PARAMETER_REGION are set');
  });
});
