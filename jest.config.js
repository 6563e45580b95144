/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: '<rootDir>/test/helpers/jest-environment.js',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  // With the environment: one aws-cdk-lib CloudFormation validation engine per worker, not per test file
  // (test/helpers/shared-cfn-validate.js).
  setupFiles: ['<rootDir>/test/helpers/jest-setup.js'],
  snapshotSerializers: ['<rootDir>/test/helpers/asset-hash-serializer.js'],
  testTimeout: 120000,
  // Two cores: two workers (jest's default leaves one core idle). The e2e and promtool suites mostly wait on processes.
  maxWorkers: 2,
  // Each variant of the reference app is synthesized once per run, by producers that start here and work while the
  // other files run; the files that read the syntheses run last (test/helpers/synth-cache.ts).
  globalSetup: '<rootDir>/test/helpers/jest-global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/jest-global-teardown.ts',
  testSequencer: '<rootDir>/test/helpers/jest-sequencer.js',
};
