/**
 * Drill parameters: the named inputs a drill's steps reference as `{{ Name }}` (the SSM Automation syntax),
 * each with where its value comes from, so a plan can show it resolved from the deployed stacks.
 */

/**
 * The stacks of the reference platform a drill reads outputs from; stack names are `<service>-<role>`. `primary`,
 * `secondary` and `global` are the `platform:region-role` of the application stacks; `secondary-base` is the
 * secondary region's network and backup copy vault (deployed at every DR tier).
 */
export type StackRole = 'primary' | 'secondary' | 'secondary-base' | 'global';

/** The region a drill or step acts in. */
export type DrillRegion = 'primary' | 'secondary';

/** The value type of a parameter, as SSM Automation declares it. */
export type ParameterType = 'String' | 'Integer';

/** Where a drill parameter's value comes from. */
export class ParameterSource {
  private constructor(
    public readonly kind: 'stack-output' | 'region' | 'input',
    /** The stack role (stack outputs) or region role (regions). */
    public readonly role: StackRole | undefined,
    /** The stack output name (stack outputs). */
    public readonly output: string | undefined,
    /** An example value (operator inputs). */
    public readonly example: string | undefined,
    /** The value used when the operator gives none (operator inputs). */
    public readonly defaultValue: string | undefined,
  ) {}

  /** An output of one of the platform's stacks, as `cdk deploy --outputs-file` writes it: a name of `StackOutput` (core/stack-outputs.ts). */
  public static stackOutput(stack: StackRole, output: string): ParameterSource {
    return new ParameterSource('stack-output', stack, output, undefined, undefined);
  }

  /** The primary or secondary region of the deployed platform (the stack's environment). */
  public static region(role: DrillRegion): ParameterSource {
    return new ParameterSource('region', role, undefined, undefined, undefined);
  }

  /**
   * A value the operator supplies when running the drill (`--param Name=value`), e.g. a restore time.
   * `defaultValue` is used when none is given.
   */
  public static input(example: string, defaultValue?: string): ParameterSource {
    return new ParameterSource('input', undefined, undefined, example, defaultValue);
  }

  /** Where the value comes from, in words (`stack output <service>-primary.GlobalClusterIdentifier`). */
  public describe(): string {
    switch (this.kind) {
      case 'stack-output': return `stack output \`<service>-${this.role}.${this.output}\``;
      case 'region': return `the ${this.role} region (environment of \`<service>-${this.role}\`)`;
      case 'input': return this.defaultValue !== undefined
        ? `operator input (default \`${this.defaultValue}\`)`
        : `operator input, e.g. \`${this.example}\``;
    }
  }
}

/** A named input of a drill. */
export interface DrillParameter {
  /** Name, referenced by steps as `{{ Name }}`: letters and digits, starting with a capital letter. */
  readonly name: string;
  /** What the value is, one line. */
  readonly description: string;
  /** Where the value comes from. */
  readonly source: ParameterSource;
  /**
   * Value type; an `Integer` parameter referenced alone (`'{{ DesiredCount }}'`) is passed as a number.
   * @default 'String'
   */
  readonly type?: ParameterType;
}

const REFERENCE = /\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g;

/** Every `{{ Name }}` (or step output `{{ Step.Output }}`) reference in `value` (strings, arrays and objects, deeply), in order of appearance. */
export function parameterReferences(value: unknown): string[] {
  if (typeof value === 'string') return [...value.matchAll(REFERENCE)].map((m) => m[1]);
  if (Array.isArray(value)) return value.flatMap((v) => parameterReferences(v));
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap((v) => parameterReferences(v));
  return [];
}

/**
 * `value` with every `{{ Name }}` replaced by `resolve(name)`. A string that is a single reference to a
 * parameter `resolve` returns a number for stays a number.
 */
export function substituteParameters(value: unknown, resolve: (name: string) => string | number): unknown {
  if (typeof value === 'string') {
    const whole = /^\{\{\s*([A-Za-z0-9_.]+)\s*\}\}$/.exec(value);
    if (whole) return resolve(whole[1]);
    return value.replace(REFERENCE, (_m, name: string) => String(resolve(name)));
  }
  if (Array.isArray(value)) return value.map((v) => substituteParameters(v, resolve));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteParameters(v, resolve)]));
  }
  return value;
}
