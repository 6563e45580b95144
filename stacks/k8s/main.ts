import { App } from 'cdk8s';
import { DEFAULTS } from '../config';
import { MonitoringStackChart, ServiceChart } from '../../constructs/k8s';
import { serviceObjectives } from '../objectives';
import { DEFAULT_ALERT_WEBHOOK_URL, pagingFromEnv, referenceMonitoringProps } from './reference-monitoring';
import { dataPathSettingsFromEnv, referenceDataPath } from './reference-data-path';

/**
 * The reference platform on Kubernetes: the checkout service and the monitoring stack, from the same objectives,
 * rules, Alertmanager routing, dashboards and runbooks as the AWS stacks. `npm run synth:k8s` writes the manifests to
 * dist/k8s/ (one file per chart: `checkout.k8s.yaml`, `monitoring.k8s.yaml`); apply them with `kubectl apply -f dist/k8s/`
 * once the prometheus-operator is installed.
 *
 * Environment (all optional): `SERVICE`, `IMAGE`, `RUNBOOK_BASE_URL`, `ALERT_WEBHOOK_URL` (receiver of pages and tickets),
 * `PAGERDUTY_ROUTING_KEY_SECRET` (pages to PagerDuty instead), `HEARTBEAT_URL` (the Watchdog's dead man's switch),
 * `CDK8S_OUTDIR` (default dist/k8s); the data path's overrides (see `referenceDataPath`: PostgreSQL at
 * `postgres.<service>.svc` and Valkey at `valkey.<service>.svc` by default): `DB_ENDPOINT` (`none`: no data path),
 * `DB_READ_ONLY_ENDPOINT`, `DB_NAME`, `DB_USER`, `DB_TLS`, `DB_PASSWORD_SECRET`, `CACHE_L2_ENDPOINT` (`none`: no L2),
 * `CACHE_L2_TLS`, `CACHE_L2_PASSWORD_SECRET`, `OTEL_EXPORTER_OTLP_ENDPOINT`.
 */
const service = process.env.SERVICE ?? DEFAULTS.service;
const runbookBaseUrl = process.env.RUNBOOK_BASE_URL ?? DEFAULTS.runbookBaseUrl;
const objectives = serviceObjectives(service);
const webhook = process.env.ALERT_WEBHOOK_URL ?? DEFAULT_ALERT_WEBHOOK_URL;

const app = new App({ outdir: process.env.CDK8S_OUTDIR ?? 'dist/k8s' });
const chart = new ServiceChart(app, service, {
  service,
  image: process.env.IMAGE ?? 'ghcr.io/platform-stacks/reference-service:0.1.0',
  slos: objectives.slos,
  namespace: service,
  runbookBaseUrl,
  // The operational flags from a ConfigMap (every one off): `kubectl -n <service> edit configmap <service>-flags`.
  featureFlags: true,
  ...referenceDataPath(service, service, dataPathSettingsFromEnv(process.env)),
});
new MonitoringStackChart(app, 'monitoring', referenceMonitoringProps(service, runbookBaseUrl, chart.containerLimits, webhook, pagingFromEnv(process.env)));
app.synth();
