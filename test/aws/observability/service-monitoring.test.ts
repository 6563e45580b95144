import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { ManagedGrafana } from '../../../constructs/aws/observability/managed-grafana';
import { ManagedPrometheus } from '../../../constructs/aws/observability/managed-prometheus';
import { addOtelCollector } from '../../../constructs/aws/observability/otel-collector';
import { ServiceMonitoring } from '../../../constructs/aws/observability/service-monitoring';
import type { DatabaseMonitoringOptions, ServiceMonitoringProps } from '../../../constructs/aws/observability/service-monitoring';
import { createRunbookAlarm } from '../../../constructs/aws/private/runbook-alarm';
import { runbookPathFromUrl } from '../../../constructs/core/runbooks';
import { CHECKOUT_AVAILABILITY, CHECKOUT_SLOS, referenceRuleGroups } from '../../../stacks/objectives';
import { TEST_CONTAINER_LIMITS } from '../../helpers/container-limits';
import { formatFindings, nagFindings } from '../../helpers/test-stack';
import { RUNBOOK_ROOT } from '../../helpers/runbooks';
import { platform } from './fixture';

// Template JSON is untyped; the assertions below check its shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Resource = { Type: string; Properties: Record<string, any> };

function build(props: Partial<ServiceMonitoringProps> = {}, database = false) {
  const p = platform({ database });
  const monitoring = new ServiceMonitoring(p.stack, 'Monitoring', { service: p.service, topics: p.topics, serviceName: 'checkout', ...props });
  return { ...p, monitoring };
}

/** The metric alarm or composite whose description contains `text`. */
function alarmWith(template: Template, text: string): Resource {
  const all = { ...template.findResources('AWS::CloudWatch::Alarm'), ...template.findResources('AWS::CloudWatch::CompositeAlarm') };
  const found = Object.values(all).filter((r) => String(r.Properties.AlarmDescription).includes(text));
  if (found.length !== 1) throw new Error(`${found.length} alarms describe '${text}'`);
  return found[0] as Resource;
}

const ref = (prefix: string) => [{ Ref: expect.stringMatching(new RegExp(`^${prefix}`)) }];

describe('ServiceMonitoring', () => {
  let template: Template;
  beforeAll(() => {
    const b = build({ slos: CHECKOUT_SLOS }, true);
    b.monitoring.monitorDatabase(b.database!);
    template = Template.fromStack(b.stack);
  });

  describe('every alarm', () => {
    test('has a description ending with a link to a committed runbook', () => {
      const all = { ...template.findResources('AWS::CloudWatch::Alarm'), ...template.findResources('AWS::CloudWatch::CompositeAlarm') };
      expect(Object.keys(all).length).toBe(26 + 9);
      for (const r of Object.values(all)) {
        const url = /^\[(critical|warning)\] .+ Runbook: (\S+)$/.exec(r.Properties.AlarmDescription)?.[2];
        const path = url ? runbookPathFromUrl(url) : undefined;
        expect(path && existsSync(join(RUNBOOK_ROOT, `${path}.md`)) ? 'linked' : r.Properties.AlarmDescription).toBe('linked');
      }
    });

    test('notifies a topic on ALARM and OK, except the window halves of burn-rate composites', () => {
      const all = { ...template.findResources('AWS::CloudWatch::Alarm'), ...template.findResources('AWS::CloudWatch::CompositeAlarm') };
      const silent = Object.entries(all).filter(([, r]) => !r.Properties.AlarmActions).map(([id]) => id);
      expect(silent).toHaveLength(16);
      expect(silent.every((id) => /^MonitoringSlocheckout(availability|latency)\w+(Long|Short)/.test(id))).toBe(true);
      for (const [, r] of Object.entries(all).filter(([, r]) => r.Properties.AlarmActions)) {
        expect(r.Properties.OKActions).toEqual(r.Properties.AlarmActions);
      }
    });
  });

  describe('golden signals', () => {
    test.each<[string, string, number, string]>([
      ['ECS CPU', 'CPU of checkout above 80%', 80, 'CPUUtilization'],
      ['ECS memory', 'Memory of checkout above 85%', 85, 'MemoryUtilization'],
      ['Aurora CPU', 'CPU of an instance of Test/Database above 80%', 80, 'CPUUtilization'],
      ['Aurora connections', 'More than 1000 connections', 1000, 'DatabaseConnections'],
      ['Aurora freeable memory', 'Freeable memory of an instance of Test/Database below 512 MiB', 512 * 1024 * 1024, 'FreeableMemory'],
    ])('%s: metric, threshold, warning to the ticket topic', (_, text, threshold, metric) => {
      const alarm = alarmWith(template, text);
      expect(alarm.Properties).toEqual(expect.objectContaining({ MetricName: metric, Threshold: threshold, AlarmActions: ref('AlertingWarning') }));
      expect(alarm.Properties.AlarmDescription).toMatch(/^\[warning\] /);
    });

    test('running < desired compares the Container Insights task counts for 10 minutes', () => {
      const alarm = alarmWith(template, 'runs fewer tasks than desired');
      const metrics = alarm.Properties.Metrics as Array<{
        Id: string; Expression?: string; MetricStat?: { Metric: { Namespace: string; MetricName: string } };
      }>;
      expect(metrics.find((m) => m.Expression)?.Expression).toBe('FILL(desired, 0) - FILL(running, 0)');
      expect(metrics.filter((m) => m.MetricStat).map((m) => [m.Id, m.MetricStat?.Metric.Namespace, m.MetricStat?.Metric.MetricName]))
        .toEqual([['desired', 'ECS/ContainerInsights', 'DesiredTaskCount'], ['running', 'ECS/ContainerInsights', 'RunningTaskCount']]);
      expect(alarm.Properties).toEqual(expect.objectContaining({ Threshold: 1, EvaluationPeriods: 10, ComparisonOperator: 'GreaterThanOrEqualToThreshold' }));
    });

    test('the existing service and database alarms are routed: 5xx joins the page, the rest open tickets', () => {
      expect(alarmWith(template, 'answered 5xx for 2 minutes').Properties.AlarmActions).toEqual(ref('AlertingWarning'));
      expect(alarmWith(template, 'readiness check').Properties.AlarmActions).toEqual(ref('AlertingWarning'));
      expect(alarmWith(template, 'p99 response time').Properties.AlarmActions).toEqual(ref('AlertingWarning'));
      expect(alarmWith(template, 'Aurora replica lag').Properties.AlarmActions).toEqual(ref('AlertingWarning'));
    });
  });

  describe('alarms by name', () => {
    test('the facade\'s own alarms and the database alarms are named fields, all routed', () => {
      // GIVEN a monitored service WHEN a database is monitored THEN each alarm is reachable by name and in `alarms`
      const b = build({}, true);
      const database = b.monitoring.monitorDatabase(b.database!);
      const { monitoring } = b;
      expect([monitoring.ecsCpuAlarm, monitoring.ecsMemoryAlarm, monitoring.ecsRunningBelowDesiredAlarm].map((a) => a.node.id))
        .toEqual(['EcsCpuAlarm', 'EcsMemoryAlarm', 'EcsRunningBelowDesiredAlarm']);
      expect([database.cpuAlarm, database.connectionsAlarm, database.freeableMemoryAlarm].map((a) => a.node.path))
        .toEqual(['Test/Monitoring/DatabaseDatabase/CpuAlarm', 'Test/Monitoring/DatabaseDatabase/ConnectionsAlarm', 'Test/Monitoring/DatabaseDatabase/FreeableMemoryAlarm']);
      expect(database.replicaLagAlarm).toBe(b.database!.replicaLagAlarm);
      const named = [
        monitoring.pageAlarm, ...b.service.alarms, monitoring.ecsCpuAlarm, monitoring.ecsMemoryAlarm, monitoring.ecsRunningBelowDesiredAlarm,
        database.cpuAlarm, database.connectionsAlarm, database.freeableMemoryAlarm, database.replicaLagAlarm,
      ];
      expect(monitoring.alarms).toEqual(named);
    });

    test('the dashboard\'s error graph plots the metric of the service\'s 5xx alarm', () => {
      const b = build();
      const [dashboard] = Object.values(Template.fromStack(b.stack).findResources('AWS::CloudWatch::Dashboard'));
      const body = (dashboard.Properties.DashboardBody['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : 'X')).join('');
      const widgets = (JSON.parse(body) as { widgets: Array<{ properties: { title?: string; metrics?: unknown[][] } }> }).widgets;
      const errors = widgets.find((w) => w.properties.title === 'Errors (5xx % of requests)');
      const expression = b.service.high5xxRateAlarm.metric.toMetricConfig().mathExpression?.expression;
      expect(errors?.properties.metrics?.[0]).toEqual([expect.objectContaining({ expression, label: '5xx responses (% of requests)' })]);
    });
  });

  describe('page composite', () => {
    test('is the only alarm on the critical topic and fires on ANY critical symptom', () => {
      const page = alarmWith(template, 'has a critical symptom');
      expect(page.Properties.AlarmActions).toEqual(ref('AlertingCritical'));
      const parts = page.Properties.AlarmRule['Fn::Join'][1] as unknown[];
      const members = parts.filter((p): p is { 'Fn::GetAtt': [string, string] } => typeof p === 'object').map((p) => p['Fn::GetAtt'][0]);
      expect(members).toEqual([
        expect.stringMatching(/^CheckoutHigh5xxRateAlarm/),
        expect.stringMatching(/^MonitoringSlocheckoutavailability1h5mComposite/),
        expect.stringMatching(/^MonitoringSlocheckoutavailability6h30mComposite/),
        expect.stringMatching(/^MonitoringSlocheckoutlatency1h5mComposite/),
        expect.stringMatching(/^MonitoringSlocheckoutlatency6h30mComposite/),
      ]);
      expect(parts.filter((p) => typeof p === 'string').join('')).toBe('(ALARM("") OR ALARM("") OR ALARM("") OR ALARM("") OR ALARM(""))');
      const critical = Object.values({ ...template.findResources('AWS::CloudWatch::Alarm'), ...template.findResources('AWS::CloudWatch::CompositeAlarm') })
        .filter((r) => JSON.stringify(r.Properties.AlarmActions ?? []).includes('AlertingCritical'));
      expect(critical).toHaveLength(1);
    });

    test('a critical alarm given with monitorAlarms joins the page', () => {
      const b = build();
      const alarm = createRunbookAlarm(b.stack, 'CacheDown', {
        metric: new cloudwatch.Metric({ namespace: 'AWS/ElastiCache', metricName: 'EngineCPUUtilization', period: Duration.minutes(1) }),
        threshold: 90, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD, evaluationPeriods: 5,
        severity: 'critical', summary: 'Cache saturated.', runbook: 'alerts/service/ServiceHigh5xxRate',
      });
      b.monitoring.monitorAlarms('cache', [alarm]);
      const t = Template.fromStack(b.stack);
      expect(JSON.stringify(alarmWith(t, 'has a critical symptom').Properties.AlarmRule)).toMatch(/CacheDown/);
      t.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardBody: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
    });
  });

  describe('SLO burn rates', () => {
    test.each([
      ['1h', '5m', 14.4, 3600, 300, 1, 'critical'],
      ['6h', '30m', 6, 21600, 1800, 1, 'critical'],
      ['1d', '2h', 3, 86400, 7200, 1, 'warning'],
      ['3d', '6h', 1, 86400, 21600, 3, 'warning'],
    ])('availability %s/%s: %sx the budget over both windows', (long, short, factor, longPeriod, shortPeriod, longEvaluations, severity) => {
      const threshold = Number((factor * CHECKOUT_AVAILABILITY.errorBudget).toFixed(12));
      const id = `MonitoringSlocheckoutavailability${long}${short}`;
      const alarms = template.findResources('AWS::CloudWatch::Alarm');
      const half = (kind: string) => Object.entries(alarms).find(([k]) => k.startsWith(`${id}${kind}`))?.[1].Properties;
      const longAlarm = half('Long');
      const shortAlarm = half('Short');
      for (const [alarm, period, evaluations] of [[longAlarm, longPeriod, longEvaluations], [shortAlarm, shortPeriod, 1]] as const) {
        expect(alarm.Threshold).toBe(threshold);
        expect(alarm.EvaluationPeriods).toBe(evaluations);
        const expression = alarm.Metrics.find((m: { Expression?: string }) => m.Expression);
        expect(expression.Expression).toMatch(/^IF\(requestsw\d+ > 0, \(FILL\(target5xxw\d+, 0\) \+ FILL\(elb5xxw\d+, 0\)\) \/ requestsw\d+, 0\)$/);
        expect(alarm.Metrics.filter((m: { MetricStat?: unknown }) => m.MetricStat)
          .map((m: { MetricStat: { Metric: { MetricName: string }; Period: number } }) => [m.MetricStat.Metric.MetricName, m.MetricStat.Period]))
          .toEqual([['RequestCount', period], ['HTTPCode_Target_5XX_Count', period], ['HTTPCode_ELB_5XX_Count', period]]);
      }
      const composite = Object.entries(template.findResources('AWS::CloudWatch::CompositeAlarm')).find(([k]) => k.startsWith(`${id}Composite`))?.[1].Properties;
      expect(composite.AlarmDescription).toMatch(new RegExp(`^\\[${severity}\\] checkout-availability SLO: error budget burning ${factor}x too fast over ${long} and ${short}`));
      expect(composite.AlarmRule['Fn::Join'][1].filter((p: unknown) => typeof p === 'object').map((p: { 'Fn::GetAtt': string[] }) => p['Fn::GetAtt'][0]))
        .toEqual([expect.stringMatching(new RegExp(`^${id}Long`)), expect.stringMatching(new RegExp(`^${id}Short`))]);
      expect(composite.AlarmRule['Fn::Join'][1].filter((p: unknown) => typeof p === 'string').join('')).toBe('(ALARM("") AND ALARM(""))');
    });

    test('latency: the share of target responses slower than the threshold, from the PR(:0.25) statistic', () => {
      const alarm = Object.entries(template.findResources('AWS::CloudWatch::Alarm')).find(([k]) => k.startsWith('MonitoringSlocheckoutlatency1h5mLong'))?.[1].Properties;
      expect(alarm.Threshold).toBe(0.144);
      expect(alarm.Metrics).toEqual(expect.arrayContaining([
        expect.objectContaining({ Expression: 'IF(requestsw3600 > 0, (100 - FILL(fastw3600, 100)) / 100, 0)' }),
        expect.objectContaining({ MetricStat: expect.objectContaining({ Stat: 'PR(:0.25)', Metric: expect.objectContaining({ MetricName: 'TargetResponseTime' }) }) }),
      ]));
    });
  });

  describe('logs', () => {
    test('a metric filter counts JSON error entries of the service log group', () => {
      template.hasResourceProperties('AWS::Logs::MetricFilter', {
        LogGroupName: { Ref: Match.stringLikeRegexp('^CheckoutLogs') },
        FilterPattern: '{ $.level = "error" }',
        MetricTransformations: [{ MetricNamespace: 'Platform/checkout', MetricName: 'ErrorLogEvents', MetricValue: '1', DefaultValue: 0 }],
      });
    });
  });

  describe('dashboard', () => {
    test('shows golden signals, alarms, SLO burn rates and the database', () => {
      const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
      const body = (dashboard.Properties.DashboardBody['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : 'X')).join('');
      const widgets = (JSON.parse(body) as {
        widgets: Array<{ type: string; properties: { title?: string; markdown?: string; alarms?: unknown[] } }>;
      }).widgets;
      expect(widgets.filter((w) => w.type === 'metric').map((w) => w.properties.title)).toEqual([
        'Traffic (requests/min)', 'Errors (5xx % of requests)', 'Latency (target response time, s)', 'Saturation (% of reservation)',
        'Tasks (running vs desired)', 'Error log entries',
        'checkout-availability (target 99.9% over 30d)', 'checkout-latency (target 99% over 30d)',
        'CPU (%, busiest instance)', 'Connections', 'Replica lag (ms)', 'Freeable memory (bytes)',
      ]);
      // Rendered at synth: the database alarms added after the widget are listed too (page + 3 service + 3 ECS + 8 SLO + 4 database).
      expect(widgets.find((w) => w.type === 'alarm')?.properties.alarms).toHaveLength(19);
    });
  });

  describe('validation', () => {
    test.each<[string, Partial<ServiceMonitoringProps>, string]>([
      ['CPU 0%', { cpuUtilizationPercent: 0 }, 'Test/Monitoring: cpuUtilizationPercent (0) must be between 1 and 100: set cpuUtilizationPercent to a value between 1 and 100'],
      ['memory 101%', { memoryUtilizationPercent: 101 }, 'Test/Monitoring: memoryUtilizationPercent (101) must be between 1 and 100: set memoryUtilizationPercent to a value between 1 and 100'],
      ['0 minutes below desired', { runningBelowDesiredMinutes: 0 }, 'Test/Monitoring: runningBelowDesiredMinutes (0) must be an integer from 1 to 60: set runningBelowDesiredMinutes to a whole number between 1 and 60'],
      ['a bad service name', { serviceName: 'check out' }, "Test/Monitoring: serviceName ('check out') is not a valid service name: use a letter, then up to 62 letters, digits, '_', '.' or '-' (e.g. the Prometheus job name 'checkout')"],
      ['an SLO listed twice', { slos: [CHECKOUT_AVAILABILITY, CHECKOUT_AVAILABILITY] }, "Test/Monitoring: slos ('checkout-availability') is listed twice: pass each SLO once (one set of burn-rate alarms per objective)"],
    ])('%s is refused', (_, props, message) => {
      expect(() => build(props)).toThrow(message);
    });

    test.each<[string, DatabaseMonitoringOptions, string]>([
      ['CPU 150%', { cpuUtilizationPercent: 150 }, 'Test/Monitoring: cpuUtilizationPercent (150) must be between 1 and 100: set cpuUtilizationPercent to a value between 1 and 100'],
      ['0 connections', { maxConnections: 0 }, 'Test/Monitoring: maxConnections (0) must be an integer from 1 to 262143: set maxConnections to a whole number between 1 and 262143'],
      ['0.5 MiB freeable memory', { freeableMemoryMiB: 0.5 }, 'Test/Monitoring: freeableMemoryMiB (0.5) must be an integer from 1 to 1048576: set freeableMemoryMiB to a whole number between 1 and 1048576'],
    ])('monitorDatabase: %s is refused', (_, options, message) => {
      const b = build({}, true);
      expect(() => b.monitoring.monitorDatabase(b.database!, options)).toThrow(message);
    });

    test('monitorDatabase twice is refused', () => {
      const b = build({}, true);
      b.monitoring.monitorDatabase(b.database!);
      expect(() => b.monitoring.monitorDatabase(b.database!)).toThrow(
        "Test/Monitoring: database ('Test/Database') is already monitored (or another database has the same construct ID): call monitorDatabase once per database, with databases of distinct construct IDs");
    });

    test('an empty alarm list is refused', () => {
      expect(() => build().monitoring.monitorAlarms('cache', [])).toThrow(
        "Test/Monitoring: alarms ([]) of 'cache' is empty: pass at least one alarm (or leave the dependency out)");
    });
  });

  describe('cdk-nag', () => {
    test('network + service + Aurora + topics + AMP + collector + Grafana + monitoring: nothing unacknowledged', () => {
      const p = platform({ database: true, nag: true });
      const workspace = new ManagedPrometheus(p.stack, 'Prometheus', { topics: p.topics, ruleGroups: referenceRuleGroups({ containerLimits: TEST_CONTAINER_LIMITS }) });
      addOtelCollector(p.service, { workspace, serviceName: 'checkout' });
      new ManagedGrafana(p.stack, 'Grafana', { prometheusWorkspaces: [workspace] });
      const monitoring = new ServiceMonitoring(p.stack, 'Monitoring', { service: p.service, topics: p.topics, serviceName: 'checkout', slos: CHECKOUT_SLOS });
      monitoring.monitorDatabase(p.database!);
      expect(formatFindings(nagFindings(p.stack))).toEqual([]);
    });
  });
});
