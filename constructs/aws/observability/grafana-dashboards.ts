import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ArnFormat, CustomResource, Duration, Lazy, Names, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { PlatformValidationError } from '../../core/errors';
import { dashboardJson, platformOverviewDashboard, serviceDashboard } from '../../core/observability/dashboards';
import type { GrafanaDashboard, ServiceDashboardProps } from '../../core/observability/dashboards';
import { sortKeys } from '../../core/observability/private/grafana';
import type { Slo } from '../../core/observability/slo';
import type { IResilientService } from '../compute/resilient-service-ref';
import { runbookBaseUrlOf } from '../private/context';
import { acknowledgeControlTower } from '../private/control-tower';
import { allowCloudWatchLogs, createDataKey, createEncryptedLogGroup } from '../private/encryption';

/** Props of {@link GrafanaDashboards}. */
export interface GrafanaDashboardsProps {
  /** Id of the Amazon Managed Grafana workspace (`CfnWorkspace.attrId`, e.g. `g-0123456789`). */
  readonly workspaceId: string;
  /** Endpoint of the workspace (`CfnWorkspace.attrEndpoint`: a host name, or an https URL). */
  readonly workspaceEndpoint: string;
  /**
   * Dashboards provisioned as given, by uid: Grafana dashboard models such as `serviceDashboard()` and
   * `platformOverviewDashboard()` return (their runbook links as rendered). A model's own `uid`, when set, must
   * equal its key. `addServiceDashboard()` and `addPlatformOverview()` generate dashboards here instead, with the
   * limits of what was built and the runbook links under the context's `runbookBaseUrl`.
   * @default - only the dashboards the add methods generate (at least one is required)
   */
  readonly dashboards?: Record<string, object>;
  /**
   * Retention of the logs of the provisioning functions (KMS-encrypted, retained on stack deletion).
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/** Options of {@link GrafanaDashboards.addServiceDashboard}. */
export interface ServiceDashboardOptions extends Pick<ServiceDashboardProps, 'slos' | 'databaseClusterIdentifier' | 'cacheReplicationGroupId'> {
  /** The service's Prometheus `job` label (= OTel `service.name`). */
  readonly serviceName: string;
}

/** Options of {@link GrafanaDashboards.addPlatformOverview}. */
export interface PlatformOverviewOptions {
  /** Every SLO of the platform: one series each. */
  readonly slos: readonly Slo[];
}

/** Largest `Dashboards` property accepted, in characters: CloudFormation sends old and new properties in one event. */
export const MAX_DASHBOARDS_JSON_LENGTH = 100_000;

const GRAFANA_UID = /^[A-Za-z0-9_-]{1,40}$/;
const WORKSPACE_ID = /^g-[0-9a-f]{10}$/;

/**
 * Grafana dashboards provisioned into an Amazon Managed Grafana workspace, which CloudFormation cannot do itself:
 * a custom resource (custom-resources `Provider`) whose function creates a short-lived token for a Grafana
 * service account it owns in the workspace, posts every dashboard through the Grafana HTTP API
 * (`POST /api/dashboards/db`, `overwrite: true`) and deletes the token. The resource's properties carry the
 * dashboards and their SHA-256, so a changed dashboard re-runs the provisioning on deploy; dashboards removed from
 * `dashboards` are deleted from Grafana, and deleting the construct deletes its dashboards and service account
 * (dashboards are code and hold no data).
 *
 * The dashboards are owned by this construct: edits in the Grafana UI are overwritten by the next deploy.
 */
export class GrafanaDashboards extends Construct {
  /** The function that calls the Grafana and AMG APIs (the Provider's onEvent handler). */
  public readonly handler: nodejs.NodejsFunction;
  /** The custom resource provider. */
  public readonly provider: cr.Provider;
  /** The custom resource: one per construct, for every dashboard. */
  public readonly resource: CustomResource;
  /** Key of the functions' log groups (rotating, retained). */
  public readonly encryptionKey: kms.Key;
  /** Name of the Grafana service account the function owns in the workspace (EDITOR role). */
  public readonly serviceAccountName: string;
  private readonly given?: Record<string, object>;
  /** Producers of the generated dashboards, called at synth (limits and context as they are then). */
  private readonly generated: Array<() => GrafanaDashboard> = [];

  constructor(scope: Construct, id: string, props: GrafanaDashboardsProps) {
    super(scope, id);
    const where = this.node.path;
    const stack = Stack.of(this);

    // ---- validation
    if (props.dashboards !== undefined) validateDashboards(where, props.dashboards);
    this.given = props.dashboards;
    if (!Token.isUnresolved(props.workspaceId) && !WORKSPACE_ID.test(props.workspaceId)) {
      throw new PlatformValidationError(where, 'workspaceId', props.workspaceId, 'is not an Amazon Managed Grafana workspace id',
        "pass the workspace's id ('g-' and 10 hex digits), e.g. CfnWorkspace.attrId");
    }
    if (!Token.isUnresolved(props.workspaceEndpoint) && !/^(https:\/\/)?[A-Za-z0-9.-]+(:\d+)?\/?$/.test(props.workspaceEndpoint)) {
      throw new PlatformValidationError(where, 'workspaceEndpoint', props.workspaceEndpoint, 'is not a host name or https URL',
        "pass the workspace's endpoint, e.g. CfnWorkspace.attrEndpoint");
    }
    this.serviceAccountName = `cfn-${Names.uniqueId(this)}`.slice(0, 128);

    // ---- logs: one key, two retained encrypted log groups
    const retention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;
    this.encryptionKey = createDataKey(this, 'Key', `${where} Grafana dashboard provisioning logs`);
    allowCloudWatchLogs(this.encryptionKey);
    const handlerLogs = createEncryptedLogGroup(this, 'HandlerLogs', { key: this.encryptionKey, retention });
    const frameworkLogs = createEncryptedLogGroup(this, 'ProviderLogs', { key: this.encryptionKey, retention });

    // ---- handler: least privilege on this workspace only
    const workspaceArn = stack.formatArn({ service: 'grafana', resource: '/workspaces', resourceName: props.workspaceId, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    const role = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${where} Grafana dashboard provisioning`,
    });
    new iam.ManagedPolicy(this, 'HandlerPolicy', {
      description: `${where}: manage its own Grafana service account and short-lived tokens in one AMG workspace, write logs`,
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          sid: 'ServiceAccountAndTokens',
          actions: [
            'grafana:ListWorkspaceServiceAccounts', 'grafana:CreateWorkspaceServiceAccount', 'grafana:DeleteWorkspaceServiceAccount',
            'grafana:CreateWorkspaceServiceAccountToken', 'grafana:DeleteWorkspaceServiceAccountToken',
          ],
          resources: [workspaceArn],
        }),
        new iam.PolicyStatement({
          sid: 'Logs',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [handlerLogs.logGroupArn],
        }),
      ],
    });
    this.handler = new nodejs.NodejsFunction(this, 'Handler', {
      entry: handlerEntry(),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.minutes(5),
      reservedConcurrentExecutions: 2,
      role,
      logGroup: handlerLogs,
      loggingFormat: lambda.LoggingFormat.TEXT,
      description: `${where} provisions Grafana dashboards into AMG workspace ${props.workspaceId}`,
      environment: { MAX_ATTEMPTS: '5', BASE_DELAY_MS: '500' },
      bundling: {
        // The AWS SDK v3 comes with the Node.js runtime; esbuild (a local dependency, never Docker) bundles the rest.
        externalModules: ['@aws-sdk/*'],
        minify: true,
        sourceMap: false,
        forceDockerBundling: false,
      },
    });
    Validations.of(this.handler).acknowledge(
      {
        id: 'NIST.800.53.R5-LambdaInsideVPC',
        reason: 'The function calls the AMG control-plane API and the workspace\'s public Grafana endpoint and holds no data; a VPC would only add a NAT path to the same endpoints.',
      },
      {
        id: 'NIST.800.53.R5-LambdaDLQ',
        reason: 'Invoked synchronously by the custom resource Provider framework, which reports a failure to CloudFormation; a dead-letter queue only applies to asynchronous invocations.',
      },
    );
    acknowledgeControlTower(this.handler, 'CT.LAMBDA.PR.3',
      "The function calls the AMG control-plane API and the workspace's public Grafana endpoint and holds no data; in a VPC it would reach the same endpoints through a NAT gateway. GrafanaDashboards has no vpc option, so an OU that enforces CT.LAMBDA.PR.3 rejects it.");

    // ---- provider framework: its own role (no AWS managed policy), encrypted logs
    const frameworkRole = new iam.Role(this, 'ProviderRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${where} custom resource provider framework`,
    });
    new iam.ManagedPolicy(this, 'ProviderPolicy', {
      description: `${where}: provider framework logs`,
      roles: [frameworkRole],
      statements: [new iam.PolicyStatement({
        sid: 'Logs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [frameworkLogs.logGroupArn],
      })],
    });
    this.provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.handler,
      frameworkOnEventRole: frameworkRole,
      logGroup: frameworkLogs,
    });
    acknowledgeProviderFindings(this.provider, frameworkRole, stack.getLogicalId(this.handler.node.defaultChild as lambda.CfnFunction));

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.provider.serviceToken,
      resourceType: 'Custom::GrafanaDashboards',
      properties: {
        WorkspaceId: props.workspaceId,
        WorkspaceEndpoint: props.workspaceEndpoint,
        ServiceAccountName: this.serviceAccountName,
        // Rendered at synth: dashboards added later, and limits of sidecars added later, are included.
        Dashboards: Lazy.string({ produce: () => this.renderDashboards() }),
        DashboardsHash: Lazy.string({ produce: () => this.dashboardsHash }),
      },
    });
    this.node.addValidation({ validate: () => { this.renderDashboards(); return []; } });
  }

  /** SHA-256 (hex) of the dashboards' JSON: changes exactly when a dashboard changes. */
  public get dashboardsHash(): string {
    return createHash('sha256').update(this.renderDashboards()).digest('hex');
  }

  /**
   * Provisions the dashboard of `service` (`serviceDashboard()`: RED, USE, SLOs, dependencies), its utilization
   * panels measured against the service's `containerLimits` as built (a sidecar added after this call still counts)
   * and its runbook links under the scope's `runbookBaseUrl` context. Rendered at synth.
   */
  public addServiceDashboard(service: IResilientService, options: ServiceDashboardOptions): void {
    const render = (): GrafanaDashboard => {
      const limits = service.containerLimits;
      return serviceDashboard({
        service: options.serviceName,
        slos: options.slos,
        cpuLimitCores: limits.cpuCores,
        memoryLimitBytes: limits.memoryBytes,
        databaseClusterIdentifier: options.databaseClusterIdentifier,
        cacheReplicationGroupId: options.cacheReplicationGroupId,
        runbookBaseUrl: runbookBaseUrlOf(this),
      });
    };
    render(); // bad options fail here, at the call
    this.generated.push(render);
  }

  /** Provisions the platform overview (`platformOverviewDashboard()`), with runbook links under the context's base. */
  public addPlatformOverview(options: PlatformOverviewOptions): void {
    const render = (): GrafanaDashboard => platformOverviewDashboard({ slos: options.slos, runbookBaseUrl: runbookBaseUrlOf(this) });
    render();
    this.generated.push(render);
  }

  /** Every dashboard, given and generated, validated and rendered as one JSON object (sorted keys). */
  private renderDashboards(): string {
    const all: Record<string, object> = { ...this.given };
    for (const render of this.generated) {
      const model = JSON.parse(dashboardJson(render())) as { uid: string };
      if (all[model.uid] !== undefined) {
        throw new PlatformValidationError(this.node.path, 'dashboards', model.uid, 'names two dashboards',
          'provision each dashboard once: leave it out of dashboards when an add method generates it');
      }
      all[model.uid] = model;
    }
    return validateDashboards(this.node.path, all);
  }
}

/** Validates the dashboards and renders them as one JSON object (sorted keys), each with its uid set. */
function validateDashboards(where: string, dashboards: Record<string, object>): string {
  const uids = Object.keys(dashboards).sort();
  if (uids.length === 0) {
    throw new PlatformValidationError(where, 'dashboards', {}, 'is empty', 'pass at least one dashboard, e.g. { [d.uid]: d } for d = serviceDashboard(...)');
  }
  const out: Record<string, unknown> = {};
  for (const uid of uids) {
    if (!GRAFANA_UID.test(uid)) {
      throw new PlatformValidationError(where, 'dashboards', uid, 'has a key that is not a Grafana uid',
        "key each dashboard by its uid: 1 to 40 letters, digits, '-' or '_'");
    }
    const model = dashboards[uid] as Record<string, unknown>;
    if (model.uid !== undefined && model.uid !== uid) {
      throw new PlatformValidationError(where, `dashboards['${uid}'].uid`, model.uid, 'differs from its key',
        'key each dashboard by its own uid');
    }
    if (typeof model.title !== 'string' || model.title.trim() === '') {
      throw new PlatformValidationError(where, `dashboards['${uid}'].title`, model.title, 'is missing',
        'give the dashboard a title (Grafana requires one)');
    }
    out[uid] = { ...model, uid };
  }
  const json = JSON.stringify(sortKeys(out));
  if (Token.isUnresolved(json)) {
    throw new PlatformValidationError(where, 'dashboards', '<contains tokens>', 'contains unresolved CDK tokens',
      'render dashboards from literal values (identifiers known at synth time)');
  }
  if (json.length > MAX_DASHBOARDS_JSON_LENGTH) {
    throw new PlatformValidationError(where, 'dashboards', `${json.length} characters of JSON`, `is larger than ${MAX_DASHBOARDS_JSON_LENGTH} characters`,
      'split the dashboards across several GrafanaDashboards constructs (CloudFormation sends old and new properties in one event of at most 256 KB)');
  }
  return json;
}

/** Findings on the Provider framework's function and the grant it adds, acknowledged where they arise. */
function acknowledgeProviderFindings(provider: cr.Provider, frameworkRole: iam.Role, handlerLogicalId: string): void {
  const fn = provider.node.findAll().find((c): c is lambda.Function => c instanceof lambda.Function);
  if (fn) {
    Validations.of(fn).acknowledge(
      {
        id: 'NIST.800.53.R5-LambdaInsideVPC',
        reason: 'The provider framework function only invokes the handler and answers CloudFormation\'s pre-signed S3 URL; it holds no data.',
      },
      {
        id: 'NIST.800.53.R5-LambdaDLQ',
        reason: 'Invoked by CloudFormation for one custom resource event; a failure is reported to CloudFormation, which fails the deployment: there is nothing to redrive.',
      },
      {
        id: 'NIST.800.53.R5-LambdaConcurrency',
        reason: 'The aws-cdk-lib Provider framework creates this function without a reserved-concurrency option; it runs once per deployment event.',
      },
    );
    acknowledgeControlTower(fn, 'CT.LAMBDA.PR.3',
      "The Provider framework function only invokes the handler and answers CloudFormation's pre-signed S3 URL; it holds no data and reaches nothing in a VPC.");
  }
  const defaultPolicy = frameworkRole.node.tryFindChild('DefaultPolicy');
  if (defaultPolicy) {
    Validations.of(defaultPolicy).acknowledge(
      {
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason: 'Added by the Provider framework (handler.grantInvoke and lambda:GetFunction): invoke rights on this construct\'s handler only.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${handlerLogicalId}.Arn>:*]`,
        reason: 'lambda:InvokeFunction on the handler\'s versions and aliases (the grant covers function:*), added by the Provider framework; it names this construct\'s handler only.',
      },
    );
  }
}

function handlerEntry(): string {
  const ts = join(__dirname, 'grafana-dashboards.handler.ts');
  return existsSync(ts) ? ts : join(__dirname, 'grafana-dashboards.handler.js');
}
