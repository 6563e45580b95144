/**
 * aws-cdk-lib's synth-time CloudFormation validator (`@aws/cloudformation-validate`, WebAssembly), with one engine per
 * jest worker instead of one per test file. Building the engine (loading the resource schemas) takes 2-3 s of CPU,
 * and aws-cdk-lib builds it again in every test file (each has its own module registry) and again whenever an app
 * brings resource types the last engine was not built for (the rules it adds depend on the types; the schemas do not).
 * Engines with the same configuration are the same validator, so the worker keeps one per configuration: the
 * validation of every template is unchanged.
 *
 * Loaded by the worker itself (jest-environment.js), outside the test files' registries, so it lives as long as the
 * worker. Values from a test file cross into this realm as structured clones (the validator accepts plain objects
 * of its own realm only).
 */
const { dirname } = require('node:path');

/** The validator module aws-cdk-lib loads. */
const MODULE_PATH = require.resolve('@aws/cloudformation-validate', { paths: [dirname(require.resolve('aws-cdk-lib/package.json'))] });

let shared;

/** The module with `CompositeEngine` sharing one engine per configuration (aws-cdk-lib uses only that engine). */
function sharedModule() {
  if (shared) return shared;
  const actual = require(MODULE_PATH);
  const engines = new Map();
  const engineFor = (key) => {
    let engine = engines.get(key);
    if (!engine) {
      engine = new actual.CompositeEngine(JSON.parse(key));
      engines.set(key, engine);
    }
    return engine;
  };
  class SharedCompositeEngine {
    constructor(config) {
      this.key = JSON.stringify(structuredClone(config ?? {}));
      engineFor(this.key);
    }
    use(call) {
      try {
        return call(engineFor(this.key));
      } catch (e) {
        // A trapped instance is replaced by the module: build the next engine on the new one.
        engines.delete(this.key);
        throw e;
      }
    }
    validateTemplate(template, config) {
      return this.use((engine) => engine.validateTemplate(template, structuredClone(config)));
    }
    validateStandard(template, config) {
      return this.use((engine) => engine.validateStandard(template, structuredClone(config)));
    }
    validateDetailed(template, config) {
      return this.use((engine) => engine.validateDetailed(template, structuredClone(config)));
    }
    validateAwsCliCommand(request) {
      return this.use((engine) => engine.validateAwsCliCommand(request));
    }
    listRules() {
      return this.use((engine) => engine.listRules());
    }
    engineName() {
      return this.use((engine) => engine.engineName());
    }
    /** The engine outlives the app that asked for it (the worker's other test files use it). */
    free() {}
  }
  shared = Object.freeze({ ...actual, CompositeEngine: SharedCompositeEngine });
  return shared;
}

module.exports = { MODULE_PATH, sharedModule };
