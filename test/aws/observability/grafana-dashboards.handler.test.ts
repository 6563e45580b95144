import {
  CreateWorkspaceServiceAccountCommand, CreateWorkspaceServiceAccountTokenCommand, DeleteWorkspaceServiceAccountCommand,
  DeleteWorkspaceServiceAccountTokenCommand, GrafanaClient, ListWorkspaceServiceAccountsCommand, ResourceNotFoundException,
} from '@aws-sdk/client-grafana';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createHandler, handler, TOKEN_SECONDS_TO_LIVE } from '../../../constructs/aws/observability/grafana-dashboards.handler';
import type { GrafanaDashboardsProperties } from '../../../constructs/aws/observability/grafana-dashboards.handler';

const WORKSPACE = 'g-0123456789';
const ENDPOINT = `${WORKSPACE}.grafana-workspace.eu-west-1.amazonaws.com`;
const KEY = 'glsa_secret_token_value';
const grafana = mockClient(GrafanaClient);

function properties(dashboards: Record<string, object>, overrides: Partial<GrafanaDashboardsProperties> = {}): GrafanaDashboardsProperties {
  return {
    WorkspaceId: WORKSPACE, WorkspaceEndpoint: ENDPOINT, ServiceAccountName: 'cfn-TestDashboards1234',
    Dashboards: JSON.stringify(dashboards), DashboardsHash: 'abcdef0123456789', ...overrides,
  };
}

const base = { ServiceToken: 'arn:aws:lambda:eu-west-1:111111111111:function:provider', ResponseURL: 'https://example.com', StackId: 'stack', RequestId: 'req-1', LogicalResourceId: 'Dashboards', ResourceType: 'Custom::GrafanaDashboards' };
const create = (p: GrafanaDashboardsProperties): CloudFormationCustomResourceEvent => ({ ...base, RequestType: 'Create', ResourceProperties: { ...p, ServiceToken: base.ServiceToken } });
const update = (p: GrafanaDashboardsProperties, old: GrafanaDashboardsProperties): CloudFormationCustomResourceEvent => ({
  ...base, RequestType: 'Update', PhysicalResourceId: `grafana-dashboards:${WORKSPACE}`,
  ResourceProperties: { ...p, ServiceToken: base.ServiceToken }, OldResourceProperties: { ...old, ServiceToken: base.ServiceToken },
});
const del = (p: GrafanaDashboardsProperties): CloudFormationCustomResourceEvent => ({
  ...base, RequestType: 'Delete', PhysicalResourceId: `grafana-dashboards:${WORKSPACE}`, ResourceProperties: { ...p, ServiceToken: base.ServiceToken },
});

interface Call { readonly method: string; readonly url: string; readonly auth: string; readonly body: unknown }

/** A fetch stub answering from a queue of statuses (then 200), recording every call. */
function stubFetch(statuses: Array<number | Error> = [], headers: Record<string, string> = {}): { fetch: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const queue = [...statuses];
  const fn = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const h = init?.headers as Record<string, string>;
    calls.push({ method: init?.method ?? 'GET', url: String(input), auth: h.Authorization, body: init?.body ? JSON.parse(String(init.body)) : undefined });
    const next = queue.shift() ?? 200;
    if (next instanceof Error) throw next;
    return new Response(next === 200 ? '{"status":"success"}' : `{"message":"status ${next}"}`, { status: next, headers });
  };
  return { fetch: fn as typeof fetch, calls };
}

function setup(statuses: Array<number | Error> = [], headers: Record<string, string> = {}) {
  const stub = stubFetch(statuses, headers);
  const sleeps: number[] = [];
  const lines: string[] = [];
  const onEvent = createHandler({
    grafana: new GrafanaClient({ region: 'eu-west-1' }),
    fetch: stub.fetch,
    retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 },
    sleep: async (ms) => { sleeps.push(ms); },
    log: (l) => lines.push(l),
  });
  return { onEvent, calls: stub.calls, sleeps, lines };
}

beforeEach(() => {
  grafana.reset();
  grafana.on(ListWorkspaceServiceAccountsCommand).resolves({ workspaceId: WORKSPACE, serviceAccounts: [] });
  grafana.on(CreateWorkspaceServiceAccountCommand).resolves({ id: 'sa-1', name: 'cfn-TestDashboards1234', grafanaRole: 'EDITOR', workspaceId: WORKSPACE });
  grafana.on(CreateWorkspaceServiceAccountTokenCommand).resolves({ serviceAccountId: 'sa-1', workspaceId: WORKSPACE, serviceAccountToken: { id: 'tok-1', name: 'cfn-req-1', key: KEY } });
  grafana.on(DeleteWorkspaceServiceAccountTokenCommand).resolves({ tokenId: 'tok-1', serviceAccountId: 'sa-1', workspaceId: WORKSPACE });
  grafana.on(DeleteWorkspaceServiceAccountCommand).resolves({ serviceAccountId: 'sa-1', workspaceId: WORKSPACE });
});

describe('create and update', () => {
  test('create: makes the service account, a short-lived token, posts every dashboard with overwrite, deletes the token', async () => {
    // GIVEN two dashboards and no service account yet
    const { onEvent, calls } = setup();
    // WHEN the resource is created
    const res = await onEvent(create(properties({ b: { title: 'B', id: 7 }, a: { title: 'A' } })));
    // THEN
    expect(grafana.commandCalls(CreateWorkspaceServiceAccountCommand)[0].args[0].input).toEqual({
      workspaceId: WORKSPACE, name: 'cfn-TestDashboards1234', grafanaRole: 'EDITOR',
    });
    expect(grafana.commandCalls(CreateWorkspaceServiceAccountTokenCommand)[0].args[0].input).toEqual({
      workspaceId: WORKSPACE, serviceAccountId: 'sa-1', name: 'cfn-req-1', secondsToLive: TOKEN_SECONDS_TO_LIVE,
    });
    expect(calls.map((c) => [c.method, c.url])).toEqual([
      ['POST', `https://${ENDPOINT}/api/dashboards/db`],
      ['POST', `https://${ENDPOINT}/api/dashboards/db`],
    ]);
    expect(calls.map((c) => c.body)).toEqual([
      { dashboard: { title: 'A', uid: 'a', id: null }, overwrite: true, message: 'platform-stacks: CloudFormation Create abcdef012345' },
      { dashboard: { title: 'B', uid: 'b', id: null }, overwrite: true, message: 'platform-stacks: CloudFormation Create abcdef012345' },
    ]);
    expect(calls.every((c) => c.auth === `Bearer ${KEY}`)).toBe(true);
    expect(grafana.commandCalls(DeleteWorkspaceServiceAccountTokenCommand)[0].args[0].input).toEqual({
      workspaceId: WORKSPACE, serviceAccountId: 'sa-1', tokenId: 'tok-1',
    });
    expect(res).toEqual({ PhysicalResourceId: `grafana-dashboards:${WORKSPACE}`, Data: { DashboardUids: 'a,b' } });
  });

  test('update: reuses the service account and deletes the dashboards no longer declared', async () => {
    grafana.on(ListWorkspaceServiceAccountsCommand).resolves({ workspaceId: WORKSPACE, serviceAccounts: [{ id: 'sa-1', name: 'cfn-TestDashboards1234', isDisabled: 'false', grafanaRole: 'EDITOR' }] });
    const { onEvent, calls } = setup([200, 404]);
    await onEvent(update(properties({ a: { title: 'A2' } }), properties({ a: { title: 'A' }, gone: { title: 'Gone' } })));
    expect(grafana.commandCalls(CreateWorkspaceServiceAccountCommand)).toHaveLength(0);
    expect(calls.map((c) => c.method)).toEqual(['POST', 'DELETE']);
    expect(calls[1].url).toBe(`https://${ENDPOINT}/api/dashboards/uid/gone`);
    expect(grafana.commandCalls(DeleteWorkspaceServiceAccountTokenCommand)).toHaveLength(1);
  });

  test('an endpoint given as URL is used as is', async () => {
    const { onEvent, calls } = setup();
    await onEvent(create(properties({ a: { title: 'A' } }, { WorkspaceEndpoint: `https://${ENDPOINT}/` })));
    expect(calls[0].url).toBe(`https://${ENDPOINT}/api/dashboards/db`);
  });
});

describe('retries', () => {
  test('429 then success: retried after Retry-After, succeeds', async () => {
    const { onEvent, calls, sleeps } = setup([429], { 'Retry-After': '1' });
    await onEvent(create(properties({ a: { title: 'A' } })));
    expect(calls).toHaveLength(2);
    expect(sleeps).toEqual([1_000]);
    expect(grafana.commandCalls(DeleteWorkspaceServiceAccountTokenCommand)).toHaveLength(1);
  });

  test('network error and 502 are retried with growing, bounded backoff', async () => {
    const { onEvent, calls, sleeps } = setup([new TypeError('fetch failed'), 502]);
    await onEvent(create(properties({ a: { title: 'A' } })));
    expect(calls).toHaveLength(3);
    expect(sleeps[0]).toBeGreaterThanOrEqual(50);
    expect(sleeps[0]).toBeLessThanOrEqual(100);
    expect(sleeps[1]).toBeGreaterThanOrEqual(100);
    expect(sleeps[1]).toBeLessThanOrEqual(200);
  });

  test('persistent 5xx fails after maxAttempts with a clear error, and the token is still deleted', async () => {
    const { onEvent, calls, lines } = setup([503, 503, 503, 503]);
    await expect(onEvent(create(properties({ a: { title: 'A' } })))).rejects.toThrow(
      'Grafana POST /api/dashboards/db failed after 4 attempts: HTTP 503: {"message":"status 503"}');
    expect(calls).toHaveLength(4);
    expect(grafana.commandCalls(DeleteWorkspaceServiceAccountTokenCommand)).toHaveLength(1);
    expect(lines.join('\n')).not.toContain(KEY);
  });

  test('a 4xx other than 429 is not retried', async () => {
    const { onEvent, calls } = setup([400]);
    await expect(onEvent(create(properties({ a: { title: 'A' } })))).rejects.toThrow('Grafana POST /api/dashboards/db failed: HTTP 400: {"message":"status 400"}');
    expect(calls).toHaveLength(1);
  });

  test('a token that cannot be deleted is logged, not raised (it expires by itself)', async () => {
    grafana.on(DeleteWorkspaceServiceAccountTokenCommand).rejects(new Error('throttled'));
    const { onEvent, lines } = setup();
    await expect(onEvent(create(properties({ a: { title: 'A' } })))).resolves.toMatchObject({ PhysicalResourceId: `grafana-dashboards:${WORKSPACE}` });
    expect(lines.some((l) => l.includes('could not delete the service account token'))).toBe(true);
  });
});

describe('delete', () => {
  test('deletes every dashboard (404 counts as deleted), then the service account', async () => {
    grafana.on(ListWorkspaceServiceAccountsCommand).resolves({ workspaceId: WORKSPACE, serviceAccounts: [{ id: 'sa-1', name: 'cfn-TestDashboards1234', isDisabled: 'false', grafanaRole: 'EDITOR' }] });
    const { onEvent, calls } = setup([200, 404]);
    const res = await onEvent(del(properties({ a: { title: 'A' }, b: { title: 'B' } })));
    expect(calls.map((c) => `${c.method} ${c.url.replace(`https://${ENDPOINT}`, '')}`)).toEqual(['DELETE /api/dashboards/uid/a', 'DELETE /api/dashboards/uid/b']);
    expect(grafana.commandCalls(DeleteWorkspaceServiceAccountTokenCommand)).toHaveLength(1);
    expect(grafana.commandCalls(DeleteWorkspaceServiceAccountCommand)[0].args[0].input).toEqual({ workspaceId: WORKSPACE, serviceAccountId: 'sa-1' });
    expect(res).toEqual({ PhysicalResourceId: `grafana-dashboards:${WORKSPACE}` });
  });

  test('a workspace already deleted is success with nothing to do', async () => {
    grafana.on(ListWorkspaceServiceAccountsCommand).rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {}, resourceId: WORKSPACE, resourceType: 'workspace' }));
    const { onEvent, calls } = setup();
    await expect(onEvent(del(properties({ a: { title: 'A' } })))).resolves.toEqual({ PhysicalResourceId: `grafana-dashboards:${WORKSPACE}` });
    expect(calls).toHaveLength(0);
    expect(grafana.commandCalls(CreateWorkspaceServiceAccountTokenCommand)).toHaveLength(0);
  });
});

test('the Lambda entry point is wired', () => {
  expect(typeof handler).toBe('function');
});
