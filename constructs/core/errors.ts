/**
 * One error type for bad input, raised at synth time.
 *
 * The message always names where (construct path or config source), the prop, the value received and the
 * fix, e.g. `Platform/Checkout: maxCapacity (2) is below minCapacity (3): raise maxCapacity or lower minCapacity`.
 */
export class PlatformValidationError extends Error {
  public readonly where: string;
  public readonly prop: string;
  public readonly value: unknown;

  constructor(where: string, prop: string, value: unknown, problem: string, fix: string) {
    super(`${where}: ${prop} (${formatValue(value)}) ${problem}: ${fix}`);
    this.name = 'PlatformValidationError';
    this.where = where;
    this.prop = prop;
    this.value = value;
  }
}

/** Render a value for an error message: strings quoted, arrays and objects as JSON. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
