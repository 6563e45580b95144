/**
 * Provisions Grafana dashboards into an Amazon Managed Grafana workspace: the onEvent handler of the
 * `GrafanaDashboards` custom resource (custom-resources Provider; bundled by esbuild, AWS SDK v3 from the Lambda
 * runtime). CloudFormation has no AMG dashboard resource, so this function calls the Grafana HTTP API.
 *
 * Every event:
 * 1. finds the construct's Grafana service account (EDITOR) by name, creating it the first time;
 * 2. creates a short-lived token for it (`CreateWorkspaceServiceAccountToken`, 15 minutes);
 * 3. Create/Update: `POST /api/dashboards/db` with `overwrite: true` for every dashboard, then on Update deletes the
 *    dashboards the previous properties had and the new ones do not; Delete: deletes every dashboard
 *    (`DELETE /api/dashboards/uid/<uid>`, 404 counts as deleted) and then the service account. Dashboards are code:
 *    removing the construct removes them (they hold no data);
 * 4. deletes the token (`DeleteWorkspaceServiceAccountToken`) whatever happened; a failure to delete it is logged,
 *    not raised, because the token expires by itself within 15 minutes.
 * Grafana calls retry 429 (honouring Retry-After), 5xx and network errors with bounded exponential backoff and
 * jitter; any other status, or retries exhausted, fails the event with the method, path, status and body.
 * The token never appears in logs or errors.
 */
import {
  CreateWorkspaceServiceAccountCommand, CreateWorkspaceServiceAccountTokenCommand, DeleteWorkspaceServiceAccountCommand,
  DeleteWorkspaceServiceAccountTokenCommand, GrafanaClient, ListWorkspaceServiceAccountsCommand, ResourceNotFoundException,
} from '@aws-sdk/client-grafana';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

/** The custom resource's properties (CloudFormation passes every value as a string). */
export interface GrafanaDashboardsProperties {
  /** AMG workspace id (`g-0123456789`). */
  readonly WorkspaceId: string;
  /** Workspace endpoint, a host name (`g-0123456789.grafana-workspace.eu-west-1.amazonaws.com`) or an https URL. */
  readonly WorkspaceEndpoint: string;
  /** Name of the Grafana service account this resource owns in the workspace. */
  readonly ServiceAccountName: string;
  /** JSON object: dashboard uid to dashboard model. */
  readonly Dashboards: string;
  /** SHA-256 of `Dashboards`: a changed hash is what makes CloudFormation send an Update. */
  readonly DashboardsHash: string;
}

/** What the Provider framework expects back from onEvent. */
export interface OnEventResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

/** Retry policy of the Grafana HTTP calls. */
export interface RetryPolicy {
  /** Attempts per call, the first included. */
  readonly maxAttempts: number;
  /** Backoff before attempt n+1 is up to `baseDelayMs * 2^(n-1)`, capped at `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** Dependencies of {@link createHandler}. */
export interface HandlerDependencies {
  readonly grafana: GrafanaClient;
  readonly fetch: typeof fetch;
  readonly retry: RetryPolicy;
  readonly sleep: (ms: number) => Promise<void>;
  /** Logs one line (JSON). */
  readonly log: (line: string) => void;
}

/** Lifetime of the token one event uses, in seconds: longer than the function's timeout, short enough to expire soon. */
export const TOKEN_SECONDS_TO_LIVE = 900;

type Dashboards = Record<string, Record<string, unknown>>;

/** The onEvent handler over `deps`. */
export function createHandler(deps: HandlerDependencies): (event: CloudFormationCustomResourceEvent) => Promise<OnEventResponse> {
  return async (event) => {
    const props = parseProperties(event.ResourceProperties);
    const physicalResourceId = `grafana-dashboards:${props.WorkspaceId}`;
    const dashboards = parseDashboards(props.Dashboards);
    const uids = Object.keys(dashboards).sort();
    deps.log(JSON.stringify({ requestType: event.RequestType, workspaceId: props.WorkspaceId, dashboards: uids, hash: props.DashboardsHash }));

    if (event.RequestType === 'Delete') {
      const account = await findServiceAccount(deps.grafana, props);
      if (account === 'no-workspace') {
        deps.log(JSON.stringify({ message: 'workspace no longer exists: nothing to delete', workspaceId: props.WorkspaceId }));
        return { PhysicalResourceId: event.PhysicalResourceId };
      }
      if (account !== undefined) {
        await withToken(deps, props, account, event.RequestId, async (api) => {
          for (const uid of uids) await api.deleteDashboard(uid);
        });
        await deps.grafana.send(new DeleteWorkspaceServiceAccountCommand({ workspaceId: props.WorkspaceId, serviceAccountId: account }));
      }
      return { PhysicalResourceId: event.PhysicalResourceId };
    }

    const old = event.RequestType === 'Update' ? parseProperties(event.OldResourceProperties) : undefined;
    const sameWorkspace = old !== undefined && old.WorkspaceId === props.WorkspaceId;
    const removed = sameWorkspace ? Object.keys(parseDashboards(old.Dashboards)).filter((uid) => !(uid in dashboards)).sort() : [];
    const account = await ensureServiceAccount(deps.grafana, props);
    await withToken(deps, props, account, event.RequestId, async (api) => {
      for (const uid of uids) await api.postDashboard(uid, dashboards[uid], `${event.RequestType} ${props.DashboardsHash.slice(0, 12)}`);
      for (const uid of removed) await api.deleteDashboard(uid);
    });
    if (sameWorkspace && old.ServiceAccountName !== props.ServiceAccountName) {
      const previous = await findServiceAccount(deps.grafana, old);
      if (typeof previous === 'string' && previous !== 'no-workspace') {
        await deps.grafana.send(new DeleteWorkspaceServiceAccountCommand({ workspaceId: old.WorkspaceId, serviceAccountId: previous }));
      }
    }
    return { PhysicalResourceId: physicalResourceId, Data: { DashboardUids: uids.join(',') } };
  };
}

/** The Grafana HTTP API with one token. */
interface GrafanaApi {
  postDashboard(uid: string, dashboard: Record<string, unknown>, message: string): Promise<void>;
  deleteDashboard(uid: string): Promise<void>;
}

async function withToken(deps: HandlerDependencies, props: GrafanaDashboardsProperties, serviceAccountId: string, requestId: string,
  work: (api: GrafanaApi) => Promise<void>): Promise<void> {
  const created = await deps.grafana.send(new CreateWorkspaceServiceAccountTokenCommand({
    workspaceId: props.WorkspaceId,
    serviceAccountId,
    name: `cfn-${requestId}`.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 128),
    secondsToLive: TOKEN_SECONDS_TO_LIVE,
  }));
  const token = created.serviceAccountToken;
  if (!token?.id || !token.key) throw new Error(`CreateWorkspaceServiceAccountToken returned no token for service account ${serviceAccountId} of workspace ${props.WorkspaceId}`);
  const base = endpointUrl(props.WorkspaceEndpoint);
  const call = (method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<Response> =>
    request(deps, method, `${base}${path}`, path, token.key as string, body);
  try {
    await work({
      async postDashboard(uid, dashboard, message) {
        await call('POST', '/api/dashboards/db', { dashboard: { ...dashboard, uid, id: null }, overwrite: true, message: `platform-stacks: CloudFormation ${message}` });
        deps.log(JSON.stringify({ message: 'dashboard saved', uid }));
      },
      async deleteDashboard(uid) {
        const res = await call('DELETE', `/api/dashboards/uid/${encodeURIComponent(uid)}`);
        deps.log(JSON.stringify({ message: res.status === 404 ? 'dashboard already absent' : 'dashboard deleted', uid }));
      },
    });
  } finally {
    try {
      await deps.grafana.send(new DeleteWorkspaceServiceAccountTokenCommand({ workspaceId: props.WorkspaceId, serviceAccountId, tokenId: token.id }));
    } catch (e) {
      // Not raised: the token expires within TOKEN_SECONDS_TO_LIVE, and raising here would hide the event's own outcome.
      deps.log(JSON.stringify({ level: 'ERROR', message: 'could not delete the service account token; it expires by itself', tokenId: token.id, error: String(e) }));
    }
  }
}

/** One Grafana call with bounded retries on 429, 5xx and network errors; 404 is an answer for DELETE. */
async function request(deps: HandlerDependencies, method: 'POST' | 'DELETE', url: string, path: string, key: string, body?: unknown): Promise<Response> {
  const { maxAttempts } = deps.retry;
  let last = '';
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    let res: Response | undefined;
    try {
      res = await deps.fetch(url, {
        method,
        headers: { 'Authorization': `Bearer ${key}`, 'Content-Type': 'application/json', 'Accept': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      last = `network error: ${e instanceof Error ? e.message : String(e)}`;
    }
    if (res) {
      if (res.ok || (method === 'DELETE' && res.status === 404)) return res;
      const text = (await res.text()).slice(0, 500);
      last = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}: ${text}`;
      if (res.status !== 429 && res.status < 500) {
        throw new Error(`Grafana ${method} ${path} failed: ${last}`);
      }
    }
    if (attempt < maxAttempts) {
      const delay = backoff(deps.retry, attempt, res?.status === 429 ? res.headers.get('retry-after') : null);
      deps.log(JSON.stringify({ level: 'WARN', message: 'retrying Grafana call', method, path, attempt, delayMs: delay, error: last }));
      await deps.sleep(delay);
    }
  }
  throw new Error(`Grafana ${method} ${path} failed after ${maxAttempts} attempts: ${last}`);
}

/** Exponential backoff with equal jitter, at least Retry-After (seconds), at most `maxDelayMs`. */
function backoff(policy: RetryPolicy, attempt: number, retryAfter: string | null): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.round(exp / 2 + Math.random() * exp / 2);
  const after = retryAfter !== null && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : 0;
  return Math.min(policy.maxDelayMs, Math.max(jittered, after));
}

/** The construct's service account id; `undefined` when it does not exist, `'no-workspace'` when the workspace is gone. */
async function findServiceAccount(grafana: GrafanaClient, props: GrafanaDashboardsProperties): Promise<string | undefined | 'no-workspace'> {
  let nextToken: string | undefined;
  try {
    do {
      const page = await grafana.send(new ListWorkspaceServiceAccountsCommand({ workspaceId: props.WorkspaceId, nextToken }));
      const found = page.serviceAccounts?.find((a) => a.name === props.ServiceAccountName);
      if (found?.id) return found.id;
      nextToken = page.nextToken;
    } while (nextToken);
  } catch (e) {
    if (e instanceof ResourceNotFoundException) return 'no-workspace';
    throw e;
  }
  return undefined;
}

async function ensureServiceAccount(grafana: GrafanaClient, props: GrafanaDashboardsProperties): Promise<string> {
  const existing = await findServiceAccount(grafana, props);
  if (existing === 'no-workspace') throw new Error(`AMG workspace ${props.WorkspaceId} does not exist (ListWorkspaceServiceAccounts: not found)`);
  if (existing !== undefined) return existing;
  const created = await grafana.send(new CreateWorkspaceServiceAccountCommand({
    workspaceId: props.WorkspaceId, name: props.ServiceAccountName, grafanaRole: 'EDITOR',
  }));
  if (!created.id) throw new Error(`CreateWorkspaceServiceAccount returned no id for ${props.ServiceAccountName} in workspace ${props.WorkspaceId}`);
  return created.id;
}

function endpointUrl(endpoint: string): string {
  const url = /^https?:\/\//.test(endpoint) ? endpoint : `https://${endpoint}`;
  return url.replace(/\/+$/, '');
}

function parseProperties(raw: Record<string, unknown>): GrafanaDashboardsProperties {
  for (const key of ['WorkspaceId', 'WorkspaceEndpoint', 'ServiceAccountName', 'Dashboards', 'DashboardsHash'] as const) {
    if (typeof raw[key] !== 'string' || raw[key] === '') throw new Error(`custom resource property ${key} is missing or not a string`);
  }
  return raw as unknown as GrafanaDashboardsProperties;
}

function parseDashboards(json: string): Dashboards {
  const parsed: unknown = JSON.parse(json);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('custom resource property Dashboards is not a JSON object');
  return parsed as Dashboards;
}

/** The Lambda entry point. */
export const handler = createHandler({
  grafana: new GrafanaClient({}),
  fetch: (input, init) => fetch(input, init),
  retry: {
    maxAttempts: Number(process.env.MAX_ATTEMPTS ?? '5'),
    baseDelayMs: Number(process.env.BASE_DELAY_MS ?? '500'),
    maxDelayMs: 10_000,
  },
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  log: (line) => console.log(line),
});
