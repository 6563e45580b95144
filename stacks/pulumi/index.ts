import * as pulumi from '@pulumi/pulumi';
import { DEFAULT_RUNBOOK_BASE_URL } from '../../constructs/core/runbooks';
import { MonitoringStack, PlatformService } from '../../constructs/pulumi';
import { REFERENCE_SERVICE, serviceObjectives } from '../objectives';
import { referenceMonitoringProps } from '../k8s/reference-monitoring';
import { referenceDataPath } from '../k8s/reference-data-path';

/**
 * The reference platform on Kubernetes with Pulumi: the same service and monitoring stack as `npm run synth:k8s`.
 * `cd stacks/pulumi && pulumi stack init dev && pulumi up` deploys to the current kubeconfig context.
 * Config (all optional): `service`, `image`, `runbookBaseUrl`, `alertWebhookUrl`; the data path's overrides (see
 * `referenceDataPath`: PostgreSQL at `postgres.<service>.svc` and Valkey at `valkey.<service>.svc` by default):
 * `dbEndpoint` (`none`: no data path), `dbReadOnlyEndpoint`, `dbName`, `dbUser`, `dbTls`, `dbPasswordSecret`,
 * `cacheEndpoint` (`none`: no L2), `cacheTls` (boolean), `cachePasswordSecret`, `otlpEndpoint`.
 */
const config = new pulumi.Config();
const service = config.get('service') ?? REFERENCE_SERVICE;
const runbookBaseUrl = config.get('runbookBaseUrl') ?? DEFAULT_RUNBOOK_BASE_URL;
const webhook = config.get('alertWebhookUrl') ?? 'http://alert-receiver.monitoring.svc:8080/alerts';
const objectives = serviceObjectives(service);

const app = new PlatformService(service, {
  service,
  image: config.get('image') ?? 'ghcr.io/platform-stacks/reference-service:0.1.0',
  slos: objectives.slos,
  namespace: service,
  runbookBaseUrl,
  // The operational flags from a ConfigMap (every one off): `kubectl -n <service> edit configmap <service>-flags`.
  featureFlags: true,
  ...referenceDataPath(service, service, {
    dbEndpoint: config.get('dbEndpoint'),
    dbReadOnlyEndpoint: config.get('dbReadOnlyEndpoint'),
    dbName: config.get('dbName'),
    dbUser: config.get('dbUser'),
    dbTls: config.get('dbTls'),
    dbPasswordSecret: config.get('dbPasswordSecret'),
    cacheEndpoint: config.get('cacheEndpoint'),
    cacheTls: config.getBoolean('cacheTls'),
    cachePasswordSecret: config.get('cachePasswordSecret'),
    otlpEndpoint: config.get('otlpEndpoint'),
  }),
});
const monitoring = new MonitoringStack('monitoring', referenceMonitoringProps(service, runbookBaseUrl, app.containerLimits, webhook));

export const serviceName = app.serviceName;
export const prometheusUrl = monitoring.prometheusUrl;
export const grafanaUrl = monitoring.grafanaUrl;
