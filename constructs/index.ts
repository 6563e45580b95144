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

// aws
export * from './aws/platform-stack';
export * from './aws/network/multi-az-network';
export * from './aws/compute/resilient-service';
export * from './aws/data/aurora-database';
