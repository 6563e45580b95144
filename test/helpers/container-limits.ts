import type { ContainerLimits } from '../../constructs/core/observability/golden-signals';

/**
 * Container limits for tests of the rule and dashboard generators: those of the reference app's container after the
 * ADOT collector and the AppConfig agent take their shares (704 of 1024 CPU units, 1408 of 2048 MiB). Tests of what was
 * built read the limits from the synthesized templates and manifests instead (test/stacks/observability-parity.test.ts).
 */
export const TEST_CONTAINER_LIMITS: ContainerLimits = { cpuCores: 704 / 1024, memoryBytes: 1408 * 1024 ** 2 };
