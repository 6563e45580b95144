/**
 * End to end: real Prometheus and Alertmanager load the generated rules and Alertmanager config, scrape the
 * reference service, and when the test injects faults the critical SLO alert reaches the test's webhook with
 * its runbook_url within 60 s, then resolves when the faults stop.
 * Needs the Debian packages `prometheus` and `prometheus-alertmanager`; fails (never skips) without them.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runbookPathFromUrl } from '../../constructs/core/runbooks';
import type { ReferenceServer } from '../../reference-service/src';
import { createServer } from '../../reference-service/src';
import { RUNBOOK_ROOT } from '../helpers/runbooks';
import { generatedAlertmanagerConfig, generatedRuleFiles, PAGING_ALERT } from './generated-config';
import type { MonitoringStack, ReceivedWebhook, WebhookAlert, WebhookReceiver } from '../../cli/gameday/local/monitoring';
import { alertmanagerBinary, prometheusBinary, startLoad, startMonitoringStack, startWebhookReceiver, waitFor } from '../../cli/gameday/local/monitoring';

const SERVICE = 'checkout';
const ALERT_WITHIN_MS = 60_000;
const RESOLVE_WITHIN_MS = 60_000;

let service: ReferenceServer | undefined;
let webhook: WebhookReceiver | undefined;
let stack: MonitoringStack | undefined;
let load: ReturnType<typeof startLoad> | undefined;
let faultsInjectedAt = 0;

beforeAll(async () => {
  // Fail with the install hint (not a spawn error) when the tools are missing.
  prometheusBinary();
  alertmanagerBinary();
  service = createServer({ port: 0, host: '127.0.0.1', serviceName: SERVICE, faultInjectionEnabled: true, log: () => undefined });
  await service.listen();
  webhook = await startWebhookReceiver();
  stack = await startMonitoringStack({
    ruleFiles: generatedRuleFiles(SERVICE),
    alertmanagerConfig: generatedAlertmanagerConfig(webhook.url),
    scrapeTargets: [{ job: SERVICE, target: `127.0.0.1:${service.port}` }],
    interval: '1s',
  });
  load = startLoad(`${service.url}/api/items/42`, 20);
  // Healthy baseline: the service is scraped and the SLI recording rules produce values.
  const s = stack;
  await waitFor('the SLI recording rule to have a value', async () => {
    const r = await s.query(`slo:sli_error:ratio_rate5s{service="${SERVICE}"}`);
    return r.length > 0 ? r : undefined;
  }, 30_000);
});

afterAll(async () => {
  await load?.stop();
  await stack?.stop();
  await webhook?.close();
  await service?.shutdown();
});

function describeState(): string {
  const got = (webhook?.received ?? []).map((w) => `${w.path} ${w.payload.status}: ${w.payload.alerts.map((a) => `${a.labels.alertname}(${a.status})`).join(', ')}`);
  return `webhooks received:\n  ${got.join('\n  ') || '(none)'}\n--- prometheus ---\n${stack?.prometheus.logs() ?? ''}\n--- alertmanager ---\n${stack?.alertmanager.logs() ?? ''}`;
}

async function waitWithContext<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    const alerts = await stack?.alerts().catch(() => []);
    throw new Error(`${(e as Error).message}\nPrometheus alerts: ${JSON.stringify(alerts)}\n${describeState()}`);
  }
}

const pagingAlert = (status: 'firing' | 'resolved', after: number) => (w: ReceivedWebhook): WebhookAlert | undefined =>
  w.receivedAt >= after && w.path === '/critical' && w.payload.status === status
    ? w.payload.alerts.find((a) => a.status === status && a.labels.alertname === PAGING_ALERT && a.labels.service === SERVICE)
    : undefined;

test('injected 5xx faults page the critical receiver within 60 s, with service label and a resolving runbook_url', async () => {
  const admin = service as ReferenceServer;
  expect(webhook?.received.filter((w) => w.path === '/critical')).toEqual([]);
  faultsInjectedAt = Date.now();
  const res = await fetch(`${admin.url}/admin/faults`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ errorRate: 1 }),
  });
  expect(res.status).toBe(200);

  const { webhook: hit, alert } = await waitWithContext((webhook as WebhookReceiver).waitForAlert(
    `${PAGING_ALERT} firing at the critical receiver`, pagingAlert('firing', faultsInjectedAt), ALERT_WITHIN_MS));
  const timeToAlert = hit.receivedAt - faultsInjectedAt;
  console.log(`e2e time-to-alert: ${(timeToAlert / 1000).toFixed(1)} s (faults injected -> ${PAGING_ALERT} at the webhook)`);

  expect(timeToAlert).toBeLessThanOrEqual(ALERT_WITHIN_MS);
  expect(alert.labels.severity).toBe('critical');
  expect(alert.labels.service).toBe(SERVICE);
  expect(alert.annotations.summary).toBeTruthy();
  expect(alert.annotations.description).toBeTruthy();
  const runbook = runbookPathFromUrl(alert.annotations.runbook_url);
  expect(runbook).toBeDefined();
  const committed = existsSync(join(RUNBOOK_ROOT, `${runbook}.md`));
  expect(committed ? runbook : `runbooks/${runbook}.md is not committed (runbook_url ${alert.annotations.runbook_url})`).toBe(runbook);
});

test('the Watchdog heartbeat reaches the heartbeat receiver, never the paging one', async () => {
  await waitWithContext((webhook as WebhookReceiver).waitForAlert('Watchdog at the heartbeat receiver',
    (w) => w.path === '/heartbeat' ? w.payload.alerts.find((a) => a.labels.alertname === 'Watchdog') : undefined, 15_000));
  const paged = (webhook as WebhookReceiver).received.filter((w) => w.path === '/critical' && w.payload.alerts.some((a) => a.labels.alertname === 'Watchdog'));
  expect(paged).toEqual([]);
});

test('the alert resolves once the faults stop', async () => {
  expect(faultsInjectedAt).toBeGreaterThan(0);
  const admin = service as ReferenceServer;
  const clearedAt = Date.now();
  expect((await fetch(`${admin.url}/admin/faults`, { method: 'DELETE' })).status).toBe(200);

  const { webhook: hit } = await waitWithContext((webhook as WebhookReceiver).waitForAlert(
    `${PAGING_ALERT} resolved at the critical receiver`, pagingAlert('resolved', clearedAt), RESOLVE_WITHIN_MS));
  const timeToResolve = hit.receivedAt - clearedAt;
  console.log(`e2e time-to-resolve: ${(timeToResolve / 1000).toFixed(1)} s (faults cleared -> resolved notification)`);
  expect(hit.payload.alerts.every((a) => a.status === 'resolved')).toBe(true);
});
