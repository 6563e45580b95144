/**
 * Jest's own order (failed first, then slowest first), with the test files that read the reference app's
 * syntheses (they import helpers/reference-app) moved to the end: the synthesis producers of the global setup work
 * while the other files run. Also tells the global setup which files run (PLATFORM_STACKS_SELECTED_TESTS).
 */
const { readFileSync } = require('node:fs');
const Sequencer = require('@jest/test-sequencer').default;

const READS_SYNTHESES = /from '(\.\.\/)+helpers\/reference-app'|from '\.\/reference-app'/;

class SynthesesLastSequencer extends Sequencer {
  async sort(tests) {
    const sorted = await super.sort(tests);
    process.env.PLATFORM_STACKS_SELECTED_TESTS = JSON.stringify(sorted.map((t) => t.path));
    const readers = new Set(sorted.filter((t) => READS_SYNTHESES.test(readFileSync(t.path, 'utf8'))));
    return [...sorted.filter((t) => !readers.has(t)), ...sorted.filter((t) => readers.has(t))];
  }
}

module.exports = SynthesesLastSequencer;
