import type { DurationText } from '../duration';
import type { DrillRegion } from './parameters';

/**
 * Drill steps. Each kind renders to a markdown step (with the exact AWS CLI command for automated ones)
 * and to one SSM Automation step; the drill CLI runs them with AWS SDK v3. Every step has a timeout.
 */

/** What every step declares. */
export interface StepOptions {
  /** Unique within the drill; SSM step name: letters, digits and underscores, starting with a letter. */
  readonly name: string;
  /** What the step does and why, one or two sentences (markdown). */
  readonly description: string;
  /** The longest the step may take; past it the step fails and the drill stops. */
  readonly timeout: DurationText;
}

/** An AWS API call: `service` and `api` as boto3 / SSM name them, `params` as the API's request members. */
export interface AwsApiCall {
  /** Service as the AWS CLI, boto3 and SSM `aws:executeAwsApi` name it: `rds`, `ecs`, `arc-zonal-shift`. */
  readonly service: string;
  /** API operation in PascalCase: `FailoverGlobalCluster`. */
  readonly api: string;
  /** Request members, with `{{ Name }}` parameter references. */
  readonly params: Readonly<Record<string, unknown>>;
  /**
   * Region the call is sent to, when not the drill's region (a cross-region step).
   * @default - the drill's region
   */
  readonly region?: DrillRegion;
  /**
   * Endpoint URL (a `{{ Name }}` reference) for services with per-resource endpoints (ARC routing-control
   * cluster endpoints); `endpointRegion` is the region that endpoint is in.
   * @default - the service's regional endpoint
   */
  readonly endpoint?: string;
  /**
   * Region of `endpoint` (a `{{ Name }}` reference).
   * @default - the drill's region
   */
  readonly endpointRegion?: string;
}

/** Options of {@link Step.awsApi}. */
export interface AwsApiStepOptions extends StepOptions, AwsApiCall {
  /**
   * Attempts on a throttling error, backoff with jitter between them (the CLI); SSM `maxAttempts`.
   * @default 3
   */
  readonly maxAttempts?: number;
  /**
   * Values of the response later steps reference as `{{ StepName.OutputName }}`: output name to JSONPath
   * (`{ ZonalShiftId: '$.zonalShiftId' }`).
   * @default - none
   */
  readonly outputs?: Readonly<Record<string, string>>;
  /**
   * SSM type of each output that is not a string (`{ MaxCapacity: 'Integer' }`), so a later step can pass it where the
   * API takes a number.
   * @default - every output is a String
   */
  readonly outputTypes?: Readonly<Record<string, StepOutputType>>;
}

/** The SSM type of a step output. */
export type StepOutputType = 'String' | 'Integer';

/** Options of {@link Step.waitFor}. */
export interface WaitForStepOptions extends StepOptions, AwsApiCall {
  /** JSONPath into the response, as SSM writes it: `$.DBClusters[0].Status`. */
  readonly selector: string;
  /** The values that end the wait (compared as strings). */
  readonly desiredValues: readonly string[];
}

/** Options of {@link Step.manual}. */
export interface ManualStepOptions extends StepOptions {
  /** What the operator does (markdown; `{{ Name }}` references allowed). The automation waits for confirmation. */
  readonly instructions: string;
}

/** Options of {@link Step.approve}. */
export interface ApproveStepOptions extends StepOptions {
  /** What the approver confirms before the drill goes on. */
  readonly message: string;
}

/** Options of {@link Step.sleep}. */
export interface SleepStepOptions extends StepOptions {
  /** How long to pause (at most the timeout). */
  readonly duration: DurationText;
}

/** The kinds of step. */
export type StepKind = 'manual' | 'aws-api' | 'wait-for' | 'approve' | 'sleep';

/** One step of a drill; build with the static factories. */
export abstract class Step {
  public readonly name: string;
  public readonly description: string;
  public readonly timeout: DurationText;
  public abstract readonly kind: StepKind;

  protected constructor(options: StepOptions) {
    this.name = options.name;
    this.description = options.description;
    this.timeout = options.timeout;
  }

  /** Whether the step calls AWS (rather than waiting for a person or the clock). */
  public get automated(): boolean {
    return this.kind === 'aws-api' || this.kind === 'wait-for';
  }

  /** An automated AWS API call, retried with backoff on throttling. */
  public static awsApi(options: AwsApiStepOptions): AwsApiStep {
    return new AwsApiStep(options);
  }

  /** Polls an AWS API until a property of the response has one of the desired values. */
  public static waitFor(options: WaitForStepOptions): WaitForStep {
    return new WaitForStep(options);
  }

  /** Something the operator does by hand; the drill waits for their confirmation. */
  public static manual(options: ManualStepOptions): ManualStep {
    return new ManualStep(options);
  }

  /** A go/no-go approval. */
  public static approve(options: ApproveStepOptions): ApproveStep {
    return new ApproveStep(options);
  }

  /** A fixed pause (e.g. to let DNS TTLs expire). */
  public static sleep(options: SleepStepOptions): SleepStep {
    return new SleepStep(options);
  }
}

/** See {@link Step.awsApi}. */
export class AwsApiStep extends Step {
  public readonly kind = 'aws-api' as const;
  public readonly call: AwsApiCall;
  public readonly maxAttempts: number;
  public readonly outputs: Readonly<Record<string, string>>;
  public readonly outputTypes: Readonly<Record<string, StepOutputType>>;

  constructor(options: AwsApiStepOptions) {
    super(options);
    this.call = callOf(options);
    this.maxAttempts = options.maxAttempts ?? 3;
    this.outputs = options.outputs ?? {};
    this.outputTypes = options.outputTypes ?? {};
  }
}

/** See {@link Step.waitFor}. */
export class WaitForStep extends Step {
  public readonly kind = 'wait-for' as const;
  public readonly call: AwsApiCall;
  public readonly selector: string;
  public readonly desiredValues: readonly string[];

  constructor(options: WaitForStepOptions) {
    super(options);
    this.call = callOf(options);
    this.selector = options.selector;
    this.desiredValues = options.desiredValues;
  }
}

/** See {@link Step.manual}. */
export class ManualStep extends Step {
  public readonly kind = 'manual' as const;
  public readonly instructions: string;

  constructor(options: ManualStepOptions) {
    super(options);
    this.instructions = options.instructions;
  }
}

/** See {@link Step.approve}. */
export class ApproveStep extends Step {
  public readonly kind = 'approve' as const;
  public readonly message: string;

  constructor(options: ApproveStepOptions) {
    super(options);
    this.message = options.message;
  }
}

/** See {@link Step.sleep}. */
export class SleepStep extends Step {
  public readonly kind = 'sleep' as const;
  public readonly duration: DurationText;

  constructor(options: SleepStepOptions) {
    super(options);
    this.duration = options.duration;
  }
}

/** Any step, discriminated by `kind`. */
export type AnyStep = AwsApiStep | WaitForStep | ManualStep | ApproveStep | SleepStep;

function callOf(options: AwsApiCall): AwsApiCall {
  return {
    service: options.service, api: options.api, params: options.params,
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.endpointRegion ? { endpointRegion: options.endpointRegion } : {}),
  };
}
