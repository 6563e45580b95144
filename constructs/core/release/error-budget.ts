/**
 * The error-budget release gate's logic, engine-neutral: how much of an availability SLO's budget is left over its
 * period, and the explicit, recorded override that lets a fix through while the budget is exhausted.
 */

/** Requests over the SLO's period and how many of them failed (5xx). */
export interface ErrorBudgetInput {
  readonly total: number;
  readonly bad: number;
  /** The availability target, e.g. 0.999. */
  readonly target: number;
}

/** Where the budget stands. */
export interface ErrorBudgetStatus {
  /** bad / total (0 without traffic). */
  readonly errorRatio: number;
  /** The budget: 1 - target. */
  readonly budget: number;
  /** Share of the budget spent (errorRatio / budget); above 1 once overspent. */
  readonly consumed: number;
  /** 1 - consumed, at most 1; 0 or below once exhausted. */
  readonly remaining: number;
  /** No budget left: releases wait (unless overridden). */
  readonly exhausted: boolean;
}

/** The budget of an availability SLO given its period's requests and failures. */
export function errorBudgetStatus(input: ErrorBudgetInput): ErrorBudgetStatus {
  if (!(input.target > 0 && input.target < 1)) throw new RangeError(`target must be in (0, 1), got ${input.target}`);
  if (!(input.total >= 0) || !(input.bad >= 0)) throw new RangeError(`total and bad must be non-negative, got ${input.total} and ${input.bad}`);
  // 1 - 0.999 is 0.0010000000000000009 in floating point: a ratio equal to the budget must spend all of it.
  const budget = Math.round((1 - input.target) * 1e12) / 1e12;
  const errorRatio = input.total > 0 ? Math.min(1, input.bad / input.total) : 0;
  const consumed = errorRatio / budget;
  return { errorRatio, budget, consumed, remaining: 1 - consumed, exhausted: consumed >= 1 };
}

/** Parameter Store parameter holding a release override of `service`'s error-budget gate. */
export function budgetOverrideParameter(service: string): string {
  return `/${service}/release/budget-override`;
}

/** Longest an override may stay valid after it was written. */
export const MAX_OVERRIDE_HOURS = 24;

/** An override as written: why the release must go out, and until when the override holds. */
export interface BudgetOverride {
  readonly reason: string;
  /** ISO 8601 instant. */
  readonly expiresAt: string;
}

/** The outcome of reading an override. */
export type OverrideCheck =
  | { readonly valid: true; readonly override: BudgetOverride }
  | { readonly valid: false; readonly problem: string };

/**
 * Checks the text of an override parameter, written at `writtenAt`, at `now`: JSON `{"reason": "...", "expiresAt":
 * "<ISO instant>"}` with a reason of at least 10 characters, expiring in the future and at most
 * {@link MAX_OVERRIDE_HOURS} after it was written.
 */
export function checkBudgetOverride(text: string, writtenAt: Date, now: Date): OverrideCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { valid: false, problem: 'is not JSON: write {"reason":"<why this release must go out>","expiresAt":"<ISO time>"}' };
  }
  const { reason, expiresAt } = (parsed ?? {}) as { reason?: unknown; expiresAt?: unknown };
  if (typeof reason !== 'string' || reason.trim().length < 10) {
    return { valid: false, problem: 'has no reason of at least 10 characters: say why this release must go out (incident, ticket)' };
  }
  const expires = typeof expiresAt === 'string' ? new Date(expiresAt) : undefined;
  if (!expires || Number.isNaN(expires.getTime())) {
    return { valid: false, problem: 'has no expiresAt ISO time: add "expiresAt":"2030-01-01T12:00:00Z" (at most 24 hours ahead)' };
  }
  if (expires.getTime() <= now.getTime()) {
    return { valid: false, problem: `expired at ${expires.toISOString()}: write a new override for this release` };
  }
  if (expires.getTime() - writtenAt.getTime() > MAX_OVERRIDE_HOURS * 3600_000) {
    return { valid: false, problem: `expires more than ${MAX_OVERRIDE_HOURS} hours after it was written (${writtenAt.toISOString()}): an override covers one release, not a period` };
  }
  return { valid: true, override: { reason: reason.trim(), expiresAt: expires.toISOString() } };
}
