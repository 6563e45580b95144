/**
 * Jest's node environment, plus the worker's shared CloudFormation validator (shared-cfn-validate.js) on the test
 * files' global, for jest-setup.js. This module is loaded by the worker itself, outside the test files' module
 * registries, so what it holds lives as long as the worker.
 */
const { TestEnvironment } = require('jest-environment-node');
const { MODULE_PATH, sharedModule } = require('./shared-cfn-validate');

/** The global's key of `{ MODULE_PATH, sharedModule }`. */
const SHARED_CFN_VALIDATE = Symbol.for('platform-stacks.shared-cfn-validate');

class PlatformStacksEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    // Frozen and not configurable: jest's clean-up of a test file's globals leaves it for the next file.
    Object.defineProperty(this.global, SHARED_CFN_VALIDATE, { value: Object.freeze({ MODULE_PATH, sharedModule }), configurable: false });
  }
}

module.exports = PlatformStacksEnvironment;
