/**
 * One runbook base URL for every engine: a consumer app that sets only the context key `runbookBaseUrl` (cdk.json or
 * `-c`) gets it in the CloudWatch alarms, the AMP rule groups and the Grafana dashboards the constructs generate.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { parse } from 'yaml';
import { ManagedGrafana } from '../../../constructs/aws/observability/managed-grafana';
import { GrafanaDashboards } from '../../../constructs/aws/observability/grafana-dashboards';
import { ManagedPrometheus } from '../../../constructs/aws/observability/managed-prometheus';
import { addOtelCollector } from '../../../constructs/aws/observability/otel-collector';
import { ServiceMonitoring } from '../../../constructs/aws/observability/service-monitoring';
import { DEFAULT_RUNBOOK_BASE_URL, RUNBOOK_BASE_URL_CONTEXT_KEY } from '../../../constructs/core/runbooks';
import { CHECKOUT_SLOS } from '../../../stacks/objectives';
import { platform } from './fixture';

const BASE = 'https://wiki.example.com/sre';

describe('a consumer app with only the runbookBaseUrl context key set', () => {
  // GIVEN the observability constructs composed as a consumer would, passing no runbook URL anywhere
  const p = platform({ database: true, context: { [RUNBOOK_BASE_URL_CONTEXT_KEY]: BASE } });
  const prometheus = new ManagedPrometheus(p.stack, 'Prometheus', { topics: p.topics });
  prometheus.addServiceAlerts(p.service, { serviceName: 'checkout', slos: CHECKOUT_SLOS });
  prometheus.addPlatformAlerts();
  addOtelCollector(p.service, { workspace: prometheus, serviceName: 'checkout' });
  const monitoring = new ServiceMonitoring(p.stack, 'Monitoring', { service: p.service, topics: p.topics, serviceName: 'checkout', slos: CHECKOUT_SLOS });
  monitoring.monitorDatabase(p.database!);
  const grafana = new ManagedGrafana(p.stack, 'Grafana', { prometheusWorkspaces: [prometheus] });
  const dashboards = new GrafanaDashboards(p.stack, 'Dashboards', { workspaceId: grafana.workspaceId, workspaceEndpoint: grafana.workspaceEndpoint });
  dashboards.addServiceDashboard(p.service, { serviceName: 'checkout', slos: CHECKOUT_SLOS });
  dashboards.addPlatformOverview({ slos: CHECKOUT_SLOS });
  // WHEN it synthesizes
  const template = Template.fromStack(p.stack);
  const props = (type: string): Array<Record<string, unknown>> =>
    Object.values(template.findResources(type)).map((r) => r.Properties as Record<string, unknown>);

  /** THEN every link of `urls` is under the configured base (and there are links to check). */
  const expectUnderBase = (urls: string[]): void => {
    expect(urls.length).toBeGreaterThan(5);
    expect(urls.filter((url) => !url.startsWith(`${BASE}/runbooks/`))).toEqual([]);
  };

  test('CloudWatch alarms link runbooks under the base', () => {
    const descriptions = [...props('AWS::CloudWatch::Alarm'), ...props('AWS::CloudWatch::CompositeAlarm')].map((a) => a.AlarmDescription as string);
    expectUnderBase(descriptions.map((d) => /Runbook: (\S+)$/.exec(d)?.[1] ?? d));
  });

  test('the AMP rule groups\' runbook_url annotations are under the base', () => {
    const [namespace] = props('AWS::APS::RuleGroupsNamespace');
    const groups = (parse(namespace.Data as string) as { groups: Array<{ rules: Array<{ annotations?: { runbook_url: string } }> }> }).groups;
    expectUnderBase(groups.flatMap((g) => g.rules).flatMap((r) => (r.annotations ? [r.annotations.runbook_url] : [])));
  });

  test('the Grafana dashboards\' runbook links are under the base, none under the default', () => {
    const [resource] = props('Custom::GrafanaDashboards');
    const json = resource.Dashboards as string;
    expectUnderBase([...json.matchAll(/https?:\/\/[^"\s)]+\/runbooks\/[^"\s)]+\.md/g)].map((m) => m[0]));
    expect(json).not.toContain(DEFAULT_RUNBOOK_BASE_URL);
  });
});
