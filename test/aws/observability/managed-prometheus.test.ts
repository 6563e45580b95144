import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { parse } from 'yaml';
import { AlertingTopics } from '../../../constructs/aws/observability/alerting-topics';
import { ManagedPrometheus } from '../../../constructs/aws/observability/managed-prometheus';
import type { ManagedPrometheusProps } from '../../../constructs/aws/observability/managed-prometheus';
import { renderRuleFile } from '../../../constructs/core/observability/rule-file';
import { referenceRuleGroups } from '../../../stacks/objectives';
import { testStack } from '../../helpers/test-stack';

const GROUPS = referenceRuleGroups();

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
      ['no rule groups', { ruleGroups: [] }, 'Test/Prometheus: ruleGroups ([]) is empty: pass the rule groups to evaluate, e.g. referenceRuleGroups() or sloRuleGroups(slo)'],
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

  test('topics without rules is refused', () => {
    const stack = testStack();
    const topics = new AlertingTopics(stack, 'Alerting');
    expect(() => new ManagedPrometheus(stack, 'Prometheus', { topics })).toThrow(
      'Test/Prometheus: ruleGroups (undefined) is required with topics: pass both (the workspace evaluates rules and pages) or neither (remote-write target only)');
  });
});
