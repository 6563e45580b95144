/**
 * The config keys of the account baseline (stacks/config.ts reads the rest): `-c accountBaseline=true` adds the
 * `<service>-baseline` stacks, `-c monthlyBudget=<USD>` sets the service's budget.
 */
import { PlatformValidationError } from '../constructs/core/errors';

const WHERE = 'config';

/** The account baseline's fields of the config. */
export interface BaselineConfig {
  /** Add the account baseline stacks (`-c accountBaseline=true`; once per account). */
  readonly accountBaseline: boolean;
  /** The service's monthly cost budget in USD (`-c monthlyBudget=2500`); undefined: the library's default. */
  readonly monthlyBudget?: number;
}

/** Reads the account baseline's keys through `str` (the config's context reader). */
export function loadBaselineConfig(str: (key: string) => string | undefined): BaselineConfig {
  const flag = str('accountBaseline');
  if (flag !== undefined && flag !== 'true' && flag !== 'false') {
    throw new PlatformValidationError(WHERE, 'accountBaseline', flag, 'is not true or false', 'pass -c accountBaseline=true or -c accountBaseline=false');
  }
  const accountBaseline = flag === 'true';
  const budgetText = str('monthlyBudget');
  if (budgetText === undefined) return { accountBaseline };
  const monthlyBudget = Number(budgetText);
  if (!/^\d+(\.\d+)?$/.test(budgetText) || monthlyBudget <= 0) {
    throw new PlatformValidationError(WHERE, 'monthlyBudget', budgetText, 'is not a positive amount of USD', 'pass -c monthlyBudget=2500');
  }
  if (!accountBaseline) {
    throw new PlatformValidationError(WHERE, 'monthlyBudget', budgetText, 'is given without accountBaseline, whose budget it sets',
      'pass -c accountBaseline=true with it, or drop it');
  }
  return { accountBaseline, monthlyBudget };
}
