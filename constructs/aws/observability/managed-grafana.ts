import { Stack, Token, Validations } from 'aws-cdk-lib';
import * as grafana from 'aws-cdk-lib/aws-grafana';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { PlatformValidationError } from '../../core/errors';
import type { ManagedPrometheus } from './managed-prometheus';

const WORKSPACE_NAME = /^[a-zA-Z0-9-._~]{1,255}$/;

/** Props of {@link ManagedGrafana}. */
export interface ManagedGrafanaProps {
  /** AMP workspaces Grafana may query (the workspace role gets read access to each). */
  readonly prometheusWorkspaces: readonly ManagedPrometheus[];
  /**
   * Name of the Grafana workspace.
   * @default - derived from the stack name and construct ID
   */
  readonly workspaceName?: string;
  /**
   * Grafana version of the workspace.
   * @default '10.4'
   */
  readonly grafanaVersion?: string;
}

/**
 * An Amazon Managed Grafana workspace: users sign in through IAM Identity Center (AWS SSO), the data sources are
 * the given AMP workspaces and CloudWatch, read through a workspace role that may only query them. Dashboards are
 * provisioned separately (CloudFormation cannot): `workspaceId` and `workspaceEndpoint` are what the provisioning
 * needs.
 */
export class ManagedGrafana extends Construct {
  /** The workspace (L1: AMG has no L2). */
  public readonly workspace: grafana.CfnWorkspace;
  /** The workspace ID (`g-...`). */
  public readonly workspaceId: string;
  /** The workspace URL host (`g-....grafana-workspace.<region>.amazonaws.com`). */
  public readonly workspaceEndpoint: string;
  /** The role Grafana assumes to read AMP and CloudWatch. */
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ManagedGrafanaProps) {
    super(scope, id);
    const where = this.node.path;
    const stack = Stack.of(this);
    if (props.prometheusWorkspaces.length === 0) {
      throw new PlatformValidationError(where, 'prometheusWorkspaces', [], 'is empty',
        'pass the ManagedPrometheus workspace(s) Grafana reads (one per region)');
    }
    const name = props.workspaceName ?? `${stack.stackName}-${this.node.id}`;
    if (!Token.isUnresolved(name) && !WORKSPACE_NAME.test(name)) {
      throw new PlatformValidationError(where, 'workspaceName', name, 'is not a valid Grafana workspace name',
        "use 1 to 255 letters, digits, '-', '.', '_' or '~'");
    }

    this.role = new iam.Role(this, 'Role', {
      description: `${where}: Amazon Managed Grafana reads AMP and CloudWatch`,
      assumedBy: new iam.ServicePrincipal('grafana.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:grafana:${stack.region}:${stack.account}:/workspaces/*` },
        },
      }),
    });
    const policy = new iam.ManagedPolicy(this, 'ReadPolicy', {
      description: `${where}: read-only access of Grafana to the platform's AMP workspaces and CloudWatch`,
      statements: [
        new iam.PolicyStatement({
          sid: 'QueryPrometheus',
          actions: ['aps:QueryMetrics', 'aps:GetSeries', 'aps:GetLabels', 'aps:GetMetricMetadata', 'aps:DescribeWorkspace'],
          resources: props.prometheusWorkspaces.map((w) => w.workspaceArn),
        }),
        new iam.PolicyStatement({
          sid: 'ListPrometheus',
          actions: ['aps:ListWorkspaces'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'ReadCloudWatch',
          actions: [
            'cloudwatch:DescribeAlarmsForMetric', 'cloudwatch:DescribeAlarmHistory', 'cloudwatch:DescribeAlarms',
            'cloudwatch:ListMetrics', 'cloudwatch:GetMetricData', 'cloudwatch:GetInsightRuleReport',
            'logs:DescribeLogGroups', 'logs:GetLogGroupFields', 'logs:StartQuery', 'logs:StopQuery', 'logs:GetQueryResults', 'logs:GetLogEvents',
            'ec2:DescribeTags', 'ec2:DescribeInstances', 'ec2:DescribeRegions', 'tag:GetResources',
          ],
          resources: ['*'],
        }),
      ],
      roles: [this.role],
    });
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: "Read-only: aps:ListWorkspaces and the CloudWatch/Logs read and query APIs Grafana's CloudWatch data source calls either support no resource-level permissions or must see every metric namespace and log group of the account to list them; no write action is granted. AMP queries are scoped to the given workspaces.",
    });

    this.workspace = new grafana.CfnWorkspace(this, 'Resource', {
      name,
      description: `${where}: dashboards of the platform (AMP and CloudWatch)`,
      accountAccessType: 'CURRENT_ACCOUNT',
      authenticationProviders: ['AWS_SSO'],
      permissionType: 'SERVICE_MANAGED',
      roleArn: this.role.roleArn,
      dataSources: ['PROMETHEUS', 'CLOUDWATCH'],
      grafanaVersion: props.grafanaVersion ?? '10.4',
      pluginAdminEnabled: false,
    });
    this.workspace.node.addDependency(policy);
    this.workspaceId = this.workspace.attrId;
    this.workspaceEndpoint = this.workspace.attrEndpoint;
  }
}
