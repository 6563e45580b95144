import { Duration, Lazy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { PlatformValidationError } from '../../core/errors';
import type { IAuroraDatabase } from '../data/aurora-database-ref';
import { createRunbookAlarm } from '../private/runbook-alarm';
import type { AlarmSeverity } from '../private/runbook-alarm';
import type { AlertingTopics } from './alerting-topics';
import { acknowledgeServiceMonitoringFindings } from './private/acknowledge-service-monitoring-findings';
import { createRunbookCompositeAlarm, severityOf } from './private/alarms';
import { addDatabaseWidgets, createServiceDashboard, ecsTaskCount } from './private/service-dashboard';
import { createSloBurnRateAlarms } from './private/slo-burn-rate-alarms';
import { validateDatabaseMonitoringOptions, validateServiceMonitoringProps } from './private/validate-service-monitoring-props';
import type { DatabaseMonitoringAlarms, DatabaseMonitoringOptions, ServiceMonitoringProps, SloBurnRateAlarm } from './service-monitoring-props';

export type { DatabaseMonitoringAlarms, DatabaseMonitoringOptions, ServiceMonitoringProps, SloBurnRateAlarm } from './service-monitoring-props';

/** Runbook paths of the alarms {@link ServiceMonitoring} creates (each a committed `runbooks/<path>.md`). */
export const SERVICE_MONITORING_RUNBOOKS = {
  servicePage: 'alerts/service/ServiceCriticalSymptoms',
  ecsCpu: 'alerts/golden/CpuSaturationHigh',
  ecsMemory: 'alerts/golden/MemorySaturationHigh',
  ecsRunningBelowDesired: 'alerts/service/EcsRunningTasksBelowDesired',
  auroraCpu: 'alerts/database/AuroraCpuHigh',
  auroraConnections: 'alerts/database/AuroraConnectionsHigh',
  auroraFreeableMemory: 'alerts/database/AuroraFreeableMemoryLow',
} as const;

/**
 * CloudWatch monitoring of one service, cdk-monitoring-constructs style: one alarm factory (every alarm's description
 * is `[severity] summary Runbook: <url>`), one facade, `monitorXxx()` for dependencies.
 *
 * - Golden signals: the service's own 5xx-rate, unhealthy-target and p99-latency alarms, plus ECS CPU and memory
 *   saturation and running < desired tasks (Container Insights); an error-log metric filter on the service's JSON logs.
 * - SLO burn rates in CloudWatch for users without Prometheus: per SLO and row of the SRE Workbook table a long-window
 *   and a short-window alarm over ALB metric math, joined by a composite alarm (both must hold).
 * - Paging once: every critical symptom (the 5xx rate, the SLO page rows, critical dependency alarms) is a member of
 *   one composite alarm per service, `pageAlarm`, the only alarm on the critical topic; each member still opens a
 *   ticket on the warning topic so the symptoms are on record. Warning alarms notify the warning topic. The halves
 *   of a burn-rate composite notify nothing themselves: their composite does.
 * - A dashboard: golden signals, SLO burn rates, alarms, dependencies.
 */
export class ServiceMonitoring extends Construct {
  /** The dashboard of the service. */
  public readonly dashboard: cloudwatch.Dashboard;
  /** The composite alarm that pages when any critical symptom of the service is in alarm. */
  public readonly pageAlarm: cloudwatch.CompositeAlarm;
  /** Average CPU utilization above `cpuUtilizationPercent` of the reservation for `GOLDEN_SIGNALS.cpu.for`; warning. */
  public readonly ecsCpuAlarm: cloudwatch.Alarm;
  /** Average memory utilization above `memoryUtilizationPercent` of the reservation for `GOLDEN_SIGNALS.memory.for`; warning. */
  public readonly ecsMemoryAlarm: cloudwatch.Alarm;
  /** Fewer running tasks than desired for `runningBelowDesiredMinutes` (Container Insights); warning. */
  public readonly ecsRunningBelowDesiredAlarm: cloudwatch.Alarm;
  /** The burn-rate alarms of every SLO, in the order of `slos` and the table's rows. */
  public readonly sloAlarms: SloBurnRateAlarm[];
  /** The metric filter counting `"level":"error"` entries of the service's JSON logs. */
  public readonly errorLogFilter: logs.MetricFilter;
  /** Every alarm this facade routes to a topic (created here or given), in the order they were added. */
  public readonly alarms: cloudwatch.IAlarm[] = [];

  private readonly topics: AlertingTopics;
  private readonly pageMembers: cloudwatch.IAlarm[] = [];

  constructor(scope: Construct, id: string, props: ServiceMonitoringProps) {
    super(scope, id);
    const { service } = props;
    const settings = validateServiceMonitoringProps(this.node.path, props);
    const { serviceName, cpuPercent, memoryPercent, belowDesiredMinutes } = settings;
    this.topics = props.topics;

    // ---- the page: a composite over every critical member, rendered at synth so later members are included
    this.pageAlarm = createRunbookCompositeAlarm(this, 'PageAlarm', {
      alarmRule: { renderAlarmRule: () => Lazy.string({ produce: () => this.renderPageRule() }) },
      severity: 'critical',
      summary: `${serviceName} has a critical symptom (5xx rate, SLO fast burn or a critical dependency): one page per service, the symptoms are the alarms in ALARM.`,
      runbook: SERVICE_MONITORING_RUNBOOKS.servicePage,
    });
    this.topics.routeAlarm(this.pageAlarm, 'critical');
    this.alarms.push(this.pageAlarm);

    // ---- golden signals
    for (const alarm of service.alarms) this.route(alarm);
    this.ecsCpuAlarm = createRunbookAlarm(this, 'EcsCpuAlarm', {
      metric: service.metricCpuUtilization({ period: Duration.minutes(1), statistic: cloudwatch.Stats.AVERAGE }),
      threshold: cpuPercent,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: settings.cpuMinutes,
      severity: 'warning',
      summary: `CPU of ${serviceName} above ${cpuPercent}% of its reservation for ${settings.cpuMinutes} minutes.`,
      runbook: SERVICE_MONITORING_RUNBOOKS.ecsCpu,
    });
    this.ecsMemoryAlarm = createRunbookAlarm(this, 'EcsMemoryAlarm', {
      metric: service.metricMemoryUtilization({ period: Duration.minutes(1), statistic: cloudwatch.Stats.AVERAGE }),
      threshold: memoryPercent,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: settings.memoryMinutes,
      severity: 'warning',
      summary: `Memory of ${serviceName} above ${memoryPercent}% of its reservation for ${settings.memoryMinutes} minutes.`,
      runbook: SERVICE_MONITORING_RUNBOOKS.ecsMemory,
    });
    this.ecsRunningBelowDesiredAlarm = createRunbookAlarm(this, 'EcsRunningBelowDesiredAlarm', {
      metric: new cloudwatch.MathExpression({
        expression: 'FILL(desired, 0) - FILL(running, 0)',
        usingMetrics: { desired: ecsTaskCount(service, 'DesiredTaskCount'), running: ecsTaskCount(service, 'RunningTaskCount') },
        label: 'Desired minus running tasks',
        period: Duration.minutes(1),
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: belowDesiredMinutes,
      severity: 'warning',
      summary: `${serviceName} runs fewer tasks than desired for ${belowDesiredMinutes} minutes.`,
      runbook: SERVICE_MONITORING_RUNBOOKS.ecsRunningBelowDesired,
    });
    for (const alarm of [this.ecsCpuAlarm, this.ecsMemoryAlarm, this.ecsRunningBelowDesiredAlarm]) this.route(alarm);

    // ---- logs: JSON entries at level error
    this.errorLogFilter = new logs.MetricFilter(this, 'ErrorLogFilter', {
      logGroup: service.logGroup,
      filterPattern: logs.FilterPattern.stringValue('$.level', '=', 'error'),
      metricNamespace: `Platform/${serviceName}`,
      metricName: 'ErrorLogEvents',
      metricValue: '1',
      defaultValue: 0,
    });
    const errorLogs = this.errorLogFilter.metric({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(1), label: 'Error log entries' });

    // ---- SLO burn rates: each row's composite notifies (critical rows join the page)
    this.sloAlarms = settings.slos.flatMap((slo) => createSloBurnRateAlarms(this, service, slo));
    for (const row of this.sloAlarms) this.route(row.composite, row.window.severity);

    this.dashboard = createServiceDashboard(this, service, { settings, errorLogs, alarms: this.alarms }, props.dashboardName);
    acknowledgeServiceMonitoringFindings(this.sloAlarms);
  }

  /**
   * Monitors an Aurora database the service depends on: CPU, connections and freeable memory alarms (warning), its
   * replica-lag alarm routed to the warning topic, and a dependencies row on the dashboard.
   */
  public monitorDatabase(database: IAuroraDatabase, options: DatabaseMonitoringOptions = {}): DatabaseMonitoringAlarms {
    const where = this.node.path;
    const { cpuPercent, maxConnections, freeableMiB } = validateDatabaseMonitoringOptions(where, options);
    const id = `Database${database.node.id}`;
    if (this.node.tryFindChild(id)) {
      throw new PlatformValidationError(where, 'database', database.node.path, 'is already monitored (or another database has the same construct ID)',
        'call monitorDatabase once per database, with databases of distinct construct IDs');
    }
    const scope = new Construct(this, id);
    const minute = { period: Duration.minutes(1) };
    const alarms: DatabaseMonitoringAlarms = {
      cpuAlarm: createRunbookAlarm(scope, 'CpuAlarm', {
        metric: database.metricCpuUtilization({ ...minute, statistic: cloudwatch.Stats.MAXIMUM }),
        threshold: cpuPercent,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 10,
        datapointsToAlarm: 8,
        severity: 'warning',
        summary: `CPU of an instance of ${database.node.path} above ${cpuPercent}% in 8 of 10 minutes.`,
        runbook: SERVICE_MONITORING_RUNBOOKS.auroraCpu,
      }),
      connectionsAlarm: createRunbookAlarm(scope, 'ConnectionsAlarm', {
        metric: database.metricDatabaseConnections({ ...minute, statistic: cloudwatch.Stats.MAXIMUM }),
        threshold: maxConnections,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 5,
        severity: 'warning',
        summary: `More than ${maxConnections} connections to an instance of ${database.node.path} for 5 minutes.`,
        runbook: SERVICE_MONITORING_RUNBOOKS.auroraConnections,
      }),
      freeableMemoryAlarm: createRunbookAlarm(scope, 'FreeableMemoryAlarm', {
        metric: database.metricFreeableMemory({ ...minute, statistic: cloudwatch.Stats.MINIMUM }),
        threshold: freeableMiB * 1024 * 1024,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 5,
        severity: 'warning',
        summary: `Freeable memory of an instance of ${database.node.path} below ${freeableMiB} MiB for 5 minutes.`,
        runbook: SERVICE_MONITORING_RUNBOOKS.auroraFreeableMemory,
      }),
      replicaLagAlarm: database.replicaLagAlarm,
    };
    for (const alarm of [alarms.cpuAlarm, alarms.connectionsAlarm, alarms.freeableMemoryAlarm, alarms.replicaLagAlarm]) this.route(alarm);
    addDatabaseWidgets(this.dashboard, database, alarms);
    return alarms;
  }

  /**
   * Routes alarms built elsewhere (ElastiCache, CloudFront, ...) like the service's own: warning to the ticket topic,
   * critical into the page composite. Severity is read from the description (`[critical] ...`) unless given.
   */
  public monitorAlarms(title: string, alarms: readonly cloudwatch.IAlarm[], severity?: AlarmSeverity): void {
    if (alarms.length === 0) {
      throw new PlatformValidationError(this.node.path, 'alarms', [], `of '${title}' is empty`,
        'pass at least one alarm (or leave the dependency out)');
    }
    for (const alarm of alarms) this.route(alarm, severity);
    this.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: `Dependency: ${title}`, alarms: [...alarms], width: 24 }));
  }

  /** Critical alarms join the page composite (and open a ticket); warning alarms open a ticket. */
  private route(alarm: cloudwatch.IAlarm, severity?: AlarmSeverity): void {
    if (this.alarms.includes(alarm)) return;
    const resolved = severity ?? severityOf(alarm);
    if (resolved === 'critical') this.pageMembers.push(alarm);
    this.topics.routeAlarm(alarm, resolved === 'critical' ? 'warning' : resolved);
    this.alarms.push(alarm);
  }

  private renderPageRule(): string {
    return cloudwatch.AlarmRule.anyOf(...this.pageMembers.map((a) => cloudwatch.AlarmRule.fromAlarm(a, cloudwatch.AlarmState.ALARM)))
      .renderAlarmRule();
  }
}
