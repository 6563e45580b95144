import { Stack } from 'aws-cdk-lib';
import * as aps from 'aws-cdk-lib/aws-aps';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { PlatformValidationError } from '../../core/errors';
import { AlertmanagerConfig, AlertmanagerTarget, Receiver } from '../../core/observability/alertmanager';
import { renderRuleFile } from '../../core/observability/rule-file';
import type { RuleGroup } from '../../core/observability/rule-file';
import { allowCloudWatchLogs, createDataKey, createEncryptedLogGroup } from '../private/encryption';
import type { AlertingTopics } from './alerting-topics';

/** AMP quota: a rule groups namespace holds at most 1 MB of rules. */
const MAX_RULES_BYTES = 1_000_000;
const NAMESPACE_NAME = /^[0-9A-Za-z][-.0-9A-Z_a-z]{0,63}$/;

/** Props of {@link ManagedPrometheus}. */
export interface ManagedPrometheusProps {
  /**
   * Severity topics the Alertmanager definition sends to (`critical` pages, `warning` opens a ticket). Set with
   * `ruleGroups`, or neither.
   * @default - no Alertmanager definition: the workspace stores and serves metrics only
   */
  readonly topics?: AlertingTopics;
  /**
   * Recording and alerting rules evaluated in the workspace (e.g. `sloRuleGroups`, `goldenSignalRuleGroup`).
   * Leave unset (with `topics`) where another Prometheus evaluates the rules and AMP is only the remote-write
   * target, so no alert is evaluated, and paged, twice.
   * @default - no rules: the workspace stores and serves metrics only
   */
  readonly ruleGroups?: readonly RuleGroup[];
  /**
   * Name of the rule groups namespace.
   * @default 'platform'
   */
  readonly ruleNamespace?: string;
  /**
   * Retention of the workspace's vended logs (rule evaluation and Alertmanager errors).
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * An Amazon Managed Service for Prometheus workspace for this region: encrypted with a rotating customer key,
 * logging rule and Alertmanager errors to an encrypted log group, evaluating the given rule groups in one rule
 * groups namespace, and routing alerts with the platform's Alertmanager configuration to the severity topics (SNS
 * receivers only: the only kind AMP delivers to).
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

  constructor(scope: Construct, id: string, props: ManagedPrometheusProps) {
    super(scope, id);
    const where = this.node.path;
    const stack = Stack.of(this);
    const namespace = props.ruleNamespace ?? 'platform';
    if (!NAMESPACE_NAME.test(namespace)) {
      throw new PlatformValidationError(where, 'ruleNamespace', namespace, 'is not a valid rule groups namespace name',
        "use 1 to 64 letters, digits, '-', '.' or '_', starting with a letter or digit");
    }
    if ((props.topics === undefined) !== (props.ruleGroups === undefined)) {
      const missing = props.topics === undefined ? 'topics' : 'ruleGroups';
      throw new PlatformValidationError(where, missing, undefined, `is required with ${missing === 'topics' ? 'ruleGroups' : 'topics'}`,
        'pass both (the workspace evaluates rules and pages) or neither (remote-write target only)');
    }
    const ruleGroups = props.ruleGroups ?? [];
    if (props.ruleGroups !== undefined && ruleGroups.length === 0) {
      throw new PlatformValidationError(where, 'ruleGroups', [], 'is empty',
        'pass the rule groups to evaluate, e.g. referenceRuleGroups() or sloRuleGroups(slo)');
    }
    const names = ruleGroups.map((g) => g.name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate !== undefined) {
      throw new PlatformValidationError(where, 'ruleGroups', duplicate, 'names two rule groups',
        'give every rule group its own name (Prometheus rejects a rule file with duplicate group names)');
    }
    const rules = renderRuleFile(ruleGroups);
    const bytes = Buffer.byteLength(rules, 'utf8');
    if (bytes > MAX_RULES_BYTES) {
      throw new PlatformValidationError(where, 'ruleGroups', `${bytes} bytes`, `exceed the ${MAX_RULES_BYTES}-byte limit of one rule groups namespace`,
        'split the groups over several ManagedPrometheus rule namespaces or drop unused recording rules');
    }

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

    if (props.ruleGroups !== undefined) {
      this.ruleGroupsNamespace = new aps.CfnRuleGroupsNamespace(this, 'Rules', {
        workspace: this.workspaceArn,
        name: namespace,
        data: rules,
      });
    }
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
}
