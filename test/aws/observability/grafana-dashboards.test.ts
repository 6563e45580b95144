import { createHash } from 'node:crypto';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as grafana from 'aws-cdk-lib/aws-grafana';
import { GrafanaDashboards, MAX_DASHBOARDS_JSON_LENGTH } from '../../../constructs/aws/observability/grafana-dashboards';
import type { GrafanaDashboardsProps } from '../../../constructs/aws/observability/grafana-dashboards';
import { ManagedPrometheus } from '../../../constructs/aws/observability/managed-prometheus';
import { addOtelCollector } from '../../../constructs/aws/observability/otel-collector';
import { dashboardJson, platformOverviewDashboard, serviceDashboard } from '../../../constructs/core/observability/dashboards';
import { CHECKOUT_SLOS, REFERENCE_SERVICE } from '../../../stacks/objectives';
import { TEST_CONTAINER_LIMITS as LIMITS } from '../../helpers/container-limits';
import { formatFindings, nagFindings, testStack } from '../../helpers/test-stack';
import { platform } from './fixture';

const WORKSPACE = 'g-0123456789';
const ENDPOINT = `${WORKSPACE}.grafana-workspace.eu-west-1.amazonaws.com`;

function dashboards(): Record<string, object> {
  const svc = serviceDashboard({
    service: REFERENCE_SERVICE, slos: CHECKOUT_SLOS, cpuLimitCores: LIMITS.cpuCores, memoryLimitBytes: LIMITS.memoryBytes,
  });
  const overview = platformOverviewDashboard({ slos: CHECKOUT_SLOS });
  return { [svc.uid as string]: svc, [overview.uid as string]: overview };
}

function build(props: Partial<GrafanaDashboardsProps> = {}, nag = false) {
  const stack = testStack({ nag });
  const construct = new GrafanaDashboards(stack, 'Dashboards', { workspaceId: WORKSPACE, workspaceEndpoint: ENDPOINT, dashboards: dashboards(), ...props });
  return { stack, construct };
}

describe('GrafanaDashboards', () => {
  const { stack, construct } = build();
  const template = Template.fromStack(stack);

  test('the handler: Node.js 24 on ARM64, bounded, logs to its KMS-encrypted log group with retention', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: 300,
      ReservedConcurrentExecutions: 2,
      Handler: 'index.handler',
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^DashboardsHandlerLogs') } },
    });
    const groups = template.findResources('AWS::Logs::LogGroup');
    expect(Object.keys(groups)).toHaveLength(2);
    for (const g of Object.values(groups)) {
      expect(g.Properties).toEqual(expect.objectContaining({ RetentionInDays: 365, KmsKeyId: expect.anything() }));
      expect(g.DeletionPolicy).toBe('Retain');
    }
  });

  test('IAM: the AMG actions on this workspace only, no wildcard resource', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Sid: 'ServiceAccountAndTokens',
          Effect: 'Allow',
          // sorted (@aws-cdk/aws-iam:minimizePolicies) and a literal partition (@aws-cdk/core:enablePartitionLiterals)
          Action: [
            'grafana:CreateWorkspaceServiceAccount', 'grafana:CreateWorkspaceServiceAccountToken', 'grafana:DeleteWorkspaceServiceAccount',
            'grafana:DeleteWorkspaceServiceAccountToken', 'grafana:ListWorkspaceServiceAccounts',
          ],
          Resource: `arn:aws:grafana:eu-west-1:111111111111:/workspaces/${WORKSPACE}`,
        }]),
      },
    });
    const statements = Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Resource: unknown }>);
    expect(statements.some((s) => s.Resource === '*')).toBe(false);
    // no AWS managed policy on either role
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  test('one custom resource with the workspace, the dashboards and their hash', () => {
    template.resourceCountIs('Custom::GrafanaDashboards', 1);
    const [resource] = Object.values(template.findResources('Custom::GrafanaDashboards'));
    const p = resource.Properties;
    expect(p.WorkspaceId).toBe(WORKSPACE);
    expect(p.WorkspaceEndpoint).toBe(ENDPOINT);
    expect(p.ServiceAccountName).toBe(construct.serviceAccountName);
    expect(p.DashboardsHash).toBe(createHash('sha256').update(p.Dashboards).digest('hex'));
    expect(Object.keys(JSON.parse(p.Dashboards))).toEqual(['platform-overview', 'svc-checkout']);
    expect(p.ServiceToken).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^DashboardsProviderframeworkonEvent/), 'Arn'] });
  });

  test('a changed dashboard changes the hash; the same dashboards keep it', () => {
    const same = build().construct;
    const d = dashboards();
    const changed = build({ dashboards: { ...d, 'platform-overview': { ...(d['platform-overview'] as object), title: 'Renamed' } } }).construct;
    expect(same.dashboardsHash).toBe(construct.dashboardsHash);
    expect(changed.dashboardsHash).not.toBe(construct.dashboardsHash);
  });

  test('takes the workspace L1\'s attributes', () => {
    const s = testStack();
    const ws = new grafana.CfnWorkspace(s, 'Workspace', { accountAccessType: 'CURRENT_ACCOUNT', authenticationProviders: ['AWS_SSO'], permissionType: 'SERVICE_MANAGED' });
    new GrafanaDashboards(s, 'Dashboards', { workspaceId: ws.attrId, workspaceEndpoint: ws.attrEndpoint, dashboards: dashboards() });
    Template.fromStack(s).hasResourceProperties('Custom::GrafanaDashboards', {
      WorkspaceId: { 'Fn::GetAtt': ['Workspace', 'Id'] },
      WorkspaceEndpoint: { 'Fn::GetAtt': ['Workspace', 'Endpoint'] },
    });
  });
});

describe('validation', () => {
  const TOKEN = ['$', '{Token[TOKEN.99]}'].join('');
  test.each<[string, Partial<GrafanaDashboardsProps>, string]>([
    ['no dashboards', { dashboards: {} },
      'Test/Dashboards: dashboards ({}) is empty: pass at least one dashboard, e.g. { [d.uid]: d } for d = serviceDashboard(...)'],
    ['a key that is not a uid', { dashboards: { 'bad uid': { title: 'X' } } },
      "Test/Dashboards: dashboards ('bad uid') has a key that is not a Grafana uid: key each dashboard by its uid: 1 to 40 letters, digits, '-' or '_'"],
    ['a uid different from its key', { dashboards: { a: { uid: 'b', title: 'X' } } },
      "Test/Dashboards: dashboards['a'].uid ('b') differs from its key: key each dashboard by its own uid"],
    ['no title', { dashboards: { a: {} } },
      "Test/Dashboards: dashboards['a'].title (undefined) is missing: give the dashboard a title (Grafana requires one)"],
    ['a token in a dashboard', { dashboards: { a: { title: TOKEN } } },
      "Test/Dashboards: dashboards ('<contains tokens>') contains unresolved CDK tokens: render dashboards from literal values (identifiers known at synth time)"],
    ['dashboards too large', { dashboards: { a: { title: 'X', description: 'x'.repeat(MAX_DASHBOARDS_JSON_LENGTH) } } },
      `Test/Dashboards: dashboards ('100046 characters of JSON') is larger than ${MAX_DASHBOARDS_JSON_LENGTH} characters: `
        + 'split the dashboards across several GrafanaDashboards constructs (CloudFormation sends old and new properties in one event of at most 256 KB)'],
    ['a workspace id that is not one', { workspaceId: 'workspace-1' },
      "Test/Dashboards: workspaceId ('workspace-1') is not an Amazon Managed Grafana workspace id: pass the workspace's id ('g-' and 10 hex digits), e.g. CfnWorkspace.attrId"],
    ['an endpoint with a path', { workspaceEndpoint: 'https://example.com/grafana' },
      "Test/Dashboards: workspaceEndpoint ('https://example.com/grafana') is not a host name or https URL: pass the workspace's endpoint, e.g. CfnWorkspace.attrEndpoint"],
  ])('%s', (_case, props, message) => {
    expect(() => build(props)).toThrow(message);
  });
});

describe('compliance', () => {
  test('AwsSolutions and NIST 800-53 rev 5 packs pass (acknowledged findings only)', () => {
    const { stack } = build({}, true);
    expect(formatFindings(nagFindings(stack))).toEqual([]);
  });
});

describe('addServiceDashboard / addPlatformOverview', () => {
  const RUNBOOKS = 'https://runbooks.example.com/ops';

  /** GIVEN a service with dashboards generated for it (context `runbookBaseUrl` when given). */
  function generated(context: Record<string, unknown> = {}) {
    const p = platform({ context });
    const construct = new GrafanaDashboards(p.stack, 'Dashboards', { workspaceId: WORKSPACE, workspaceEndpoint: ENDPOINT });
    construct.addServiceDashboard(p.service, { serviceName: REFERENCE_SERVICE, slos: CHECKOUT_SLOS });
    construct.addPlatformOverview({ slos: CHECKOUT_SLOS });
    return { ...p, construct };
  }
  const provisioned = (stack: Parameters<typeof Template.fromStack>[0]): { json: string; hash: string } => {
    const [resource] = Object.values(Template.fromStack(stack).findResources('Custom::GrafanaDashboards'));
    return { json: resource.Properties.Dashboards as string, hash: resource.Properties.DashboardsHash as string };
  };

  test('the service dashboard divides by the container limits at synth (a sidecar added later counts)', () => {
    const g = generated();
    const workspace = new ManagedPrometheus(g.stack, 'Prometheus', {});
    addOtelCollector(g.service, { workspace, serviceName: REFERENCE_SERVICE });
    const { json, hash } = provisioned(g.stack);
    const expected = serviceDashboard({ service: REFERENCE_SERVICE, slos: CHECKOUT_SLOS, cpuLimitCores: 0.75, memoryLimitBytes: 1536 * 1024 ** 2 });
    expect(JSON.parse(json)['svc-checkout']).toEqual(JSON.parse(dashboardJson(expected)));
    expect(Object.keys(JSON.parse(json))).toEqual(['platform-overview', 'svc-checkout']);
    expect(hash).toBe(createHash('sha256').update(json).digest('hex'));
    expect(g.construct.dashboardsHash).toBe(hash);
  });

  test('runbook links follow the runbookBaseUrl context, as the alarms do', () => {
    const { json } = provisioned(generated({ runbookBaseUrl: RUNBOOKS }).stack);
    const links = [...json.matchAll(/https?:\/\/[^"\s)]+\/runbooks\/[^"\s)]+\.md/g)].map((m) => m[0]);
    expect(links.length).toBeGreaterThan(5);
    for (const link of links) expect(link.startsWith(`${RUNBOOKS}/runbooks/`)).toBe(true);
  });

  test('no dashboard at all by synth is refused', () => {
    const stack = testStack();
    new GrafanaDashboards(stack, 'Dashboards', { workspaceId: WORKSPACE, workspaceEndpoint: ENDPOINT });
    expect(() => Template.fromStack(stack)).toThrow(
      'Test/Dashboards: dashboards ({}) is empty: pass at least one dashboard, e.g. { [d.uid]: d } for d = serviceDashboard(...)');
  });

  test('a dashboard given and generated again is refused at synth', () => {
    const p = platform();
    const construct = new GrafanaDashboards(p.stack, 'Dashboards', { workspaceId: WORKSPACE, workspaceEndpoint: ENDPOINT, dashboards: dashboards() });
    construct.addPlatformOverview({ slos: CHECKOUT_SLOS });
    expect(() => Template.fromStack(p.stack)).toThrow(
      "Test/Dashboards: dashboards ('platform-overview') names two dashboards: provision each dashboard once: leave it out of dashboards when an add method generates it");
  });
});
