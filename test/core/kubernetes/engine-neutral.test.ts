/**
 * The engine boundary (DESIGN.md "Layers"): core/ imports no engine (aws-cdk-lib, constructs, cdk8s, Pulumi) and nothing
 * outside core/; the cdk8s and Pulumi entries share the Kubernetes builders of core/kubernetes and neither imports
 * the other's folder.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const ENGINES = /^(aws-cdk-lib|constructs|cdk8s|cdk8s-plus-\d+|@pulumi\/.*)(\/|$)/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.ts$/.test(name) ? [path] : [];
  });
}

/** Every module `file` imports or re-exports: package names as written, relative ones as `./<path from the repository root>`. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/g)].map((m) => m[1])
    .map((spec) => (spec.startsWith('.') ? `./${relative(root, resolve(dirname(file), spec))}` : spec));
}

/** `<file> -> <import>` for every import of the files under `dir` that `forbidden` flags. */
function violations(dir: string, forbidden: (spec: string) => boolean): string[] {
  return sources(join(root, dir)).flatMap((file) => importsOf(file).filter(forbidden).map((spec) => `${relative(root, file)} -> ${spec}`));
}

describe('engine boundaries', () => {
  test('core/ imports no engine and nothing outside core/', () => {
    expect(violations('constructs/core', (spec) => ENGINES.test(spec) || (spec.startsWith('./') && !spec.startsWith('./constructs/core/')))).toEqual([]);
  });

  test('the Pulumi entry imports nothing of the cdk8s entry, and the cdk8s entry nothing of Pulumi', () => {
    expect(violations('constructs/pulumi', (spec) => spec.startsWith('./constructs/k8s/') || /^cdk8s/.test(spec))).toEqual([]);
    expect(violations('constructs/k8s', (spec) => spec.startsWith('./constructs/pulumi/') || spec.startsWith('@pulumi/'))).toEqual([]);
  });

  test('both engines render through the builders of core/kubernetes', () => {
    const k8s = sources(join(root, 'constructs/k8s')).flatMap(importsOf);
    const pulumi = sources(join(root, 'constructs/pulumi')).flatMap(importsOf);
    for (const builder of ['./constructs/core/kubernetes/service-manifests', './constructs/core/kubernetes/monitoring-manifests']) {
      expect(k8s).toContain(builder);
      expect(pulumi).toContain(builder);
    }
  });

  test('the import reader sees relative and package imports (a violation would be found)', () => {
    const imports = importsOf(join(root, 'constructs/k8s/private/render.ts'));
    expect(imports).toEqual(expect.arrayContaining(['cdk8s', 'constructs', './constructs/k8s/imports/monitoring.coreos.com', './constructs/core/kubernetes/objects']));
    expect(violations('constructs/k8s', (spec) => spec === 'cdk8s')).toContain('constructs/k8s/private/render.ts -> cdk8s');
  });
});
