import { CfnOutput, Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as fis from 'aws-cdk-lib/aws-fis';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { runbookUrl } from '../../core/runbooks';
import { runbookBaseUrlOf } from '../private/context';
import { acknowledgeChaosExperimentFindings } from './private/acknowledge-chaos-experiment-findings';
import { validateChaosExperimentProps } from './private/validate-chaos-experiments-props';

/** Props of {@link ChaosExperiment}. */
export interface ChaosExperimentProps {
  /** Identifier and runbook name (`runbooks/chaos/<id>.md`). */
  readonly id: string;
  /** What the experiment does, one line (the template description). */
  readonly description: string;
  /** Stop condition alarms; at least one. */
  readonly stopConditionAlarms: readonly cloudwatch.IAlarm[];
  /** The FIS action id, e.g. `aws:ecs:stop-task`. */
  readonly actionId: string;
  /**
   * Parameters of the action.
   * @default - none
   */
  readonly actionParameters?: Record<string, string>;
  /** The target key the action names (`Tasks`, `Subnets`, `Clusters`, `ReplicationGroups`). */
  readonly targetKey: string;
  /** The target. */
  readonly target: fis.CfnExperimentTemplate.ExperimentTemplateTargetProperty;
  /** What the experiment role may do: the action's permissions, scoped to the target. */
  readonly statements: readonly iam.PolicyStatement[];
  /** The log group FIS writes the experiment log to. */
  readonly logGroup: logs.ILogGroup;
  /** Stack output (logical ID) carrying the template id, which the runbook's `start-experiment` command reads. */
  readonly outputName: string;
}

/**
 * One AWS FIS experiment template with its own least-privilege role, stop conditions on critical alarms and
 * logging to an encrypted log group. Built by {@link ChaosExperiments}; use the facade's `addXxx()` methods.
 */
export class ChaosExperiment extends Construct {
  /** The experiment template. */
  public readonly template: fis.CfnExperimentTemplate;
  /** The role FIS assumes to run the experiment, allowed only the action's calls on the target. */
  public readonly role: iam.Role;
  /** The experiment id, also the runbook name `runbooks/chaos/<id>.md`. */
  public readonly experimentId: string;
  /** The runbook path (`chaos/<id>`). */
  public readonly runbook: string;
  /** The template id (`aws fis start-experiment --experiment-template-id`). */
  public readonly experimentTemplateId: string;
  /** The stack output with the template id. */
  public readonly templateIdOutput: CfnOutput;

  constructor(scope: Construct, id: string, props: ChaosExperimentProps) {
    super(scope, id);
    const where = this.node.path;
    validateChaosExperimentProps(where, props);
    const stack = Stack.of(this);
    this.experimentId = props.id;
    this.runbook = `chaos/${props.id}`;

    this.role = new iam.Role(this, 'Role', {
      description: `FIS experiment ${props.id}: ${props.actionId} on its target only`,
      assumedBy: new iam.ServicePrincipal('fis.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'fis', resource: 'experiment', resourceName: '*' }) },
        },
      }),
    });
    for (const statement of props.statements) this.role.addToPolicy(statement);
    // FIS delivers the experiment log through CloudWatch Logs vended delivery, on the experiment role's behalf.
    this.role.addToPolicy(new iam.PolicyStatement({
      sid: 'ExperimentLogDelivery',
      actions: ['logs:CreateLogDelivery', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups'],
      resources: ['*'],
    }));
    acknowledgeChaosExperimentFindings(this.role, props.statements);

    const url = runbookUrl(runbookBaseUrlOf(this), this.runbook);
    this.template = new fis.CfnExperimentTemplate(this, 'Resource', {
      description: `${props.description.slice(0, Math.max(0, 512 - url.length - 10))} Runbook: ${url}`,
      roleArn: this.role.roleArn,
      stopConditions: props.stopConditionAlarms.map((alarm) => ({ source: 'aws:cloudwatch:alarm', value: alarm.alarmArn })),
      targets: { [props.targetKey]: props.target },
      actions: {
        [pascal(props.id)]: {
          actionId: props.actionId,
          description: props.description.slice(0, 512),
          targets: { [props.targetKey]: props.targetKey },
          ...(props.actionParameters ? { parameters: props.actionParameters } : {}),
        },
      },
      logConfiguration: { logSchemaVersion: 2, cloudWatchLogsConfiguration: { LogGroupArn: props.logGroup.logGroupArn } },
      experimentOptions: { accountTargeting: 'single-account', emptyTargetResolutionMode: 'fail' },
      tags: { 'Name': props.id, 'platform:chaos-experiment': props.id, 'platform:runbook': url },
    });
    this.experimentTemplateId = this.template.ref;
    this.templateIdOutput = new CfnOutput(this, 'TemplateId', {
      value: this.template.ref,
      description: `FIS experiment template ${props.id} (aws fis start-experiment --experiment-template-id <value>)`,
    });
    this.templateIdOutput.overrideLogicalId(props.outputName);
  }
}

/** `ecs-task-termination` -> `EcsTaskTermination`: the action name in the template. */
function pascal(id: string): string {
  return id.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}
