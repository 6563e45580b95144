import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { GetParameterCommand, GetParameterHistoryCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler, SMOKE_ATTEMPTS } from '../../../constructs/aws/release/release-hooks.handler';
import type { ErrorBudgetDetails, LifecycleHookEvent, SmokeDetails } from '../../../constructs/aws/release/release-hooks.handler';
import { REFERENCE_CRITICAL_PATHS } from '../../../constructs/core/release/critical-paths';

const cloudwatch = mockClient(CloudWatchClient);
const ssm = mockClient(SSMClient);
const NOW = new Date('2026-03-01T12:00:00Z');
const GATE: ErrorBudgetDetails = {
  check: 'error-budget', loadBalancer: 'app/checkout/123', target: 0.999, periodDays: 30,
  overrideParameter: '/checkout/release/budget-override', overrideRegion: 'eu-west-1',
};
const EXECUTION = { serviceArn: 'arn:aws:ecs:eu-west-1:111111111111:service/c/checkout', targetServiceRevisionArn: 'arn:aws:ecs:eu-west-1:111111111111:service-revision/c/checkout/2' };

/** The hooks, with CloudWatch answering `requests` and `failed` over the period (split over days). */
function hooks(traffic: { requests: number[]; target5xx: number[]; elb5xx?: number[] }) {
  cloudwatch.reset();
  ssm.reset();
  cloudwatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => Promise.resolve({
    MetricDataResults: (input.MetricDataQueries ?? []).map((q) => ({ Id: q.Id, Values: (traffic as Record<string, number[] | undefined>)[q.Id ?? ''] ?? [] })),
  }));
  const lines: Array<Record<string, unknown>> = [];
  const run = createHandler({
    cloudwatch: new CloudWatchClient({ region: 'eu-west-1' }),
    ssmIn: () => new SSMClient({ region: 'eu-west-1' }),
    fetch: (url, init) => fetch(url, init),
    now: () => NOW,
    log: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  return { run, lines };
}

const gate = (details: ErrorBudgetDetails = GATE): LifecycleHookEvent => ({ lifecycleStage: 'PRE_SCALE_UP', executionDetails: EXECUTION, hookDetails: details });
const override = (value: object | string, writtenAt: Date, user = 'arn:aws:iam::111111111111:user/alice'): void => {
  ssm.on(GetParameterCommand).resolves({ Parameter: { Value: typeof value === 'string' ? value : JSON.stringify(value) } });
  ssm.on(GetParameterHistoryCommand).resolves({ Parameters: [
    { Version: 1, LastModifiedUser: 'arn:aws:iam::111111111111:user/bob', LastModifiedDate: new Date('2026-01-01T00:00:00Z') },
    { Version: 2, LastModifiedUser: user, LastModifiedDate: writtenAt },
  ] });
};

describe('the error-budget gate (before the new revision scales up)', () => {
  test('budget left: the release goes ahead; the traffic over the SLO period is read from the load balancer, daily sums', async () => {
    const h = hooks({ requests: [500_000, 500_000], target5xx: [200, 100], elb5xx: [50] });
    expect(await h.run(gate())).toEqual({ hookStatus: 'SUCCEEDED' });
    const input = cloudwatch.commandCalls(GetMetricDataCommand)[0].args[0].input;
    expect(input.StartTime).toEqual(new Date('2026-01-30T12:00:00Z'));
    expect(input.MetricDataQueries?.map((q) => [q.Id, q.MetricStat?.Metric?.MetricName, q.MetricStat?.Period, q.MetricStat?.Stat])).toEqual([
      ['requests', 'RequestCount', 86400, 'Sum'], ['target5xx', 'HTTPCode_Target_5XX_Count', 86400, 'Sum'], ['elb5xx', 'HTTPCode_ELB_5XX_Count', 86400, 'Sum'],
    ]);
    expect(h.lines[0]).toMatchObject({ check: 'error-budget', decision: 'release', requests: 1_000_000, failed: 350, remaining: 0.65 });
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(0);
  });

  test('budget exhausted, no override: the release is refused (ECS rolls back before anything changed)', async () => {
    const h = hooks({ requests: [1_000_000], target5xx: [1500] });
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: 'not found', $metadata: {} }));
    expect(await h.run(gate())).toEqual({ hookStatus: 'FAILED' });
    expect(h.lines[0]).toMatchObject({
      decision: 'refused', why: 'the error budget is exhausted (150.0% spent over 30 days)',
      override: 'none (/checkout/release/budget-override in eu-west-1)',
    });
  });

  test('budget exhausted with a valid override: the release goes ahead, and who wrote it and why are logged', async () => {
    const h = hooks({ requests: [1_000_000], target5xx: [1500] });
    override({ reason: 'INC-42: the fix for the outage', expiresAt: '2026-03-01T18:00:00Z' }, new Date('2026-03-01T11:00:00Z'));
    expect(await h.run(gate())).toEqual({ hookStatus: 'SUCCEEDED' });
    expect(h.lines[0]).toMatchObject({
      decision: 'release-overridden', overriddenBy: 'arn:aws:iam::111111111111:user/alice', reason: 'INC-42: the fix for the outage',
      expiresAt: '2026-03-01T18:00:00.000Z', parameter: '/checkout/release/budget-override',
    });
  });

  test.each([
    [{ reason: 'INC-42: the fix', expiresAt: '2026-03-01T11:59:00Z' }, new Date('2026-03-01T10:00:00Z'), 'expired at 2026-03-01T11:59:00.000Z'],
    [{ reason: 'INC-42: the fix', expiresAt: '2026-03-03T12:00:00Z' }, new Date('2026-03-01T10:00:00Z'), 'expires more than 24 hours after it was written'],
    [{ reason: 'fix', expiresAt: '2026-03-01T13:00:00Z' }, new Date('2026-03-01T11:00:00Z'), 'has no reason of at least 10 characters'],
    ['yes', new Date('2026-03-01T11:00:00Z'), 'is not JSON'],
  ])('an override %j written %s is not taken: refused, and the log says why', async (value, writtenAt, problem) => {
    const h = hooks({ requests: [1000], target5xx: [10] });
    override(value, writtenAt);
    expect(await h.run(gate())).toEqual({ hookStatus: 'FAILED' });
    expect(String(h.lines[0].override)).toContain(problem);
  });

  test('no traffic over the period: the budget is whole', async () => {
    const h = hooks({ requests: [], target5xx: [] });
    expect(await h.run(gate())).toEqual({ hookStatus: 'SUCCEEDED' });
  });
});

describe('the smoke test (after each traffic shift, through the test listener)', () => {
  let server: Server;
  let answers: Record<string, number>;
  let seen: string[];
  let baseUrl: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(answers[`${req.method} ${req.url}`] ?? 404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    seen = [];
    answers = { 'GET /health': 200, 'GET /ready': 200, 'GET /items/1': 200, 'GET /items?popular': 200, 'POST /orders': 400 };
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const smoke = (attempt?: number): LifecycleHookEvent => ({
    lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT', executionDetails: EXECUTION,
    hookDetails: { check: 'smoke', baseUrl, paths: REFERENCE_CRITICAL_PATHS, ...(attempt ? { attempt } : {}) } satisfies SmokeDetails,
  });

  test('every critical path answers its status: the deployment continues', async () => {
    const h = hooks({ requests: [], target5xx: [] });
    expect(await h.run(smoke())).toEqual({ hookStatus: 'SUCCEEDED' });
    expect(seen.sort()).toEqual(['GET /health', 'GET /items/1', 'GET /items?popular', 'GET /ready', 'POST /orders']);
    expect(h.lines[0]).toMatchObject({ check: 'smoke', decision: 'passed', stage: 'POST_TEST_TRAFFIC_SHIFT', attempt: 1 });
  });

  test('a failing path is retried (IN_PROGRESS, 15 s later, the attempt carried in the hook details), then fails the deployment', async () => {
    answers['GET /items/1'] = 503;
    const h = hooks({ requests: [], target5xx: [] });
    const first = await h.run(smoke());
    expect(first).toEqual({ hookStatus: 'IN_PROGRESS', callBackDelay: 15, hookDetails: { check: 'smoke', baseUrl, paths: REFERENCE_CRITICAL_PATHS, attempt: 2 } });
    expect(await h.run(smoke(SMOKE_ATTEMPTS))).toEqual({ hookStatus: 'FAILED' });
    expect(h.lines[1]).toMatchObject({ decision: 'failed', why: 'item: 503 (expected 200)' });
  });

  test('an unreachable test listener fails the same way (no answer is not a pass)', async () => {
    const h = hooks({ requests: [], target5xx: [] });
    const result = await h.run({ ...smoke(SMOKE_ATTEMPTS), hookDetails: { check: 'smoke', baseUrl: 'http://127.0.0.1:1', paths: REFERENCE_CRITICAL_PATHS.slice(0, 1), attempt: SMOKE_ATTEMPTS } });
    expect(result).toEqual({ hookStatus: 'FAILED' });
    expect(String(h.lines[0].why)).toMatch(/^liveness: fetch failed \(expected 200\)$/);
  });
});

test('hook details naming no check fail closed', async () => {
  const h = hooks({ requests: [], target5xx: [] });
  expect(await h.run({ lifecycleStage: 'PRE_SCALE_UP' })).toEqual({ hookStatus: 'FAILED' });
  expect(h.lines[0]).toMatchObject({ decision: 'failed', why: 'hook details name no check (got undefined)' });
});
