/**
 * The release hooks of a service's deployments (bundled by esbuild, AWS SDK v3 from the Lambda runtime), which ECS
 * invokes at stages of a blue/green, linear or canary deployment (deployment lifecycle hooks). What to check comes in
 * the hook's details (set per service in its deployment configuration):
 *
 * - `error-budget` (before the new revision scales up): the availability SLO's error budget over its period, from the
 *   load balancer's metrics. While it is exhausted the release is refused (`FAILED`: ECS rolls back, nothing changed),
 *   unless a valid override is recorded in Parameter Store (`/<service>/release/budget-override`, a JSON reason and an
 *   expiry at most 24 hours ahead): the override, who wrote it (the parameter history's user) and why are logged.
 * - `smoke` (after test traffic, then production traffic, shifts to the new revision): each critical path through the
 *   test listener must answer its status; a failure is retried twice 15 seconds apart (`IN_PROGRESS`), then `FAILED`
 *   rolls the deployment back.
 */
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { GetParameterCommand, GetParameterHistoryCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { checkBudgetOverride, errorBudgetStatus } from '../../core/release/error-budget';
import type { CriticalPath } from '../../core/release/critical-paths';

/** Details of the error-budget gate (per service). */
export interface ErrorBudgetDetails {
  readonly check: 'error-budget';
  /** The load balancer's CloudWatch dimension (`app/<name>/<id>`). */
  readonly loadBalancer: string;
  /** The availability SLO's target (e.g. 0.999) and period. */
  readonly target: number;
  readonly periodDays: number;
  /** The override parameter (`/<service>/release/budget-override`) and its region. */
  readonly overrideParameter: string;
  readonly overrideRegion: string;
}

/** Details of the smoke test (per service). */
export interface SmokeDetails {
  readonly check: 'smoke';
  /** The test listener's base URL (`http://<load balancer>:9080`, `https://<regional name>:9443`). */
  readonly baseUrl: string;
  readonly paths: readonly CriticalPath[];
  /** Set by this function between attempts. */
  readonly attempt?: number;
}

/** What ECS sends (the fields read). */
export interface LifecycleHookEvent {
  readonly lifecycleStage?: string;
  readonly executionDetails?: { readonly serviceArn?: string; readonly targetServiceRevisionArn?: string };
  readonly hookDetails?: ErrorBudgetDetails | SmokeDetails;
}

/** What ECS reads back. */
export interface LifecycleHookResult {
  readonly hookStatus: 'SUCCEEDED' | 'FAILED' | 'IN_PROGRESS';
  readonly callBackDelay?: number;
  readonly hookDetails?: SmokeDetails;
}

/** What a smoke call passes to `fetch`. */
export interface FetchInit {
  readonly method: string;
  readonly body?: string;
  readonly headers: Record<string, string>;
  readonly signal: AbortSignal;
}

/** Dependencies of {@link createHandler}. */
export interface ReleaseHookDependencies {
  readonly cloudwatch: CloudWatchClient;
  /** SSM client of a region (the override parameter's). */
  readonly ssmIn: (region: string) => SSMClient;
  readonly fetch: (url: string, init: FetchInit) => Promise<{ status: number }>;
  readonly now: () => Date;
  readonly log: (line: string) => void;
}

/** Attempts of a smoke test before it fails the deployment, and the delay between them (seconds). */
export const SMOKE_ATTEMPTS = 3;
export const SMOKE_RETRY_SECONDS = 15;
const CALL_TIMEOUT_MS = 5000;

/** The handler, with its dependencies. */
export function createHandler(deps: ReleaseHookDependencies): (event: LifecycleHookEvent) => Promise<LifecycleHookResult> {
  const log = (fields: Record<string, unknown>): void => deps.log(JSON.stringify(fields));

  const sum = async (d: ErrorBudgetDetails): Promise<{ total: number; bad: number }> => {
    const end = deps.now();
    const start = new Date(end.getTime() - d.periodDays * 86_400_000);
    const metric = (id: string, name: string): MetricDataQuery => ({
      Id: id,
      MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: name, Dimensions: [{ Name: 'LoadBalancer', Value: d.loadBalancer }] }, Period: 86_400, Stat: 'Sum' },
    });
    const totals: Record<string, number> = { requests: 0, target5xx: 0, elb5xx: 0 };
    let next: string | undefined;
    do {
      const page = await deps.cloudwatch.send(new GetMetricDataCommand({
        StartTime: start, EndTime: end, NextToken: next,
        MetricDataQueries: [metric('requests', 'RequestCount'), metric('target5xx', 'HTTPCode_Target_5XX_Count'), metric('elb5xx', 'HTTPCode_ELB_5XX_Count')],
      }));
      for (const r of page.MetricDataResults ?? []) totals[r.Id ?? ''] += (r.Values ?? []).reduce((a, b) => a + b, 0);
      next = page.NextToken;
    } while (next);
    return { total: totals.requests, bad: totals.target5xx + totals.elb5xx };
  };

  const override = async (d: ErrorBudgetDetails): Promise<{ by?: string; check: ReturnType<typeof checkBudgetOverride> } | undefined> => {
    const ssm = deps.ssmIn(d.overrideRegion);
    let value: string | undefined;
    try {
      value = (await ssm.send(new GetParameterCommand({ Name: d.overrideParameter }))).Parameter?.Value;
    } catch (e) {
      if (e instanceof ParameterNotFound) return undefined;
      throw e;
    }
    if (value === undefined) return undefined;
    // Who wrote it and when: the newest entry of the parameter's history (kept by Parameter Store).
    const history = [];
    let next: string | undefined;
    do {
      const page = await ssm.send(new GetParameterHistoryCommand({ Name: d.overrideParameter, NextToken: next }));
      history.push(...(page.Parameters ?? []));
      next = page.NextToken;
    } while (next);
    const latest = history.sort((a, b) => (b.Version ?? 0) - (a.Version ?? 0))[0];
    const writtenAt = latest?.LastModifiedDate ?? new Date(0);
    return { by: latest?.LastModifiedUser, check: checkBudgetOverride(value, writtenAt, deps.now()) };
  };

  const gate = async (d: ErrorBudgetDetails, event: LifecycleHookEvent): Promise<LifecycleHookResult> => {
    const traffic = await sum(d);
    const status = errorBudgetStatus({ ...traffic, target: d.target });
    const base = {
      check: 'error-budget', service: event.executionDetails?.serviceArn, revision: event.executionDetails?.targetServiceRevisionArn,
      requests: traffic.total, failed: traffic.bad, target: d.target, periodDays: d.periodDays, remaining: Number(status.remaining.toFixed(4)),
    };
    if (!status.exhausted) {
      log({ ...base, decision: 'release' });
      return { hookStatus: 'SUCCEEDED' };
    }
    const o = await override(d);
    if (o?.check.valid) {
      log({ ...base, decision: 'release-overridden', overriddenBy: o.by ?? 'unknown', reason: o.check.override.reason, expiresAt: o.check.override.expiresAt, parameter: d.overrideParameter });
      return { hookStatus: 'SUCCEEDED' };
    }
    log({
      ...base, decision: 'refused',
      why: `the error budget is exhausted (${(status.consumed * 100).toFixed(1)}% spent over ${d.periodDays} days)`,
      override: o ? `${d.overrideParameter} ${o.check.valid ? '' : o.check.problem}` : `none (${d.overrideParameter} in ${d.overrideRegion})`,
    });
    return { hookStatus: 'FAILED' };
  };

  const smoke = async (d: SmokeDetails, event: LifecycleHookEvent): Promise<LifecycleHookResult> => {
    const attempt = d.attempt ?? 1;
    const results = await Promise.all(d.paths.map(async (p) => {
      try {
        const res = await deps.fetch(`${d.baseUrl.replace(/\/$/, '')}${p.path}`, {
          method: p.method, body: p.body, headers: p.body !== undefined ? { 'content-type': 'application/json' } : {}, signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
        });
        return { path: p.name, status: res.status, ok: res.status === p.expectStatus, expected: p.expectStatus };
      } catch (e) {
        return { path: p.name, status: 0, ok: false, expected: p.expectStatus, error: (e as Error).message };
      }
    }));
    const failed = results.filter((r) => !r.ok);
    const fields = { check: 'smoke', stage: event.lifecycleStage, revision: event.executionDetails?.targetServiceRevisionArn, attempt, results };
    if (failed.length === 0) {
      log({ ...fields, decision: 'passed' });
      return { hookStatus: 'SUCCEEDED' };
    }
    if (attempt < SMOKE_ATTEMPTS) {
      log({ ...fields, decision: 'retrying' });
      return { hookStatus: 'IN_PROGRESS', callBackDelay: SMOKE_RETRY_SECONDS, hookDetails: { ...d, attempt: attempt + 1 } };
    }
    log({ ...fields, decision: 'failed', why: failed.map((r) => `${r.path}: ${r.status || (r as { error?: string }).error} (expected ${r.expected})`).join('; ') });
    return { hookStatus: 'FAILED' };
  };

  return async (event) => {
    const d = event.hookDetails;
    if (d?.check === 'error-budget') return gate(d, event);
    if (d?.check === 'smoke') return smoke(d, event);
    // Misconfigured: fail closed, the deployment rolls back and the log says why.
    log({ decision: 'failed', why: `hook details name no check (got ${JSON.stringify(d)})`, stage: event.lifecycleStage });
    return { hookStatus: 'FAILED' };
  };
}

let lambdaHandler: ((event: LifecycleHookEvent) => Promise<LifecycleHookResult>) | undefined;

/** Lambda entry point. */
export async function handler(event: LifecycleHookEvent): Promise<LifecycleHookResult> {
  if (!lambdaHandler) {
    const clients = new Map<string, SSMClient>();
    lambdaHandler = createHandler({
      cloudwatch: new CloudWatchClient({}),
      ssmIn: (region) => {
        let c = clients.get(region);
        if (!c) clients.set(region, c = new SSMClient({ region }));
        return c;
      },
      fetch: (url, init) => fetch(url, init),
      now: () => new Date(),
      log: (line) => console.log(line),
    });
  }
  return lambdaHandler(event);
}
