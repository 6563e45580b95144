import * as pulumi from '@pulumi/pulumi';
import { DEFAULT_RUNBOOK_BASE_URL } from '../../constructs/core/runbooks';
import { MonitoringStack, PlatformService } from '../../constructs/pulumi';
import { REFERENCE_SERVICE, serviceObjectives } from '../objectives';
import { referenceMonitoringProps } from '../k8s/reference-monitoring';

/**
 * The reference platform on Kubernetes with Pulumi: the same service and monitoring stack as `npm run synth:k8s`.
 * `cd stacks/pulumi && pulumi stack init dev && pulumi up` deploys to the current kubeconfig context.
 * Config (all optional): `service`, `image`, `runbookBaseUrl`, `alertWebhookUrl`.
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
});
const monitoring = new MonitoringStack('monitoring', referenceMonitoringProps(service, runbookBaseUrl, app.containerLimits, webhook));

export const serviceName = app.serviceName;
export const prometheusUrl = monitoring.prometheusUrl;
export const grafanaUrl = monitoring.grafanaUrl;
