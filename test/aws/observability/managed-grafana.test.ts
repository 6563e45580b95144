import { Match, Template } from 'aws-cdk-lib/assertions';
import { AlertingTopics } from '../../../constructs/aws/observability/alerting-topics';
import { ManagedGrafana } from '../../../constructs/aws/observability/managed-grafana';
import { ManagedPrometheus } from '../../../constructs/aws/observability/managed-prometheus';
import { referenceRuleGroups } from '../../../stacks/objectives';
import { TEST_CONTAINER_LIMITS } from '../../helpers/container-limits';
import { testStack } from '../../helpers/test-stack';

function build() {
  const stack = testStack();
  const topics = new AlertingTopics(stack, 'Alerting');
  const prometheus = new ManagedPrometheus(stack, 'Prometheus', { topics, ruleGroups: referenceRuleGroups({ containerLimits: TEST_CONTAINER_LIMITS }) });
  return { stack, prometheus };
}

describe('ManagedGrafana', () => {
  let template: Template;
  let grafana: ManagedGrafana;
  beforeAll(() => {
    const { stack, prometheus } = build();
    grafana = new ManagedGrafana(stack, 'Grafana', { prometheusWorkspaces: [prometheus] });
    template = Template.fromStack(stack);
  });

  test('an IAM Identity Center workspace with the Prometheus and CloudWatch data sources and its own role', () => {
    template.hasResourceProperties('AWS::Grafana::Workspace', {
      Name: 'Test-Grafana',
      AccountAccessType: 'CURRENT_ACCOUNT',
      AuthenticationProviders: ['AWS_SSO'],
      PermissionType: 'SERVICE_MANAGED',
      DataSources: ['PROMETHEUS', 'CLOUDWATCH'],
      PluginAdminEnabled: false,
      RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GrafanaRole'), 'Arn'] },
    });
  });

  test('exposes the workspace ID and endpoint for dashboard provisioning', () => {
    const stack = grafana.workspace.stack;
    expect(stack.resolve(grafana.workspaceId)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Grafana/), 'Id'] });
    expect(stack.resolve(grafana.workspaceEndpoint)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Grafana/), 'Endpoint'] });
  });

  test('the role trusts Grafana of this account only', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Principal: { Service: 'grafana.amazonaws.com' },
          Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': '111111111111' } }),
        })],
      },
    });
  });

  test('the role may query the given AMP workspace and read CloudWatch, and write nothing', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^GrafanaRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'QueryPrometheus', Action: Match.arrayWith(['aps:QueryMetrics']), Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Prometheus'), 'Arn'] } }),
          Match.objectLike({ Sid: 'ReadCloudWatch', Action: Match.arrayWith(['cloudwatch:GetMetricData', 'logs:StartQuery']) }),
        ]),
      },
    });
    const [policy] = Object.values(template.findResources('AWS::IAM::ManagedPolicy'));
    const actions = (policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[] }>).flatMap((s) => s.Action);
    expect(actions.filter((a) => !/:(Get|List|Describe|Query|StartQuery|StopQuery)/.test(a))).toEqual([]);
  });

  test('no AMP workspace is refused', () => {
    expect(() => new ManagedGrafana(testStack(), 'Grafana', { prometheusWorkspaces: [] })).toThrow(
      'Test/Grafana: prometheusWorkspaces ([]) is empty: pass the ManagedPrometheus workspace(s) Grafana reads (one per region)');
  });
});
