import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { parse } from 'yaml';
import { AlertingTopics } from '../../../constructs/aws/observability/alerting-topics';
import { ManagedPrometheus } from '../../../constructs/aws/observability/managed-prometheus';
import type { ManagedPrometheusProps } from '../../../constructs/aws/observability/managed-prometheus';
import { addOtelCollector } from '../../../constructs/aws/observability/otel-collector';
import { platformRuleGroup } from '../../../constructs/core/observability/golden-signals';
import { renderRuleFile } from '../../../constructs/core/observability/rule-file';
import type { Slo } from '../../../constructs/core/observability/slo';
import { CHECKOUT_SLOS, referenceRuleGroups } from '../../../stacks/objectives';
import { TEST_CONTAINER_LIMITS } from '../../helpers/container-limits';
import { testStack } from '../../helpers/test-stack';
import { platform } from './fixture';

const GROUPS = referenceRuleGroups({ containerLimits: TEST_CONTAINER_LIMITS });

function build(props: Partial<ManagedPrometheusProps> = {}) {
  const stack = testStack();
  const topics = new AlertingTopics(stack, 'Alerting');
  const prometheus = new ManagedPrometheus(stack, 'Prometheus', { topics, ruleGroups: GROUPS, ...props });
  return { stack, topics, prometheus };
}

describe('ManagedPrometheus', () => {
  let template: Template;
  beforeAll(() => {
    template = Template.fromStack(build().stack);
  });

  describe('workspace', () => {
    test('is encrypted with its own key and logs to an encrypted, retained log group', () => {
      template.hasResourceProperties('AWS::APS::Workspace', {
        Alias: 'Test-Prometheus',
        KmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PrometheusKey'), 'Arn'] },
        LoggingConfiguration: { LogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PrometheusLogs'), 'Arn'] } },
      });
      template.hasResource('AWS::Logs::LogGroup', {
        DeletionPolicy: 'Retain',
        Properties: { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PrometheusKey'), 'Arn'] }, RetentionInDays: 365 },
      });
    });

    test('the log group exists before the workspace logs to it', () => {
      const [workspace] = Object.values(template.findResources('AWS::APS::Workspace'));
      expect(workspace.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^PrometheusLogs/)]));
    });
  });

  describe('rules', () => {
    test('the rule groups namespace holds exactly the rendered rule file', () => {
      template.hasResourceProperties('AWS::APS::RuleGroupsNamespace', {
        Name: 'platform',
        Workspace: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Prometheus'), 'Arn'] },
        Data: renderRuleFile(GROUPS),
      });
    });
  });

  describe('alertmanager definition', () => {
    test('routes critical and warning to SNS receivers of the severity topics, signed for the region', () => {
      const [workspace] = Object.values(template.findResources('AWS::APS::Workspace'));
      const parts = workspace.Properties.AlertManagerDefinition['Fn::Join'][1] as unknown[];
      // Put the topic refs back as placeholders and parse the document AMP receives.
      const text = parts.map((p) => (typeof p === 'string' ? p : `REF:${(p as { Ref: string }).Ref}`)).join('');
      const config = parse((parse(text) as { alertmanager_config: string }).alertmanager_config) as {
        receivers: Array<{ name: string; sns_configs?: Array<{ topic_arn: string; sigv4: { region: string } }> }>;
        route: { routes: Array<{ receiver: string; matchers: string[] }> };
      };
      const sns = Object.fromEntries(config.receivers.filter((r) => r.sns_configs).map((r) => [r.name, r.sns_configs?.[0]]));
      expect(sns.critical).toEqual(expect.objectContaining({ topic_arn: expect.stringMatching(/^REF:AlertingCritical/), sigv4: { region: 'eu-west-1' } }));
      expect(sns.warning).toEqual(expect.objectContaining({ topic_arn: expect.stringMatching(/^REF:AlertingWarning/), sigv4: { region: 'eu-west-1' } }));
      expect(config.receivers.every((r) => r.sns_configs || r.name === 'null')).toBe(true);
      expect(config.route.routes.find((r) => r.matchers.includes('severity="critical"'))?.receiver).toBe('critical');
    });
  });

  describe('grants', () => {
    test('grantRemoteWrite allows aps:RemoteWrite on this workspace only', () => {
      const { stack, prometheus } = build();
      const role = new iam.Role(stack, 'Writer', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      prometheus.grantRemoteWrite(role);
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'aps:RemoteWrite', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Prometheus'), 'Arn'] } }] },
      });
    });
  });

  describe('validation', () => {
    test.each<[string, Partial<ManagedPrometheusProps>, string]>([
      ['no rule groups', { ruleGroups: [] }, 'Test/Prometheus: ruleGroups ([]) is empty: pass the rule groups to evaluate, e.g. sloRuleGroups(slo), or call addServiceAlerts()'],
      ['a bad namespace', { ruleNamespace: '-rules' }, "Test/Prometheus: ruleNamespace ('-rules') is not a valid rule groups namespace name: use 1 to 64 letters, digits, '-', '.' or '_', starting with a letter or digit"],
      ['duplicate groups', { ruleGroups: [GROUPS[0], GROUPS[0]] }, `Test/Prometheus: ruleGroups ('${GROUPS[0].name}') names two rule groups: give every rule group its own name (Prometheus rejects a rule file with duplicate group names)`],
    ])('%s is refused', (_, props, message) => {
      expect(() => build(props)).toThrow(message);
    });
  });
});

describe('ManagedPrometheus as a remote-write target only', () => {
  test('without topics and rules: no rule namespace, no Alertmanager definition', () => {
    const stack = testStack();
    const prometheus = new ManagedPrometheus(stack, 'Prometheus', {});
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::APS::Workspace', { AlertManagerDefinition: Match.absent() });
    template.resourceCountIs('AWS::APS::RuleGroupsNamespace', 0);
    expect(prometheus.alertmanagerConfig).toBeUndefined();
  });

  test('topics without any rule by synth is refused (the workspace would page on nothing)', () => {
    const stack = testStack();
    const topics = new AlertingTopics(stack, 'Alerting');
    new ManagedPrometheus(stack, 'Prometheus', { topics });
    expect(() => Template.fromStack(stack)).toThrow(
      'Test/Prometheus: ruleGroups ([]) is empty while topics is set: the workspace would page on nothing: '
        + 'pass ruleGroups, call addServiceAlerts() / addPlatformAlerts(), or leave topics out (remote-write target only)');
  });

  test('rules without topics are refused', () => {
    const stack = testStack();
    expect(() => new ManagedPrometheus(stack, 'Prometheus', { ruleGroups: GROUPS })).toThrow(
      'Test/Prometheus: topics (undefined) is required with ruleGroups: pass both (the workspace evaluates rules and pages) or neither (remote-write target only)');
    const prometheus = new ManagedPrometheus(stack, 'Remote', {});
    expect(() => prometheus.addPlatformAlerts()).toThrow(
      'Test/Remote: topics (undefined) is required to evaluate alerts (addPlatformAlerts): pass the AlertingTopics the workspace pages and tickets through');
  });
});

describe('ManagedPrometheus.addServiceAlerts / addPlatformAlerts', () => {
  const RUNBOOKS = 'https://runbooks.example.com/ops';

  /** GIVEN a service, topics and a workspace evaluating its alerts (context `runbookBaseUrl` when given). */
  function monitored(context: Record<string, unknown> = {}) {
    const p = platform({ context });
    const prometheus = new ManagedPrometheus(p.stack, 'Prometheus', { topics: p.topics });
    prometheus.addServiceAlerts(p.service, { serviceName: 'checkout', slos: CHECKOUT_SLOS });
    prometheus.addPlatformAlerts();
    return { ...p, prometheus };
  }
  const data = (stack: Parameters<typeof Template.fromStack>[0]): string =>
    Object.values(Template.fromStack(stack).findResources('AWS::APS::RuleGroupsNamespace'))[0].Properties.Data as string;

  test('renders the SLO, golden-signal, resilience and platform groups, limits read at synth (a sidecar added later counts)', () => {
    const m = monitored();
    addOtelCollector(m.service, { workspace: m.prometheus, serviceName: 'checkout' });
    const rendered = data(m.stack);
    const doc = parse(rendered) as { groups: Array<{ name: string; rules: Array<{ alert?: string; labels?: Record<string, string> }> }> };
    expect(doc.groups.map((g) => g.name)).toEqual([
      'slo-checkout-availability', 'slo-checkout-availability-budget', 'slo-checkout-latency', 'slo-checkout-latency-budget',
      'golden-checkout', 'resilience-checkout', 'platform',
    ]);
    expect(doc.groups[5].rules.map((r) => `${r.alert} ${r.labels?.severity}`)).toEqual([
      'DatabaseCircuitOpen critical', 'CacheBypassActive warning', 'RequestsShed critical', 'RequestsShed warning', 'DbPoolSaturated warning',
    ]);
    expect(rendered).toBe(renderRuleFile(referenceRuleGroups({ containerLimits: { cpuCores: 0.75, memoryBytes: 1536 * 1024 ** 2 } })));
    expect(rendered).toContain('/ 0.75 > 0.8');
    expect(rendered).toContain(`/ ${1536 * 1024 ** 2} > 0.85`);
  });

  test('runbook links follow the runbookBaseUrl context, as the alarms do', () => {
    const rendered = parse(data(monitored({ runbookBaseUrl: RUNBOOKS }).stack)) as {
      groups: Array<{ rules: Array<{ annotations?: { runbook_url: string } }> }>;
    };
    const urls = rendered.groups.flatMap((g) => g.rules).flatMap((r) => (r.annotations ? [r.annotations.runbook_url] : []));
    expect(urls.length).toBe(20);
    for (const url of urls) expect(url.startsWith(`${RUNBOOKS}/runbooks/`)).toBe(true);
  });

  test('a group name given in ruleGroups and generated again is refused at synth', () => {
    const p = platform();
    const prometheus = new ManagedPrometheus(p.stack, 'Prometheus', { topics: p.topics, ruleGroups: [platformRuleGroup()] });
    prometheus.addPlatformAlerts();
    expect(() => Template.fromStack(p.stack)).toThrow(
      "Test/Prometheus: ruleGroups ('platform') names two rule groups: give every rule group its own name (Prometheus rejects a rule file with duplicate group names)");
  });

  test.each<[string, { serviceName: string; slos: readonly Slo[] }, string]>([
    ['a bad service name', { serviceName: 'check out', slos: CHECKOUT_SLOS },
      "Test/Prometheus: serviceName ('check out') is not a valid service name: use the service's Prometheus job name: a letter, then up to 62 letters, digits, '_', '.' or '-'"],
    ['an SLO of another service', { serviceName: 'cart', slos: CHECKOUT_SLOS },
      "Test/Prometheus: slos ('checkout-availability') is an SLO of service 'checkout', not of 'cart': pass only SLOs declared with service: 'cart'"],
    ['no latency SLO', { serviceName: 'checkout', slos: [CHECKOUT_SLOS[0]] },
      'Test/Prometheus: slos (["checkout-availability"]) has no latency SLO: add a Slo.latency({ service, threshold, target }): its threshold is the p99 alert threshold'],
  ])('%s is refused', (_, options, message) => {
    const p = platform();
    const prometheus = new ManagedPrometheus(p.stack, 'Prometheus', { topics: p.topics });
    expect(() => prometheus.addServiceAlerts(p.service, options)).toThrow(message);
  });
});
