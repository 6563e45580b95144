import { KubectlV35Layer } from '@aws-cdk/lambda-layer-kubectl-v35';
import { Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cdk8s from 'cdk8s';
import type { Construct } from 'constructs';
import { MultiAzNetwork } from '../../constructs/aws/network/multi-az-network';
import { ManagedPrometheus } from '../../constructs/aws/observability/managed-prometheus';
import { PlatformStack } from '../../constructs/aws/platform-stack';
import type { PlatformStackProps } from '../../constructs/aws/platform-stack';
import { allowCloudWatchLogs, createDataKey } from '../../constructs/aws/private/encryption';
import { iam5FindingId } from '../../constructs/aws/private/nag';
import { PlatformValidationError } from '../../constructs/core/errors';
import { DEFAULT_RUNBOOK_BASE_URL } from '../../constructs/core/runbooks';
import { MonitoringStackChart, ServiceChart } from '../../constructs/k8s';
import { serviceObjectives } from '../objectives';
import { DEFAULT_ALERT_WEBHOOK_URL, referenceMonitoringProps } from '../k8s/reference-monitoring';

/** Chart version of kube-prometheus-stack, installed with only the prometheus-operator and its CRDs. */
export const PROMETHEUS_OPERATOR_CHART_VERSION = '72.6.2';

/** Props of {@link EksPlatformStack}. */
export interface EksPlatformStackProps extends PlatformStackProps {
  /**
   * Image of the service's Deployment.
   * @default 'ghcr.io/platform-stacks/reference-service:0.1.0'
   */
  readonly image?: string;
  /** @default DEFAULT_RUNBOOK_BASE_URL */
  readonly runbookBaseUrl?: string;
  /**
   * Receiver (webhook) of the in-cluster Alertmanager's pages and tickets.
   * @default 'http://alert-receiver.monitoring.svc:8080/alerts'
   */
  readonly alertWebhookUrl?: string;
  /**
   * Node instance type of the managed node group.
   * @default m6i.large
   */
  readonly nodeInstanceType?: ec2.InstanceType;
  /** @default 3 - one node per AZ */
  readonly minNodes?: number;
  /** @default 9 */
  readonly maxNodes?: number;
  /**
   * Cluster endpoint access. The kubectl handler runs in the VPC's private subnets either way.
   * @default EndpointAccess.PRIVATE
   */
  readonly endpointAccess?: eks.EndpointAccess;
  /**
   * A role to grant cluster admin (an access entry with AmazonEKSClusterAdminPolicy).
   * @default - only the CDK deployment role and the kubectl handler
   */
  readonly adminRole?: iam.IRole;
}

/**
 * The reference platform on Amazon EKS (aws-eks-v2): a multi-AZ network, a cluster with a private endpoint, KMS
 * envelope encryption of secrets and every control-plane log type, a managed node group over the three AZs, the
 * prometheus-operator, and the same cdk8s charts as `npm run synth:k8s` (the service and the monitoring stack),
 * Prometheus remote-writing to an Amazon Managed Service for Prometheus workspace through EKS Pod Identity.
 */
export class EksPlatformStack extends PlatformStack {
  public readonly network: MultiAzNetwork;
  public readonly cluster: eks.Cluster;
  public readonly nodegroup: eks.Nodegroup;
  public readonly prometheus: ManagedPrometheus;
  /** The role the Prometheus pods get through Pod Identity: `aps:RemoteWrite` on the workspace. */
  public readonly remoteWriteRole: iam.Role;
  public readonly serviceManifest: eks.KubernetesManifest;
  public readonly monitoringManifest: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: EksPlatformStackProps) {
    super(scope, id, props);
    const where = this.node.path;
    const service = this.serviceName;
    const runbookBaseUrl = props.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL;
    const minNodes = props.minNodes ?? 3;
    const maxNodes = props.maxNodes ?? 9;
    if (!Number.isInteger(minNodes) || minNodes < 3) {
      throw new PlatformValidationError(where, 'minNodes', minNodes, 'is below 3: a zone would run no node',
        'set minNodes to 3 or more (one node per availability zone)');
    }
    if (!Number.isInteger(maxNodes) || maxNodes < minNodes) {
      throw new PlatformValidationError(where, 'maxNodes', maxNodes, `is below minNodes (${minNodes})`,
        `set maxNodes to ${minNodes} or more`);
    }

    this.network = new MultiAzNetwork(this, 'Network', { azCount: 3 });
    const secretsKey = createDataKey(this, 'SecretsKey', `${where} EKS secrets envelope encryption`);

    this.cluster = new eks.Cluster(this, 'Cluster', {
      version: eks.KubernetesVersion.V1_35,
      vpc: this.network.vpc,
      vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
      endpointAccess: props.endpointAccess ?? eks.EndpointAccess.PRIVATE,
      secretsEncryptionKey: secretsKey,
      clusterLogging: [
        eks.ClusterLoggingTypes.API, eks.ClusterLoggingTypes.AUDIT, eks.ClusterLoggingTypes.AUTHENTICATOR,
        eks.ClusterLoggingTypes.CONTROLLER_MANAGER, eks.ClusterLoggingTypes.SCHEDULER,
      ],
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
      mastersRole: props.adminRole,
      kubectlProviderOptions: { kubectlLayer: new KubectlV35Layer(this, 'KubectlLayer') },
    });

    this.nodegroup = this.cluster.addNodegroupCapacity('Nodes', {
      subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      instanceTypes: [props.nodeInstanceType ?? new ec2.InstanceType('m6i.large')],
      amiType: eks.NodegroupAmiType.AL2023_X86_64_STANDARD,
      minSize: minNodes,
      desiredSize: minNodes,
      maxSize: maxNodes,
      maxUnavailable: 1,
      enableNodeAutoRepair: true,
    });

    // Amazon Managed Prometheus: the remote-write target (long-term store, Grafana queries). The in-cluster
    // Prometheus evaluates the charts' PrometheusRules and its Alertmanager pages: AMP evaluates nothing, so no
    // alert fires (and pages) twice.
    this.prometheus = new ManagedPrometheus(this, 'Prometheus', {});

    // The prometheus-operator (CRDs and controller), before anything that uses its kinds.
    const operator = this.cluster.addHelmChart('PrometheusOperator', {
      chart: 'kube-prometheus-stack',
      repository: 'https://prometheus-community.github.io/helm-charts',
      version: PROMETHEUS_OPERATOR_CHART_VERSION,
      release: 'prometheus-operator',
      namespace: 'monitoring',
      createNamespace: true,
      values: {
        defaultRules: { create: false },
        prometheus: { enabled: false },
        alertmanager: { enabled: false },
        grafana: { enabled: false },
        kubeStateMetrics: { enabled: false },
        nodeExporter: { enabled: false },
      },
    });
    const namespace = this.cluster.addManifest('ServiceNamespace', {
      apiVersion: 'v1', kind: 'Namespace', metadata: { name: service, labels: { 'app.kubernetes.io/part-of': 'platform-stacks' } },
    });

    // The same charts as stacks/k8s/main.ts, Prometheus remote-writing to the workspace (SigV4, Pod Identity).
    const objectives = serviceObjectives(service);
    const k8sApp = new cdk8s.App();
    const serviceChart = new ServiceChart(k8sApp, service, {
      service,
      image: props.image ?? 'ghcr.io/platform-stacks/reference-service:0.1.0',
      slos: objectives.slos,
      namespace: service,
      runbookBaseUrl,
    });
    const webhook = props.alertWebhookUrl ?? DEFAULT_ALERT_WEBHOOK_URL;
    const monitoringChart = new MonitoringStackChart(k8sApp, 'monitoring', {
      ...referenceMonitoringProps(service, runbookBaseUrl, serviceChart.containerLimits, webhook),
      remoteWrite: [{ url: this.prometheus.remoteWriteUrl, sigv4: { region: this.region } }],
      clusterName: this.stackName,
    });
    this.monitoringManifest = this.cluster.addCdk8sChart('MonitoringChart', monitoringChart);
    this.monitoringManifest.node.addDependency(operator);
    this.serviceManifest = this.cluster.addCdk8sChart('ServiceChart', serviceChart);
    this.serviceManifest.node.addDependency(operator, namespace);

    // Pod Identity: the Prometheus ServiceAccount of the chart gets a role allowed aps:RemoteWrite on the workspace.
    const prometheusSa = monitoringChart.objects.PrometheusServiceAccount;
    this.remoteWriteRole = new iam.Role(this, 'PrometheusRemoteWriteRole', {
      assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com').withSessionTags(),
      description: `Prometheus in ${prometheusSa.metadata.namespace}/${prometheusSa.name}: remote write to ${this.prometheus.node.path}`,
    });
    this.prometheus.grantRemoteWrite(this.remoteWriteRole);
    const association = new eks.CfnPodIdentityAssociation(this, 'PrometheusPodIdentity', {
      clusterName: this.cluster.clusterName,
      namespace: prometheusSa.metadata.namespace ?? 'monitoring',
      serviceAccount: prometheusSa.name,
      roleArn: this.remoteWriteRole.roleArn,
    });
    association.node.addDependency(this.cluster.eksPodIdentityAgent!);
    this.monitoringManifest.node.addDependency(association);

    acknowledgeFindings(this);
  }
}

const IAM4 = (policy: string): string => `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${policy}]`;

/** cdk-nag findings on constructs aws-eks-v2 generates, acknowledged on each generated construct with the reason. */
function acknowledgeFindings(stack: EksPlatformStack): void {
  const policy = stack.remoteWriteRole.node.tryFindChild('DefaultPolicy');
  if (policy) {
    Validations.of(policy).acknowledge({
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason: 'grantRemoteWrite adds aps:RemoteWrite on this stack\'s workspace only, to this role only.',
    });
  }
  const cluster = stack.cluster;
  Validations.of(cluster.role).acknowledge({
    id: IAM4('AmazonEKSClusterPolicy'),
    reason: 'The cluster service role policy EKS documents and requires; AWS maintains it as the control plane needs new actions, a customer copy would drift.',
  });
  Validations.of(cluster.node.defaultChild!).acknowledge({
    id: 'CloudFormation-Validate::W9009',
    reason: 'aws-eks-v2 renders EncryptionConfig Resources ["secrets"] for secretsEncryptionKey; the EKS API still takes it to enable envelope encryption of secrets.',
  });
  const nodeReason = 'One of the three policies EKS requires on the node role of a managed node group (kubelet registration, VPC CNI, image pulls); AWS keeps them in step with the EKS-optimized AMI.';
  Validations.of(stack.nodegroup.role).acknowledge(
    { id: IAM4('AmazonEKSWorkerNodePolicy'), reason: nodeReason },
    { id: IAM4('AmazonEKS_CNI_Policy'), reason: nodeReason },
    { id: IAM4('AmazonEC2ContainerRegistryReadOnly'), reason: nodeReason },
  );

  // The kubectl handler and its provider framework: Lambda functions aws-eks-v2 creates to run kubectl/helm
  // against the private endpoint from the VPC's private subnets during deployments.
  const kubectl = cluster.node.findChild('KubectlProvider');
  const handler = kubectl.node.findChild('Handler') as lambda.Function;
  const framework = kubectl.node.findChild('Provider').node.findChild('framework-onEvent') as lambda.Function;
  const onDeploy = 'aws-eks-v2\'s kubectl provider runs only when CloudFormation creates, updates or deletes a Kubernetes resource of this stack';
  // Under `@aws-cdk/aws-lambda:useCdkManagedLogGroup` (recommended flags) each function gets a log group, and
  // aws-eks-v2 takes no log group or key for its provider: encrypt the generated groups with a key of their own.
  const logKey = createDataKey(stack, 'KubectlLogsKey', `${stack.stackName}: logs of the kubectl provider`);
  allowCloudWatchLogs(logKey);
  for (const fn of [handler, framework]) {
    const logGroup = fn.node.tryFindChild('LogGroup')?.node.defaultChild;
    if (logGroup instanceof logs.CfnLogGroup) logGroup.kmsKeyId = logKey.keyArn;
  }
  for (const fn of [handler, framework]) {
    Validations.of(fn).acknowledge(
      { id: 'NIST.800.53.R5-LambdaConcurrency', reason: `${onDeploy}: one invocation per resource event, reserved concurrency would only add a quota to manage.` },
      { id: 'NIST.800.53.R5-LambdaDLQ', reason: `${onDeploy}: CloudFormation is the caller and records a failure by failing the deployment; there is no asynchronous event to dead-letter.` },
    );
    Validations.of(fn.role!).acknowledge(
      { id: IAM4('service-role/AWSLambdaBasicExecutionRole'), reason: `${onDeploy}; the policy lets it write its own logs only.` },
      { id: IAM4('service-role/AWSLambdaVPCAccessExecutionRole'), reason: `${onDeploy}; it runs in the private subnets to reach the private endpoint, the policy manages its network interfaces only.` },
    );
    const inline = fn.role!.node.tryFindChild('DefaultPolicy');
    if (inline) {
      Validations.of(inline).acknowledge({
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason: `${onDeploy}; aws-eks-v2 grants it in this policy eks:DescribeCluster on this cluster, or invoke rights on the handler only.`,
      });
    }
  }
  Validations.of(handler).acknowledge({
    id: 'AwsSolutions-L1',
    reason: 'The kubectl handler\'s runtime is chosen by aws-cdk-lib to match the kubectl/helm layer; it is updated with aws-cdk-lib.',
  });
  Validations.of(handler.role!).acknowledge(
    { id: IAM4('AmazonEC2ContainerRegistryReadOnly'), reason: `${onDeploy}; aws-eks-v2 attaches it so helm can pull OCI charts from ECR.` },
    {
      id: 'AwsSolutions-IAM4[Policy::{"Fn::If":["ClusterKubectlProviderHandlerHasEcrPublic69E09706",{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::aws:policy/AmazonElasticContainerRegistryPublicReadOnly"]]},{"Ref":"AWS::NoValue"}]}]',
      reason: `${onDeploy}; aws-eks-v2 attaches it, where ECR Public exists, so helm can pull OCI charts from ECR Public.`,
    },
  );
  const frameworkPolicy = framework.role!.node.tryFindChild('DefaultPolicy');
  if (frameworkPolicy) {
    Validations.of(frameworkPolicy).acknowledge({
      id: iam5FindingId(frameworkPolicy, `${handler.functionArn}:*`),
      reason: 'lambda:InvokeFunction on the kubectl handler\'s versions and aliases (the grant covers function:*), added by the provider framework; it names this one handler only.',
    });
  }
}
