import type { DurationText } from '../duration';
import { formatDuration, parseDuration } from '../duration';
import { PlatformValidationError } from '../errors';
import type { AutomationDocumentContent, AutomationParameter } from '../drills/render-ssm';
import { renderAutomationStep } from '../drills/render-ssm';
import { parameterReferences } from '../drills/parameters';
import type { ParameterType } from '../drills/parameters';
import type { AnyStep } from '../drills/steps';

/**
 * Automatic remediation: a short allowlist of safe actions, declared with the step model the drills use and rendered
 * to SSM Automation documents. A guard rail (cool-down, no run during a deployment or a drill, a pause switch) starts
 * them when an alarm fires; database failovers and region switches stay human (drills).
 */

/** A named input of a remediation action, referenced by its steps as `{{ Name }}`. */
export interface RemediationParameter {
  /** PascalCase name. */
  readonly name: string;
  /** What the value is, one line. */
  readonly description: string;
  /**
   * Value type.
   * @default 'String'
   */
  readonly type?: ParameterType;
}

/** Props of {@link RemediationAction}. */
export interface RemediationActionProps {
  /** Identifier, lowercase words joined by dashes: the document is `<service>-remediate-<id>`. */
  readonly id: string;
  /** What it does, a few words (runbooks, incident timeline). */
  readonly title: string;
  /** What it does and why it is safe, one or two sentences (markdown). */
  readonly summary: string;
  /** Alert names (runbook ids, e.g. `CpuSaturationHigh`) whose CloudWatch alarm starts the action when it goes to ALARM. */
  readonly triggers: readonly string[];
  /** The inputs of the steps (filled by the stack that deploys the action). */
  readonly parameters: readonly RemediationParameter[];
  /** The steps: AWS API calls, waits and pauses only (nothing waits for a person). */
  readonly steps: readonly AnyStep[];
  /** At most one run per service within this window. */
  readonly cooldown: DurationText;
  /** How to undo what the action did (markdown, one sentence or a command). */
  readonly undo: string;
}

/**
 * Calls no remediation action may make, whatever its declaration: failovers and traffic moves are decisions for a
 * person (the drills run them, with approvals).
 */
export const FORBIDDEN_REMEDIATION_CALLS: readonly string[] = [
  'rds:FailoverGlobalCluster', 'rds:SwitchoverGlobalCluster', 'rds:FailoverDBCluster', 'rds:PromoteReadReplicaDBCluster',
  'rds:DeleteDBCluster', 'rds:DeleteDBInstance', 'elasticache:TestFailover', 'elasticache:DeleteReplicationGroup',
  'arc-region-switch:StartPlanExecution', 'route53:ChangeResourceRecordSets', 'route53-recovery-cluster:UpdateRoutingControlState',
  'route53-recovery-cluster:UpdateRoutingControlStates', 'arc-zonal-shift:StartZonalShift', 'ecs:DeleteService', 'cloudformation:DeleteStack',
];

/** A safe remediation action: validated at declaration, rendered to an SSM Automation document. */
export class RemediationAction {
  public readonly id: string;
  public readonly title: string;
  public readonly summary: string;
  public readonly triggers: readonly string[];
  public readonly parameters: readonly RemediationParameter[];
  public readonly steps: readonly AnyStep[];
  public readonly cooldown: DurationText;
  public readonly undo: string;

  constructor(props: RemediationActionProps) {
    const where = `remediations/${props.id}`;
    if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(props.id)) {
      throw new PlatformValidationError('remediations', 'id', props.id, 'is not an action id', "use lowercase words joined by dashes, e.g. 'scale-out'");
    }
    if (props.triggers.length === 0) {
      throw new PlatformValidationError(where, 'triggers', [], 'is empty: nothing would start the action', 'name the alerts (runbook ids) whose alarm starts it');
    }
    const cooldown = parseDuration(where, 'cooldown', props.cooldown);
    if (cooldown < 300) {
      throw new PlatformValidationError(where, 'cooldown', props.cooldown, 'is shorter than 5 minutes', 'let one run take effect before the next: use at least \'5m\'');
    }
    if (props.steps.length === 0) {
      throw new PlatformValidationError(where, 'steps', [], 'is empty', 'declare at least one step');
    }
    const declared = new Set(props.parameters.map((p) => p.name));
    const outputs = new Set<string>();
    for (const step of props.steps) {
      if (step.kind === 'manual' || step.kind === 'approve') {
        throw new PlatformValidationError(where, `step ${step.name}`, step.kind, 'waits for a person',
          'automatic actions run unattended: use aws-api, wait-for and sleep steps (an action that needs approval is a drill)');
      }
      if (step.kind === 'aws-api' || step.kind === 'wait-for') {
        const call = `${step.call.service}:${step.call.api}`;
        if (FORBIDDEN_REMEDIATION_CALLS.includes(call)) {
          throw new PlatformValidationError(where, `step ${step.name}`, call, 'is not a safe automatic action (failovers and traffic moves stay human)',
            'leave it to a drill (constructs/core/drills), run by a person with approvals');
        }
      }
      for (const ref of parameterReferences(step.kind === 'aws-api' ? { ...step, outputs: {} } : step)) {
        if (ref === 'AutomationAssumeRole' || declared.has(ref) || outputs.has(ref)) continue;
        throw new PlatformValidationError(where, `step ${step.name}`, `{{ ${ref} }}`, 'references neither a parameter nor an earlier step output',
          `declare ${ref} in parameters or fix the reference`);
      }
      if (step.kind === 'aws-api') Object.keys(step.outputs).forEach((o) => outputs.add(`${step.name}.${o}`));
    }
    this.id = props.id;
    this.title = props.title;
    this.summary = props.summary;
    this.triggers = props.triggers;
    this.parameters = props.parameters;
    this.steps = props.steps;
    this.cooldown = props.cooldown;
    this.undo = props.undo;
  }

  /** Seconds of the cool-down. */
  public get cooldownSeconds(): number {
    return parseDuration(`remediations/${this.id}`, 'cooldown', this.cooldown);
  }

  /** The cool-down in words (`30m`). */
  public get cooldownText(): string {
    return formatDuration(this.cooldownSeconds);
  }
}

/** Name of the document a stack deploys for `action`: `<service>-remediate-<id>`. */
export function remediationDocumentName(service: string, action: RemediationAction): string {
  return `${service}-remediate-${action.id}`;
}

/** Prefix of every remediation document of `service` (the guard rail's cool-down and the runbooks' commands). */
export function remediationDocumentPrefix(service: string): string {
  return `${service}-remediate-`;
}

/**
 * The SSM Automation document of `action` (schema 0.3), each step `onFailure: Abort` with its timeout. `defaults` are
 * the deployed values of the parameters (cluster, service, parameter names), so the document also runs by hand with
 * only `AutomationAssumeRole`.
 */
export function renderRemediationDocument(action: RemediationAction,
  defaults: Readonly<Record<string, string | number>> = {}): AutomationDocumentContent {
  const parameters: Record<string, AutomationParameter> = {
    AutomationAssumeRole: {
      type: 'String', default: '',
      description: 'IAM role the automation assumes (empty: the permissions of the user who starts it).',
    },
  };
  for (const p of action.parameters) {
    const def = defaults[p.name];
    parameters[p.name] = {
      type: p.type ?? 'String',
      description: p.description,
      ...(def !== undefined ? { default: def } : {}),
    };
  }
  return {
    schemaVersion: '0.3',
    description: `# ${action.title}\n\n${action.summary}\n\nAutomatic remediation, started by the platform's guard rail when one of these alarms fires: `
      + `${action.triggers.join(', ')} (at most once per ${action.cooldownText}). Undo: ${action.undo}`,
    assumeRole: '{{ AutomationAssumeRole }}',
    parameters,
    mainSteps: action.steps.map((s) => renderAutomationStep({ id: action.id, region: 'primary' }, s)),
  };
}
