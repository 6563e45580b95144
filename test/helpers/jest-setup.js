/**
 * Runs before every test file (jest `setupFiles`): aws-cdk-lib's synth-time CloudFormation validator comes from
 * shared-cfn-validate.js, which keeps one validation engine per jest worker (see there), handed over by
 * jest-environment.js.
 */
const shared = globalThis[Symbol.for('platform-stacks.shared-cfn-validate')];
if (shared) jest.mock(shared.MODULE_PATH, () => shared.sharedModule());
