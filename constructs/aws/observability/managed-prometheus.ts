import { Lazy, Stack } from 'aws-cdk-lib';
import * as aps from 'aws-cdk-lib/aws-aps';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { PlatformValidationError } from '../../core/errors';
import { AlertmanagerConfig, AlertmanagerTarget, Receiver } from '../../core/observability/alertmanager';
import { goldenSignalRuleGroup, platformRuleGroup } from '../../core/observability/golden-signals';
import { resilienceRuleGroup } from '../../core/observability/resilience';
import { renderRuleFile } from '../../core/observability/rule-file';
import type { RuleGroup } from '../../core/observability/rule-file';
import { sloRuleGroups } from '../../core/observability/rules';
import type { Slo } from '../../core/observability/slo';
import type { IResilientService } from '../compute/resilient-service-ref';
import { runbookBaseUrlOf } from '../private/context';
import { allowCloudWatchLogs, createDataKey, createEncryptedLogGroup } from '../private/encryption';
import type { AlertingTopics } from './alerting-topics';

/** AMP quota: a rule groups namespace holds at most 1 MB of rules. */
const MAX_RULES_BYTES = 1_000_000;
const NAMESPACE_NAME = /^[0-9A-Za-z][-.0-9A-Z_a-z]{0,63}$/;
const SERVICE_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,62}$/;

/** Props of {@link ManagedPrometheus}. */
export interface ManagedPrometheusProps {
  /**
   * Severity topics the Alertmanager definition sends to (`critical` pages, `warning` opens a ticket). With topics
   * the workspace evaluates rules: pass `ruleGroups` or call `addServiceAlerts()` / `addPlatformAlerts()`.
   * @default - no Alertmanager definition: the workspace stores and serves metrics only
   */
  readonly topics?: AlertingTopics;
  /**
   * Recording and alerting rules evaluated in the workspace as given (their runbook links included), besides those of
   * `addServiceAlerts()` and `addPlatformAlerts()`, which render the links under the context's `runbookBaseUrl`.
   * Needs `topics`. Leave rules out where another Prometheus evaluates them and AMP is only the remote-write target,
   * so no alert is evaluated, and paged, twice.
   * @default - only the rules the add methods generate; none without `topics`
   */
  readonly ruleGroups?: readonly RuleGroup[];
  /**
   * Name of the rule groups namespace.
   * @default 'platform'
   */
  readonly ruleNamespace?: string;
  /**
   * Topic of the dead man's switch (`AlertingHeartbeat.topic`): the Alertmanager definition sends the always-firing
   * `Watchdog` there (message `{{ .Status }}`). Needs `topics` and `addPlatformAlerts()` (which evaluates the Watchdog).
   * @default - the Watchdog goes to the null receiver: nothing notices a broken alerting pipeline
   */
  readonly heartbeatTopic?: sns.ITopic;
  /**
   * Retention of the workspace's vended logs (rule evaluation and Alertmanager errors).
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/** Options of {@link ManagedPrometheus.addServiceAlerts}. */
export interface ServiceAlertsOptions {
  /** The service's Prometheus `job` label (= OTel `service.name`, the collector's `serviceName`). */
  readonly serviceName: string;
  /** The service's SLOs (of `serviceName`): burn-rate alerts for each; the latency SLO's threshold is the p99 alert's. */
  readonly slos: readonly Slo[];
}

/**
 * An Amazon Managed Service for Prometheus workspace for this region: encrypted with a rotating customer key,
 * logging rule and Alertmanager errors to an encrypted log group, evaluating rule groups (given, or generated at
 * synth by `addServiceAlerts()` / `addPlatformAlerts()` from the objectives, the service as built and the runbook
 * base URL of the context) in one rule groups namespace, and routing alerts with the platform's Alertmanager
 * configuration to the severity topics (SNS receivers only: the only kind AMP delivers to).
 */
export class ManagedPrometheus extends Construct {
  /** The workspace (L1: AMP has no L2). */
  public readonly workspace: aps.CfnWorkspace;
  /** The workspace ID (`ws-...`). */
  public readonly workspaceId: string;
  /** The workspace ARN. */
  public readonly workspaceArn: string;
  /** The Prometheus-compatible endpoint (`https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>/`). */
  public readonly prometheusEndpoint: string;
  /** Where collectors remote-write samples, signed with SigV4 (service `aps`). */
  public readonly remoteWriteUrl: string;
  /** The customer-managed key of the workspace and its logs. */
  public readonly key: kms.Key;
  /** The log group of the workspace's vended logs. */
  public readonly logGroup: logs.LogGroup;
  /** The rule groups namespace holding the rendered rules, when the workspace evaluates rules. */
  public readonly ruleGroupsNamespace?: aps.CfnRuleGroupsNamespace;
  /** The Alertmanager configuration the workspace runs, when it evaluates rules. */
  public readonly alertmanagerConfig?: AlertmanagerConfig;

  private readonly topics?: AlertingTopics;
  /** Producers of the rule groups, called at synth (limits and context as they are then). */
  private readonly ruleSources: Array<() => readonly RuleGroup[]> = [];

  constructor(scope: Construct, id: string, props: ManagedPrometheusProps) {
    super(scope, id);
    const where = this.node.path;
    const stack = Stack.of(this);
    const namespace = props.ruleNamespace ?? 'platform';
    if (!NAMESPACE_NAME.test(namespace)) {
      throw new PlatformValidationError(where, 'ruleNamespace', namespace, 'is not a valid rule groups namespace name',
        "use 1 to 64 letters, digits, '-', '.' or '_', starting with a letter or digit");
    }
    if (props.topics === undefined && props.ruleGroups !== undefined) {
      throw new PlatformValidationError(where, 'topics', undefined, 'is required with ruleGroups',
        'pass both (the workspace evaluates rules and pages) or neither (remote-write target only)');
    }
    if (props.topics === undefined && props.heartbeatTopic !== undefined) {
      throw new PlatformValidationError(where, 'heartbeatTopic', props.heartbeatTopic.node.path, 'needs topics (the workspace evaluates no rule without them)',
        'pass topics too, and call addPlatformAlerts() so the Watchdog fires');
    }
    if (props.ruleGroups !== undefined && props.ruleGroups.length === 0) {
      throw new PlatformValidationError(where, 'ruleGroups', [], 'is empty',
        'pass the rule groups to evaluate, e.g. sloRuleGroups(slo), or call addServiceAlerts()');
    }
    if (props.ruleGroups !== undefined) {
      const given = [...props.ruleGroups];
      validateRuleGroups(where, given);
      this.ruleSources.push(() => given);
    }
    this.topics = props.topics;

    this.key = createDataKey(this, 'Key', `${where} Amazon Managed Service for Prometheus workspace and logs`);
    allowCloudWatchLogs(this.key);
    this.logGroup = createEncryptedLogGroup(this, 'Logs', {
      key: this.key,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
    });

    this.alertmanagerConfig = props.topics && new AlertmanagerConfig({
      target: AlertmanagerTarget.AMAZON_MANAGED_PROMETHEUS,
      paging: Receiver.sns('critical', { topicArn: props.topics.critical.topicArn, region: stack.region }),
      ticket: Receiver.sns('warning', { topicArn: props.topics.warning.topicArn, region: stack.region }),
      heartbeat: props.heartbeatTopic && Receiver.sns('heartbeat', { topicArn: props.heartbeatTopic.topicArn, region: stack.region, message: '{{ .Status }}' }),
    });

    this.workspace = new aps.CfnWorkspace(this, 'Resource', {
      alias: `${stack.stackName}-${this.node.id}`.slice(0, 100),
      kmsKeyArn: this.key.keyArn,
      loggingConfiguration: { logGroupArn: this.logGroup.logGroupArn },
      alertManagerDefinition: this.alertmanagerConfig?.renderAmpDefinition(),
    });
    this.workspace.node.addDependency(this.logGroup);
    this.workspaceId = this.workspace.attrWorkspaceId;
    this.workspaceArn = this.workspace.attrArn;
    this.prometheusEndpoint = this.workspace.attrPrometheusEndpoint;
    this.remoteWriteUrl = `${this.prometheusEndpoint}api/v1/remote_write`;

    if (props.topics !== undefined) {
      // Rendered at synth: rules added later, and limits of sidecars added later, are included.
      this.ruleGroupsNamespace = new aps.CfnRuleGroupsNamespace(this, 'Rules', {
        workspace: this.workspaceArn,
        name: namespace,
        data: Lazy.string({ produce: () => renderRuleFile(this.ruleGroups()) }),
      });
      this.node.addValidation({ validate: () => this.validateRules() });
    }
  }

  /**
   * Evaluates the alerts of `service` in this workspace: each SLO's recording rules and multiwindow burn-rate alerts,
   * the golden-signal alerts, whose saturation limits are the service's `containerLimits` as built (a sidecar
   * added after this call still counts), and the resilience alerts (breakers, cache bypass, shedding, pools). Runbook
   * links are under the scope's `runbookBaseUrl` context, like the CloudWatch alarms'. Rendered at synth.
   */
  public addServiceAlerts(service: IResilientService, options: ServiceAlertsOptions): void {
    const where = this.node.path;
    this.requireTopics('addServiceAlerts');
    const { serviceName, slos } = options;
    if (!SERVICE_NAME.test(serviceName)) {
      throw new PlatformValidationError(where, 'serviceName', serviceName, 'is not a valid service name',
        "use the service's Prometheus job name: a letter, then up to 62 letters, digits, '_', '.' or '-'");
    }
    const foreign = slos.find((slo) => slo.service !== serviceName);
    if (foreign) {
      throw new PlatformValidationError(where, 'slos', foreign.name, `is an SLO of service '${foreign.service}', not of '${serviceName}'`,
        `pass only SLOs declared with service: '${serviceName}'`);
    }
    const latency = slos.find((slo) => slo.kind === 'latency');
    if (latency?.threshold === undefined) {
      throw new PlatformValidationError(where, 'slos', slos.map((slo) => slo.name), 'has no latency SLO',
        'add a Slo.latency({ service, threshold, target }): its threshold is the p99 alert threshold');
    }
    const latencyThreshold = latency.threshold;
    this.ruleSources.push(() => {
      const runbookBaseUrl = runbookBaseUrlOf(this);
      const limits = service.containerLimits;
      return [
        ...slos.flatMap((slo) => sloRuleGroups(slo, { runbookBaseUrl })),
        goldenSignalRuleGroup({
          service: serviceName, latencyThreshold, cpuLimitCores: limits.cpuCores, memoryLimitBytes: limits.memoryBytes, runbookBaseUrl,
        }),
        resilienceRuleGroup({ service: serviceName, runbookBaseUrl }),
      ];
    });
  }

  /**
   * Evaluates the platform alerts in this workspace (`Watchdog`, `RegionDown`: once per workspace), with runbook
   * links under the scope's `runbookBaseUrl` context.
   */
  public addPlatformAlerts(): void {
    this.requireTopics('addPlatformAlerts');
    this.ruleSources.push(() => [platformRuleGroup({ runbookBaseUrl: runbookBaseUrlOf(this) })]);
  }

  /** Every rule group the workspace evaluates, as rendered now: `ruleGroups`, then those added, in order. */
  public ruleGroups(): RuleGroup[] {
    return this.ruleSources.flatMap((produce) => produce());
  }

  /** Allow `grantee` to remote-write samples to the workspace. */
  public grantRemoteWrite(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['aps:RemoteWrite'], resourceArns: [this.workspaceArn] });
  }

  /** Allow `grantee` to query the workspace (Grafana, dashboards, scripts). */
  public grantQuery(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['aps:QueryMetrics', 'aps:GetSeries', 'aps:GetLabels', 'aps:GetMetricMetadata', 'aps:DescribeWorkspace'],
      resourceArns: [this.workspaceArn],
    });
  }

  private requireTopics(method: string): void {
    if (this.topics === undefined) {
      throw new PlatformValidationError(this.node.path, 'topics', undefined, `is required to evaluate alerts (${method})`,
        'pass the AlertingTopics the workspace pages and tickets through');
    }
  }

  private validateRules(): string[] {
    const groups = this.ruleGroups();
    if (groups.length === 0) {
      throw new PlatformValidationError(this.node.path, 'ruleGroups', [], 'is empty while topics is set: the workspace would page on nothing',
        'pass ruleGroups, call addServiceAlerts() / addPlatformAlerts(), or leave topics out (remote-write target only)');
    }
    validateRuleGroups(this.node.path, groups);
    if (this.alertmanagerConfig?.heartbeat && !groups.some((g) => g.rules.some((r) => 'alert' in r && r.alert === 'Watchdog'))) {
      throw new PlatformValidationError(this.node.path, 'heartbeatTopic', this.alertmanagerConfig.heartbeat.name,
        'receives the Watchdog heartbeat, but the workspace evaluates no Watchdog rule: the dead man\'s switch would page at once',
        'call addPlatformAlerts() (or pass a rule group with the Watchdog alert)');
    }
    return [];
  }
}

/** Throws on duplicate group names and on more rules than one namespace holds. */
function validateRuleGroups(where: string, groups: readonly RuleGroup[]): void {
  const names = groups.map((g) => g.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) {
    throw new PlatformValidationError(where, 'ruleGroups', duplicate, 'names two rule groups',
      'give every rule group its own name (Prometheus rejects a rule file with duplicate group names)');
  }
  const bytes = Buffer.byteLength(renderRuleFile(groups), 'utf8');
  if (bytes > MAX_RULES_BYTES) {
    throw new PlatformValidationError(where, 'ruleGroups', `${bytes} bytes`, `exceed the ${MAX_RULES_BYTES}-byte limit of one rule groups namespace`,
      'split the groups over several ManagedPrometheus rule namespaces or drop unused recording rules');
  }
}
