/**
 * Jest's own order (failed first, then slowest first), with the game day's quick profile and the packed-library
 * consumer test first (the longest files, about 3 minutes of mostly waiting and about a minute of npm, tsc and cdk
 * synth: they overlap the rest on the other worker instead of ending the run) and the test
 * files that read the reference app's syntheses (they import helpers/reference-app) moved to the end: the synthesis
 * producers of the global setup work while the other files run. Also tells the global setup which files run
 * (PLATFORM_STACKS_SELECTED_TESTS).
 */
const { readFileSync } = require('node:fs');
const Sequencer = require('@jest/test-sequencer').default;

const READS_SYNTHESES = /from '(\.\.\/)+helpers\/reference-app'|from '\.\/reference-app'/;
const FIRST = /(gameday\/quick-profile|consumer\/consumer-app)\.test\.ts$/;

class SynthesesLastSequencer extends Sequencer {
  async sort(tests) {
    const sorted = await super.sort(tests);
    process.env.PLATFORM_STACKS_SELECTED_TESTS = JSON.stringify(sorted.map((t) => t.path));
    const readers = new Set(sorted.filter((t) => READS_SYNTHESES.test(readFileSync(t.path, 'utf8'))));
    const first = sorted.filter((t) => FIRST.test(t.path));
    const rest = sorted.filter((t) => !FIRST.test(t.path));
    return [...first, ...rest.filter((t) => !readers.has(t)), ...rest.filter((t) => readers.has(t))];
  }
}

module.exports = SynthesesLastSequencer;
