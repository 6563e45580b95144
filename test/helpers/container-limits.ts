import type { ContainerLimits } from '../../constructs/core/observability/golden-signals';

/**
 * Container limits for tests of the rule and dashboard generators: those of the reference app's container after the
 * ADOT collector takes its share (768 of 1024 CPU units, 1536 of 2048 MiB). Tests of what was built read the limits
 * from the synthesized templates and manifests instead (test/stacks/saturation-limits.test.ts).
 */
export const TEST_CONTAINER_LIMITS: ContainerLimits = { cpuCores: 0.75, memoryBytes: 1536 * 1024 ** 2 };
