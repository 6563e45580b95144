// Jest snapshot serializer: strips what changes without a behaviour change (asset hashes, CDK and
// package versions, bootstrap version parameters) so snapshots stay narrow and deterministic.
const HASH = /[0-9a-f]{64}(\.zip|\.json)?/g;
const VERSION = /"version":\s*"\d+\.\d+\.\d+[^"]*"/g;
const MARK = Symbol.for('platform-stacks.scrubbed');

function scrub(value) {
  if (typeof value === 'string') return value.replace(HASH, (_m, ext) => `[ASSET_HASH]${ext ?? ''}`);
  if (Array.isArray(value)) return value.map(scrub);
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'BootstrapVersion' || k === 'CheckBootstrapVersion') continue;
      out[scrub(k)] = scrub(v);
    }
    return out;
  }
  return value;
}

module.exports = {
  test(value) {
    return value !== null && typeof value === 'object' && !value[MARK] && JSON.stringify(value ?? null)?.match(HASH) !== null;
  },
  serialize(value, config, indentation, depth, refs, printer) {
    const clean = scrub(value);
    Object.defineProperty(clean, MARK, { value: true, enumerable: false });
    return printer(clean, config, indentation, depth, refs).replace(VERSION, '"version": "[VERSION]"');
  },
};
