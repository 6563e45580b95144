import { PlatformValidationError } from '../../core/errors';

/** `min` to `max` MiB in steps of `step`. */
function range(min: number, max: number, step: number): number[] {
  const values: number[] = [];
  for (let m = min; m <= max; m += step) values.push(m);
  return values;
}

/**
 * Valid Fargate task sizes (Linux): CPU units -> allowed memory (MiB) and how to say it in an error.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
 */
const FARGATE_SIZES: ReadonlyMap<number, { readonly memory: readonly number[]; readonly text: string }> = new Map([
  [256, { memory: [512, 1024, 2048], text: '512, 1024 or 2048' }],
  [512, { memory: range(1024, 4096, 1024), text: '1024 to 4096 in steps of 1024' }],
  [1024, { memory: range(2048, 8192, 1024), text: '2048 to 8192 in steps of 1024' }],
  [2048, { memory: range(4096, 16384, 1024), text: '4096 to 16384 in steps of 1024' }],
  [4096, { memory: range(8192, 30720, 1024), text: '8192 to 30720 in steps of 1024' }],
  [8192, { memory: range(16384, 61440, 4096), text: '16384 to 61440 in steps of 4096' }],
  [16384, { memory: range(32768, 122880, 8192), text: '32768 to 122880 in steps of 8192' }],
]);

/** Throws unless `cpu` / `memoryLimitMiB` is a task size Fargate runs; the message lists what is allowed. */
export function requireFargateSize(where: string, cpu: number, memoryLimitMiB: number): void {
  const size = FARGATE_SIZES.get(cpu);
  if (!size) {
    throw new PlatformValidationError(where, 'cpu', cpu, 'is not a Fargate CPU size',
      `use one of ${[...FARGATE_SIZES.keys()].join(', ')}`);
  }
  if (!size.memory.includes(memoryLimitMiB)) {
    throw new PlatformValidationError(where, 'memoryLimitMiB', memoryLimitMiB, `is not valid with cpu ${cpu} on Fargate`,
      `use ${size.text}, or change cpu`);
  }
}
