/**
 * platform-stacks public API. Everything a consumer app composes is exported from here; nothing else is API.
 */

// core: engine-neutral, no aws-cdk-lib
export * from './core/errors';
export * from './core/regions';
export * from './core/cidr';
export * from './core/duration';
export * from './core/dr-tier';
export * from './core/runbooks';
export * from './core/observability/slo';
export * from './core/observability/burn-rate';
export * from './core/observability/rule-file';
export * from './core/observability/rules';
export * from './core/observability/golden-signals';
export * from './core/observability/alertmanager';

// aws
export * from './aws/platform-stack';
export * from './aws/network/multi-az-network';
export * from './aws/compute/resilient-service';
export * from './aws/data/aurora-database';
export * from './aws/cache/distributed-cache';
