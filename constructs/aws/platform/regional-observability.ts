import { CfnOutput } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { responsePlanName } from '../../core/incidents/runbook-sections';
import { runbookUrl } from '../../core/runbooks';
import { AutoRemediation } from '../incidents/auto-remediation';
import { IncidentResponse } from '../incidents/incident-response';
import { AlertingHeartbeat } from '../observability/alerting-heartbeat';
import { AlertingTopics } from '../observability/alerting-topics';
import { GrafanaDashboards } from '../observability/grafana-dashboards';
import { ManagedGrafana } from '../observability/managed-grafana';
import { ManagedPrometheus } from '../observability/managed-prometheus';
import { addOtelCollector } from '../observability/otel-collector';
import { SERVICE_MONITORING_RUNBOOKS, ServiceMonitoring } from '../observability/service-monitoring';
import type { FeatureFlagEnvironment } from '../release/feature-flag-environment';
import type { PlatformSpec } from './multi-region-platform-props';
import { wireReleaseSafety } from './private/release-safety';
import type { RegionalRelease } from './regional-release';
import type { RegionalApp } from './regional-app';
import { StackOutput } from '../../core/stack-outputs';

/** Options of {@link addRegionalObservability}. */
export interface RegionalObservabilityOptions {
  readonly spec: PlatformSpec;
  readonly app: RegionalApp;
  /** Alarms of other constructs of the region (backups, caches) routed to the ticket topic or the page. */
  readonly extraAlarms?: Record<string, readonly cloudwatch.IAlarm[]>;
  /** The primary region also runs Amazon Managed Grafana with the dashboards, and Incident Manager's on-call (with contacts). */
  readonly grafana: boolean;
  /** The region's release infrastructure (its base stack): flags, deployment hooks, the edge canary. */
  readonly release?: RegionalRelease;
  /** Whether the region's service runs tasks to smoke-test (a pilot-light standby runs none until a failover). */
  readonly smokeTest?: boolean;
}

/** What {@link addRegionalObservability} built. */
export interface RegionalObservability {
  readonly topics: AlertingTopics;
  readonly prometheus: ManagedPrometheus;
  readonly monitoring: ServiceMonitoring;
  readonly grafana?: ManagedGrafana;
  /** The dead man's switch of the region's Alertmanager. */
  readonly heartbeat: AlertingHeartbeat;
  /** Incident Manager's on-call and the service's response plan (primary region, with on-call contacts). */
  readonly incidents?: IncidentResponse;
  /** The automatic remediations of the region (unless turned off). */
  readonly remediation?: AutoRemediation;
  /** The service's feature flags in the region (AppConfig environment, agent sidecar), with release infrastructure. */
  readonly flags?: FeatureFlagEnvironment;
}

/**
 * Observability of one region, every piece from the same objectives: severity topics, Amazon Managed
 * Prometheus with the generated SLO and golden-signal rules and Alertmanager routing, the ADOT collector
 * sidecar, CloudWatch golden-signal, SLO burn-rate and composite page alarms (each alarm of the region routed),
 * and in the primary region Amazon Managed Grafana with the generated dashboards.
 */
export function addRegionalObservability(scope: Construct, options: RegionalObservabilityOptions): RegionalObservability {
  const { spec, app } = options;
  const topics = new AlertingTopics(scope, 'Alerting', {
    displayNamePrefix: spec.service, pageReceivers: spec.pageReceivers, ticketReceivers: spec.ticketReceivers, production: spec.production,
  });
  const heartbeat = new AlertingHeartbeat(scope, 'AlertingHeartbeat', { topics });
  // Rules and dashboards are rendered at synth: their saturation limits are the app container's after the collector
  // takes its share, their runbook links under the app's runbookBaseUrl context (as the alarms').
  const prometheus = new ManagedPrometheus(scope, 'Prometheus', { topics, heartbeatTopic: heartbeat.topic });
  prometheus.addServiceAlerts(app.service, { serviceName: spec.service, slos: spec.slos });
  prometheus.addPlatformAlerts();
  addOtelCollector(app.service, { workspace: prometheus, serviceName: spec.service, metricsPort: spec.containerPort });
  const monitoring = new ServiceMonitoring(scope, 'Monitoring', {
    service: app.service, topics, serviceName: spec.service, slos: spec.slos,
  });
  monitoring.monitorDatabase(app.database);
  if (app.cache) monitoring.monitorAlarms('Cache', app.cache.alarms);
  for (const [title, alarms] of Object.entries(options.extraAlarms ?? {})) monitoring.monitorAlarms(title, alarms);
  new CfnOutput(scope, StackOutput.STOP_CONDITION_ALARM_NAME, {
    value: monitoring.pageAlarm.alarmName,
    description: 'The region\'s page alarm: drills and chaos experiments stop when it fires',
  });

  const flags = options.release ? wireReleaseSafety(scope, spec, app, monitoring, options.release, options.smokeTest ?? true) : undefined;
  const incidents = addIncidentResponse(scope, spec, topics, monitoring, options.grafana);
  let remediation: AutoRemediation | undefined;
  if (spec.autoRemediation) {
    remediation = new AutoRemediation(scope, 'Remediation', {
      service: spec.service,
      drillRegions: [spec.primaryRegion, spec.secondaryRegion],
      pauseParameterRegion: spec.primaryRegion,
      incidentRegion: spec.primaryRegion,
      responsePlanName: spec.onCallContacts.length > 0 ? responsePlanName(spec.service) : undefined,
      key: topics.key,
    });
    remediation.addServiceActions(app.service);
    if (options.release && flags) remediation.addFlagActions({ flags: options.release.flags, environment: flags.environment });
    remediation.bindAlarms(monitoring.alarms);
  }

  let grafana: ManagedGrafana | undefined;
  if (options.grafana) {
    grafana = new ManagedGrafana(scope, 'Grafana', { prometheusWorkspaces: [prometheus] });
    const dashboards = new GrafanaDashboards(scope, 'Dashboards', {
      workspaceId: grafana.workspaceId,
      workspaceEndpoint: grafana.workspaceEndpoint,
    });
    dashboards.addServiceDashboard(app.service, {
      serviceName: spec.service,
      slos: spec.slos,
      databaseClusterIdentifier: app.database.clusterIdentifier,
      cacheReplicationGroupId: app.cache?.replicationGroupId,
    });
    dashboards.addPlatformOverview({ slos: spec.slos });
  }
  return { topics, prometheus, monitoring, grafana, heartbeat, incidents, remediation, flags };
}

/**
 * With on-call contacts: in the primary region (`create`) Incident Manager's on-call and the service's response plan;
 * in every region the page alarm opens an incident with that plan.
 */
function addIncidentResponse(scope: Construct, spec: PlatformSpec, topics: AlertingTopics, monitoring: ServiceMonitoring,
  create: boolean): IncidentResponse | undefined {
  if (spec.onCallContacts.length === 0) return undefined;
  const name = responsePlanName(spec.service);
  if (!create) {
    IncidentResponse.openIncidentOn(monitoring.pageAlarm, name);
    return undefined;
  }
  const incidents = new IncidentResponse(scope, 'Incidents', {
    service: spec.service,
    onCallContacts: spec.onCallContacts,
    seniorEngineer: spec.seniorEngineer,
    incidentCommander: spec.incidentCommander,
    replicationRegions: spec.incidentReplicationSet ? [spec.primaryRegion, spec.secondaryRegion] : undefined,
    topics,
  });
  incidents.addResponsePlan({
    name,
    title: `${spec.service} is failing its users (page)`,
    runbookUrl: runbookUrl(spec.runbookBaseUrl, SERVICE_MONITORING_RUNBOOKS.servicePage),
    dashboardName: monitoring.dashboard.dashboardName,
    alarms: [monitoring.pageAlarm],
  });
  return incidents;
}
