import { PlatformValidationError } from '../../../core/errors';
import type { CostMonitoringProps } from '../cost-monitoring-props';

/** Fails naming the prop, the value and the fix. */
export function validateCostMonitoringProps(where: string, props: CostMonitoringProps): void {
  if (props.budgets.length === 0) {
    throw new PlatformValidationError(where, 'budgets', [], 'is empty: nothing would be watched', 'pass one { service, monthlyLimit } per service');
  }
  const services = props.budgets.map((b) => b.service);
  for (const budget of props.budgets) {
    if (!/^[a-z][a-z0-9-]{0,39}$/.test(budget.service)) {
      throw new PlatformValidationError(where, 'budgets[].service', budget.service, 'is not a valid service name',
        'use 1-40 lowercase letters, digits and dashes, starting with a letter (the platform:service tag value)');
    }
    if (!Number.isFinite(budget.monthlyLimit) || budget.monthlyLimit <= 0) {
      throw new PlatformValidationError(where, `budgets[${budget.service}].monthlyLimit`, budget.monthlyLimit, 'is not a positive amount of USD',
        'pass the monthly budget in USD, e.g. 1000');
    }
  }
  const duplicate = services.find((s, i) => services.indexOf(s) !== i);
  if (duplicate !== undefined) {
    throw new PlatformValidationError(where, 'budgets', services, `names ${duplicate} twice`, 'give each service one budget');
  }
  if (props.anomalyThreshold !== undefined && (!Number.isFinite(props.anomalyThreshold) || props.anomalyThreshold <= 0)) {
    throw new PlatformValidationError(where, 'anomalyThreshold', props.anomalyThreshold, 'is not a positive amount of USD', 'pass e.g. 100 (notify anomalies of $100 or more)');
  }
  const tag = props.costAllocationTag;
  if (tag !== undefined && !/^[\w.:/=+@-]{1,128}$/.test(tag)) {
    throw new PlatformValidationError(where, 'costAllocationTag', tag, 'is not a tag key', 'use the tag your resources carry, e.g. platform:service');
  }
}
