/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  snapshotSerializers: ['<rootDir>/test/helpers/asset-hash-serializer.js'],
  testTimeout: 120000,
  // Two cores: two workers (jest's default leaves one core idle). The e2e and promtool suites mostly wait on processes.
  maxWorkers: 2,
};
