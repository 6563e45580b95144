import { Match, Template } from 'aws-cdk-lib/assertions';
import { DrTier } from '../../constructs/core/dr-tier';
import { PlatformValidationError } from '../../constructs/core/errors';
import { addCompliancePacks } from '../../stacks/nag';
import { EksPlatformStack, PROMETHEUS_OPERATOR_CHART_VERSION } from '../../stacks/eks/eks-platform-stack';
import type { EksPlatformStackProps } from '../../stacks/eks/eks-platform-stack';
import { one, synthMonitoring, validateManifest } from '../k8s/helpers';
import type { Manifest } from '../k8s/helpers';
import { formatFindings, nagFindings, TEST_ACCOUNT, TEST_REGION, testApp } from '../helpers/test-stack';
import { flattenIntrinsics } from '../../constructs/aws/private/nag';

type Json = Record<string, unknown>;

function eksStack(options: { nag?: boolean; props?: Partial<EksPlatformStackProps> } = {}): EksPlatformStack {
  const app = testApp();
  if (options.nag) addCompliancePacks(app);
  return new EksPlatformStack(app, 'Eks', {
    env: { account: TEST_ACCOUNT, region: TEST_REGION },
    service: 'checkout',
    regionRole: 'primary',
    drTier: DrTier.PILOT_LIGHT,
    ...options.props,
  });
}


describe('EksPlatformStack', () => {
  const stack = eksStack();
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Json }>;
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const manifests = (id: string): Manifest[] => {
    const logicalId = stack.getLogicalId(stack.cluster.node.findChild(id).node.defaultChild as never);
    return JSON.parse(flattenIntrinsics(resources[logicalId].Properties.Manifest)) as Manifest[];
  };

  test('stays well under the resource budget', () => {
    expect(Object.keys(resources).length).toBeLessThan(250);
  });

  test('an EKS cluster with a private endpoint, KMS envelope encryption of secrets and every control-plane log', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', {
      Version: '1.35',
      ResourcesVpcConfig: { EndpointPrivateAccess: true, EndpointPublicAccess: false },
      EncryptionConfig: [{ Provider: { KeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecretsKey'), 'Arn'] } }, Resources: ['secrets'] }],
      Logging: { ClusterLogging: { EnabledTypes: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'].map((Type) => ({ Type })) } },
      AccessConfig: { AuthenticationMode: 'API' },
    });
    template.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true, Description: Match.stringLikeRegexp('EKS secrets') },
      DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain',
    });
  });

  test('a managed node group over the three AZs\' private subnets: min 3, desired 3, max 9', () => {
    const [[, ng]] = ofType('AWS::EKS::Nodegroup');
    expect(ng.Properties).toMatchObject({
      ScalingConfig: { MinSize: 3, DesiredSize: 3, MaxSize: 9 },
      AmiType: 'AL2023_x86_64_STANDARD',
      InstanceTypes: ['m6i.large'],
    });
    const subnets = (ng.Properties.Subnets as Array<{ Ref: string }>).map((s) => s.Ref);
    expect(subnets).toHaveLength(3);
    const azs = subnets.map((id) => resources[id].Properties.AvailabilityZone);
    expect(new Set(azs)).toEqual(new Set(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']));
    for (const id of subnets) expect(id).toMatch(/PrivateSubnet/);
  });

  test('Amazon Managed Prometheus is the remote-write target only: the in-cluster Prometheus evaluates and pages, once', () => {
    template.resourceCountIs('AWS::APS::Workspace', 1);
    template.hasResourceProperties('AWS::APS::Workspace', { AlertManagerDefinition: Match.absent() });
    template.resourceCountIs('AWS::APS::RuleGroupsNamespace', 0);
    template.resourceCountIs('AWS::SNS::Topic', 0);
  });

  test('the prometheus-operator from its helm chart, pinned', () => {
    template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', {
      Chart: 'kube-prometheus-stack', Version: PROMETHEUS_OPERATOR_CHART_VERSION, Namespace: 'monitoring', CreateNamespace: true,
    });
  });

  test('both charts are applied through the kubectl provider, after the operator', () => {
    const kinds = (ms: Manifest[]) => ms.map((m) => `${m.kind}/${m.metadata.name}`);
    expect(kinds(manifests('ServiceChart'))).toEqual(expect.arrayContaining(['Deployment/checkout', 'HorizontalPodAutoscaler/checkout', 'ServiceMonitor/checkout', 'PrometheusRule/checkout']));
    expect(kinds(manifests('MonitoringChart'))).toEqual(expect.arrayContaining(['Prometheus/platform', 'Alertmanager/platform', 'Deployment/grafana']));
    expect(ofType('Custom::AWSCDK-EKS-KubernetesResource').length).toBeGreaterThanOrEqual(3);
    const helm = ofType('Custom::AWSCDK-EKS-HelmChart')[0][0];
    for (const id of ['ServiceChart', 'MonitoringChart']) {
      const logicalId = stack.getLogicalId(stack.cluster.node.findChild(id).node.defaultChild as never);
      expect(template.toJSON().Resources[logicalId].DependsOn).toContain(helm);
    }
  });

  test('Prometheus remote-writes to the workspace with SigV4 in the stack\'s region', () => {
    const prometheus = one(manifests('MonitoringChart'), 'Prometheus');
    const workspace = ofType('AWS::APS::Workspace')[0][0];
    expect(prometheus.spec.remoteWrite).toEqual([{ url: `<${workspace}.PrometheusEndpoint>api/v1/remote_write`, sigv4: { region: 'eu-west-1' } }]);
    // AMP deduplicates the HA pair by `cluster` and `__replica__`.
    expect(prometheus.spec).toMatchObject({ externalLabels: { cluster: 'Eks' }, replicaExternalLabelName: '__replica__' });
  });

  test('the Prometheus service account gets aps:RemoteWrite on the workspace through EKS Pod Identity', () => {
    const workspace = ofType('AWS::APS::Workspace')[0][0];
    const role = stack.getLogicalId(stack.remoteWriteRole.node.defaultChild as never);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: ['sts:AssumeRole', 'sts:TagSession'], Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' } }] },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: role }],
      PolicyDocument: { Statement: [{ Action: 'aps:RemoteWrite', Effect: 'Allow', Resource: { 'Fn::GetAtt': [workspace, 'Arn'] } }] },
    });
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      Namespace: 'monitoring', ServiceAccount: 'prometheus-monitoring-platform', RoleArn: { 'Fn::GetAtt': [role, 'Arn'] },
    });
    template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'eks-pod-identity-agent' });
    const sa = one(manifests('MonitoringChart'), 'ServiceAccount');
    expect(`${sa.metadata.namespace}/${sa.metadata.name}`).toBe('monitoring/prometheus-monitoring-platform');
  });

  test('carries the platform tags', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', {
      Tags: Match.arrayWith([{ Key: 'platform:dr-tier', Value: 'pilot-light' }, { Key: 'platform:region-role', Value: 'primary' }, { Key: 'platform:service', Value: 'checkout' }]),
    });
  });
});

describe('EksPlatformStack compliance', () => {
  test('passes AwsSolutions and NIST 800-53 rev 5, aws-eks-v2 internals acknowledged with reasons', () => {
    expect(formatFindings(nagFindings(eksStack({ nag: true })))).toEqual([]);
  });
});

describe('EksPlatformStack validation', () => {
  test('fewer than 3 nodes is a clear error', () => {
    expect(() => eksStack({ props: { minNodes: 2 } })).toThrow(PlatformValidationError);
    expect(() => eksStack({ props: { minNodes: 2 } })).toThrow(/minNodes/);
  });
  test('maxNodes below minNodes is a clear error', () => {
    expect(() => eksStack({ props: { minNodes: 4, maxNodes: 3 } })).toThrow(/maxNodes.*3.*below minNodes \(4\)/);
  });
});

describe('MonitoringStackChart remoteWrite', () => {
  test('renders a schema-valid Prometheus with the remote-write targets', () => {
    const p = one(synthMonitoring({ remoteWrite: [{ url: 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write', sigv4: { region: 'eu-west-1' } }] }), 'Prometheus');
    expect(p.spec.remoteWrite).toEqual([{ url: 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write', sigv4: { region: 'eu-west-1' } }]);
    expect(() => validateManifest(p)).not.toThrow();
  });
  test('without remoteWrite or clusterName, neither field nor the dedup labels', () => {
    const spec = one(synthMonitoring(), 'Prometheus').spec;
    expect([spec.remoteWrite, spec.externalLabels, spec.replicaExternalLabelName]).toEqual([undefined, undefined, undefined]);
  });
  test('clusterName sets the labels AMP deduplicates an HA pair by, schema-valid', () => {
    const p = one(synthMonitoring({ clusterName: 'prod-eu' }), 'Prometheus');
    expect(p.spec).toMatchObject({ externalLabels: { cluster: 'prod-eu' }, replicaExternalLabelName: '__replica__' });
    expect(() => validateManifest(p)).not.toThrow();
    expect(() => synthMonitoring({ clusterName: 'a b' })).toThrow(/clusterName/);
  });
  test('a bad URL or region is a clear error', () => {
    expect(() => synthMonitoring({ remoteWrite: [{ url: 'not a url' }] })).toThrow(/remoteWrite\[0\]\.url/);
    expect(() => synthMonitoring({ remoteWrite: [{ url: 'https://x/api/v1/remote_write', sigv4: { region: 'Europe' } }] })).toThrow(/remoteWrite\[0\]\.sigv4\.region/);
  });
});
