import type { DrTier, RecoveryObjectives } from '../dr-tier';
import type { DurationText } from '../duration';
import { formatDuration, parseDuration } from '../duration';
import { PlatformValidationError } from '../errors';
import { StackOutput } from '../stack-outputs';
import type { DrillParameter, DrillRegion } from './parameters';
import { ParameterSource, parameterReferences } from './parameters';
import type { AnyStep } from './steps';
import type { DrillVerification } from './verification';

/** Props of {@link Drill}. */
export interface DrillProps {
  /** Identifier and file name: `runbooks/drills/<id>.md`; lowercase words joined by dashes. */
  readonly id: string;
  /** Title of the runbook. */
  readonly title: string;
  /** What the drill proves, one paragraph (markdown). */
  readonly summary: string;
  /** The DR tiers this drill applies to. */
  readonly tiers: readonly DrTier[];
  /**
   * Objectives the drill is measured against.
   * @default - the envelope of the tier the platform runs at
   */
  readonly objectives?: RecoveryObjectives;
  /** The region the drill acts in: where its automation runs and where the CLI sends its calls. */
  readonly region: DrillRegion;
  /**
   * Named inputs the steps reference as `{{ Name }}`. `PrimaryRegion`, `SecondaryRegion` and
   * `StopConditionAlarmName` are always declared.
   * @default - only the built-in parameters
   */
  readonly parameters?: readonly DrillParameter[];
  /** What must hold before starting (markdown bullets). */
  readonly preconditions: readonly string[];
  /** The steps, in order. */
  readonly steps: readonly AnyStep[];
  /** How recovery is verified and RTO/RPO measured. */
  readonly verification: DrillVerification;
  /** How to return to the normal state afterwards (markdown bullets). */
  readonly failback: readonly string[];
  /**
   * Fields the drill report records besides the timeline and measured RTO/RPO.
   * @default - none
   */
  readonly reportFields?: readonly string[];
}

/**
 * The built-in parameter naming the stop-condition alarm; it carries the name of the stack output it reads
 * ({@link StackOutput.STOP_CONDITION_ALARM_NAME}).
 */
export const STOP_CONDITION_PARAMETER = StackOutput.STOP_CONDITION_ALARM_NAME;

/** The built-in parameters every drill has. */
export function builtInParameters(region: DrillRegion): DrillParameter[] {
  return [
    { name: 'PrimaryRegion', description: 'Region that serves traffic before the drill.', source: ParameterSource.region('primary') },
    { name: 'SecondaryRegion', description: 'Region that takes over.', source: ParameterSource.region('secondary') },
    {
      name: STOP_CONDITION_PARAMETER,
      description: `CloudWatch alarm whose ALARM state stops the drill before its next step (the critical alarm of the ${region} region).`,
      source: ParameterSource.stackOutput(region, StackOutput.STOP_CONDITION_ALARM_NAME),
    },
  ];
}

const MAX_ATTEMPTS = 10;

/**
 * A DR drill declared once as data: rendered to `runbooks/drills/<id>.md` and to an SSM Automation document,
 * and run by `npm run drill -- <id>`. The constructor validates everything and throws a
 * {@link PlatformValidationError} naming the step and the fix.
 */
export class Drill {
  public readonly id: string;
  public readonly title: string;
  public readonly summary: string;
  public readonly tiers: readonly DrTier[];
  public readonly region: DrillRegion;
  public readonly parameters: readonly DrillParameter[];
  public readonly preconditions: readonly string[];
  public readonly steps: readonly AnyStep[];
  public readonly verification: DrillVerification;
  public readonly failback: readonly string[];
  public readonly reportFields: readonly string[];
  private readonly explicitObjectives?: RecoveryObjectives;

  constructor(props: DrillProps) {
    const where = `drills/${props.id}`;
    if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(props.id)) {
      throw new PlatformValidationError('drills', 'id', props.id, 'is not a drill id', "use lowercase words joined by dashes, e.g. 'pilot-light-failover'");
    }
    this.id = props.id;
    this.title = props.title;
    this.summary = props.summary;
    if (props.tiers.length === 0) {
      throw new PlatformValidationError(where, 'tiers', [], 'is empty', 'list the DR tiers the drill applies to');
    }
    this.tiers = props.tiers;
    this.region = props.region;
    if (props.objectives) {
      parseDuration(where, 'objectives.rto', props.objectives.rto);
      parseDuration(where, 'objectives.rpo', props.objectives.rpo);
      this.explicitObjectives = props.objectives;
    }
    this.parameters = [...builtInParameters(props.region), ...(props.parameters ?? [])];
    this.preconditions = props.preconditions;
    this.steps = props.steps;
    this.verification = props.verification;
    this.failback = props.failback;
    this.reportFields = props.reportFields ?? [];
    this.validate(where);
  }

  /** Whether the objectives are stated by the drill rather than taken from the tier. */
  public get hasExplicitObjectives(): boolean {
    return this.explicitObjectives !== undefined;
  }

  /** Seconds of a step's timeout. */
  public static timeoutSeconds(step: { readonly timeout: DurationText }): number {
    return parseDuration('drill step', 'timeout', step.timeout);
  }

  /** The objectives the drill is measured against at `tier`: the explicit ones, or the tier's envelope. */
  public objectivesFor(tier: DrTier): RecoveryObjectives {
    return this.explicitObjectives ?? { rto: formatDuration(tier.envelope.rtoSeconds), rpo: formatDuration(tier.envelope.rpoSeconds) };
  }

  /** The step named `name`. */
  public step(name: string): AnyStep | undefined {
    return this.steps.find((s) => s.name === name);
  }

  /** The parameter named `name`. */
  public parameter(name: string): DrillParameter | undefined {
    return this.parameters.find((p) => p.name === name);
  }

  private validate(where: string): void {
    const paramNames = new Set<string>();
    for (const p of this.parameters) {
      if (!/^[A-Z][A-Za-z0-9]*$/.test(p.name)) {
        throw new PlatformValidationError(where, 'parameters.name', p.name, 'is not a parameter name', 'use PascalCase letters and digits, e.g. GlobalClusterIdentifier');
      }
      if (paramNames.has(p.name)) {
        throw new PlatformValidationError(where, 'parameters.name', p.name, 'is declared twice',
          'declare each parameter once (PrimaryRegion, SecondaryRegion and StopConditionAlarmName are built in)');
      }
      paramNames.add(p.name);
    }
    if (this.steps.length === 0) {
      throw new PlatformValidationError(where, 'steps', [], 'is empty', 'declare at least one step');
    }
    const stepNames = new Set<string>();
    const earlierOutputs = new Set<string>();
    this.steps.forEach((step, i) => {
      const name = step.name;
      if (typeof name !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
        throw new PlatformValidationError(where, `steps[${i}].name`, name, 'is not a step name',
          'use letters, digits and underscores, starting with a letter (SSM step names), e.g. ScaleSecondaryService');
      }
      if (stepNames.has(name)) {
        throw new PlatformValidationError(where, `step ${name}`, name, 'is declared twice', 'give every step a unique name');
      }
      stepNames.add(name);
      if (step.timeout === undefined) {
        throw new PlatformValidationError(where, `step ${name} timeout`, undefined, 'is missing',
          "give every drill step a timeout, e.g. timeout: '15m' (a step without one could hang the drill)");
      }
      const timeout = parseDuration(where, `step ${name} timeout`, step.timeout);
      if (timeout === 0) {
        throw new PlatformValidationError(where, `step ${name} timeout`, step.timeout, 'is zero', 'give the step time to finish, e.g. timeout: \'5m\'');
      }
      if (step.kind === 'aws-api' && (!Number.isInteger(step.maxAttempts) || step.maxAttempts < 1 || step.maxAttempts > MAX_ATTEMPTS)) {
        throw new PlatformValidationError(where, `step ${name} maxAttempts`, step.maxAttempts, `must be an integer from 1 to ${MAX_ATTEMPTS}`,
          'bound the retries: set maxAttempts to 3 unless the API is known to throttle hard');
      }
      if (step.kind === 'wait-for') {
        if (!step.selector.startsWith('$.')) {
          throw new PlatformValidationError(where, `step ${name} selector`, step.selector, 'is not a JSONPath', "write it as SSM does, e.g. '$.DBClusters[0].Status'");
        }
        if (step.desiredValues.length === 0) {
          throw new PlatformValidationError(where, `step ${name} desiredValues`, [], 'is empty', 'list the values that end the wait');
        }
      }
      if (step.kind === 'sleep' && parseDuration(where, `step ${name} duration`, step.duration) > timeout) {
        throw new PlatformValidationError(where, `step ${name} duration`, step.duration, `is longer than its timeout (${step.timeout})`, 'raise the timeout or shorten the pause');
      }
      for (const ref of parameterReferences(step.kind === 'aws-api' ? { ...step, outputs: {} } : step)) {
        if (ref.includes('.')) {
          if (!earlierOutputs.has(ref)) {
            throw new PlatformValidationError(where, `step ${name}`, `{{ ${ref} }}`, 'references no output of an earlier step',
              `reference an output an earlier aws-api step declares (${[...earlierOutputs].join(', ') || 'none declared'})`);
          }
          continue;
        }
        if (!paramNames.has(ref)) {
          throw new PlatformValidationError(where, `step ${name}`, `{{ ${ref} }}`, 'references an undeclared parameter',
            `declare ${ref} in parameters (one of ${[...paramNames].join(', ')} was probably meant) or fix the reference`);
        }
      }
      if (step.kind === 'aws-api') {
        for (const [output, selector] of Object.entries(step.outputs)) {
          if (!/^[A-Za-z][A-Za-z0-9]*$/.test(output) || !selector.startsWith('$.')) {
            throw new PlatformValidationError(where, `step ${name} outputs`, { [output]: selector }, 'is not an output declaration',
              "map a PascalCase name to a JSONPath, e.g. { ZonalShiftId: '$.zonalShiftId' }");
          }
          earlierOutputs.add(`${name}.${output}`);
        }
      }
    });
    for (const ref of parameterReferences([this.preconditions, this.failback, this.verification.checks, this.verification.rpo.how])) {
      if (!paramNames.has(ref)) {
        throw new PlatformValidationError(where, 'runbook text', `{{ ${ref} }}`, 'references an undeclared parameter', `declare ${ref} in parameters or fix the reference`);
      }
    }
    const { recoveredWhen, rpo } = this.verification;
    if (!stepNames.has(recoveredWhen)) {
      throw new PlatformValidationError(where, 'verification.recoveredWhen', recoveredWhen, 'is not a step of the drill',
        `name the step whose success ends the RTO, one of ${[...stepNames].join(', ')}`);
    }
    if (rpo.replicationLag && !stepNames.has(rpo.replicationLag.atStep)) {
      throw new PlatformValidationError(where, 'verification.rpo.atStep', rpo.replicationLag.atStep, 'is not a step of the drill',
        `name the failover step, one of ${[...stepNames].join(', ')}`);
    }
  }
}
