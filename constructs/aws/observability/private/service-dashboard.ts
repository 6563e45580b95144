import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import type { IAuroraDatabase } from '../../data/aurora-database-ref';
import type { IResilientService } from '../../compute/resilient-service-ref';
import type { DatabaseMonitoringAlarms } from '../service-monitoring-props';
import { burnRateWidget } from './slo-burn-rate-alarms';
import type { ServiceMonitoringSettings } from './validate-service-monitoring-props';

/** A Container Insights task count of `service` (`DesiredTaskCount`, `RunningTaskCount`), per minute. */
export function ecsTaskCount(service: IResilientService, metricName: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'ECS/ContainerInsights',
    metricName,
    dimensionsMap: { ClusterName: service.cluster.clusterName, ServiceName: service.service.serviceName },
    statistic: cloudwatch.Stats.AVERAGE,
    period: Duration.minutes(1),
  });
}

/** What the service rows of the dashboard show beyond the service's own metrics. */
export interface ServiceDashboardInput {
  readonly settings: ServiceMonitoringSettings;
  /** Error log entries per minute. */
  readonly errorLogs: cloudwatch.IMetric;
  /** Every alarm the facade routes: the list itself, read at synth so alarms routed later appear too. */
  readonly alarms: cloudwatch.IAlarm[];
}

/**
 * The dashboard of one service (construct ID `Dashboard` in `scope`): golden signals (traffic, 5xx rate, latency
 * percentiles, saturation against the alarm thresholds), tasks running vs desired, error log entries, the status of
 * every routed alarm, and a row of SLO burn rates when there are SLOs.
 */
export function createServiceDashboard(scope: Construct, service: IResilientService, input: ServiceDashboardInput,
  dashboardName?: string): cloudwatch.Dashboard {
  const { serviceName, cpuPercent, memoryPercent, slos } = input.settings;
  const dashboard = new cloudwatch.Dashboard(scope, 'Dashboard', { dashboardName, defaultInterval: Duration.hours(3) });
  const p = (stat: string): cloudwatch.Metric => service.metricTargetResponseTime({ statistic: stat, label: stat });
  dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `# ${serviceName}: golden signals`, width: 24, height: 1 }));
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({ title: 'Traffic (requests/min)', left: [service.metricRequestCount({ label: 'Requests' })], width: 6 }),
    new cloudwatch.GraphWidget({ title: 'Errors (5xx % of requests)', left: [service.metric5xxRate()], width: 6 }),
    new cloudwatch.GraphWidget({ title: 'Latency (target response time, s)', left: [p('p50'), p('p90'), p('p99')], width: 6 }),
    new cloudwatch.GraphWidget({
      title: 'Saturation (% of reservation)',
      left: [service.metricCpuUtilization({ label: 'CPU' }), service.metricMemoryUtilization({ label: 'Memory' })],
      leftAnnotations: [{ value: cpuPercent, label: 'CPU alarm' }, { value: memoryPercent, label: 'Memory alarm' }],
      width: 6,
    }),
  );
  const tasks = (metricName: string, label: string) => ecsTaskCount(service, metricName).with({ label });
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({ title: 'Tasks (running vs desired)', left: [tasks('RunningTaskCount', 'Running'), tasks('DesiredTaskCount', 'Desired')], width: 8 }),
    new cloudwatch.GraphWidget({ title: 'Error log entries', left: [input.errorLogs], width: 8 }),
    // Rendered at synth: alarms routed later (dependencies) appear too.
    new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: input.alarms, width: 8 }),
  );
  if (slos.length > 0) {
    dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: '# SLO burn rates (1 = budget spent exactly over the period)', width: 24, height: 1 }));
    dashboard.addWidgets(...slos.map((slo) => burnRateWidget(service, slo, 24 / Math.min(slos.length, 4))));
  }
  return dashboard;
}

/** A dependencies row for an Aurora database: busiest-instance CPU, connections, replica lag, freeable memory. */
export function addDatabaseWidgets(dashboard: cloudwatch.Dashboard, database: IAuroraDatabase, alarms: DatabaseMonitoringAlarms): void {
  dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `# Dependency: ${database.node.path} (Aurora)`, width: 24, height: 1 }));
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({ title: 'CPU (%, busiest instance)', left: [alarms.cpuAlarm.metric], width: 6 }),
    new cloudwatch.GraphWidget({ title: 'Connections', left: [alarms.connectionsAlarm.metric], width: 6 }),
    new cloudwatch.GraphWidget({ title: 'Replica lag (ms)', left: [alarms.replicaLagAlarm.metric], width: 6 }),
    new cloudwatch.GraphWidget({ title: 'Freeable memory (bytes)', left: [alarms.freeableMemoryAlarm.metric], width: 6 }),
  );
}
