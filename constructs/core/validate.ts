import { PlatformValidationError } from './errors';

/**
 * Validation helpers shared by every engine. Each throws a {@link PlatformValidationError} naming
 * `where`, the prop, the value and the fix; none of them "fixes" a value silently.
 */

/** An integer within [min, max]. */
export function requireIntegerInRange(where: string, prop: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new PlatformValidationError(where, prop, value, `must be an integer from ${min} to ${max}`,
      `set ${prop} to a whole number between ${min} and ${max}`);
  }
}

/** A number within [min, max]. */
export function requireNumberInRange(where: string, prop: string, value: number, min: number, max: number): void {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new PlatformValidationError(where, prop, value, `must be between ${min} and ${max}`,
      `set ${prop} to a value between ${min} and ${max}`);
  }
}

/** `min <= max`, with both names in the message. */
export function requireMinNotAboveMax(where: string, minProp: string, min: number, maxProp: string, max: number): void {
  if (min > max) {
    throw new PlatformValidationError(where, maxProp, max, `is below ${minProp} (${min})`,
      `raise ${maxProp} or lower ${minProp}`);
  }
}

/** One of the allowed string values. */
export function requireOneOf<T extends string>(where: string, prop: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new PlatformValidationError(where, prop, value, 'is not a supported value',
      `use one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/** A URL-path starting with `/`. */
export function requirePath(where: string, prop: string, value: string): void {
  if (!/^\/[A-Za-z0-9._~\-/]*$/.test(value)) {
    throw new PlatformValidationError(where, prop, value, 'is not an absolute URL path',
      `use a path such as '/ready' (starting with '/', no query string)`);
  }
}

/** An e-mail address (`name@domain.tld`, no spaces). */
export function requireEmailAddress(where: string, prop: string, value: string, fix = `use an address such as 'oncall@example.com'`): void {
  if (!/^[^\s@,;]+@[^\s@,;]+\.[A-Za-z]{2,}$/.test(value)) {
    throw new PlatformValidationError(where, prop, value, 'is not an e-mail address', fix);
  }
}

/** An https:// URL with a host. */
export function requireHttpsUrl(where: string, prop: string, value: string, fix = 'use an https:// URL such as https://events.pagerduty.com/integration/<key>/enqueue'): void {
  let ok = /^https:\/\/[^\s]+$/.test(value);
  if (ok) {
    try {
      ok = new URL(value).hostname.length > 0;
    } catch {
      ok = false;
    }
  }
  if (!ok) throw new PlatformValidationError(where, prop, value, 'is not an https URL', fix);
}
