/**
 * A consumer CDK app imports the package by name (package.json `exports` -> the built library in dist/) and
 * composes the constructs in its own stack. The README shows exactly examples/consumer-app.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CDK_JSON_CONTEXT } from '../helpers/test-stack';

const root = join(__dirname, '..', '..');
const example = readFileSync(join(root, 'examples', 'consumer-app.ts'), 'utf8');
const multiRegionExample = readFileSync(join(root, 'examples', 'multi-region-app.ts'), 'utf8');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string; exports: Record<string, { types: string; default: string }>;
};

describe('consumer app', () => {
  test('the README shows the examples verbatim', () => {
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain('```ts\n' + example + '```');
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain('```ts\n' + multiRegionExample + '```');
  });

  test('esbuild, which bundles the construct Lambdas at synth, is a declared peer (no silent fall-back to Docker)', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string>; peerDependenciesMeta?: Record<string, { optional?: boolean }> };
    expect(manifest.peerDependencies.esbuild).toBeDefined();
    expect(manifest.peerDependenciesMeta?.esbuild?.optional).not.toBe(true);
  });

  test('package exports point at the built library (npm run build)', () => {
    for (const file of [pkg.exports['.'].types, pkg.exports['.'].default]) {
      expect({ file, exists: existsSync(join(root, file)) }).toEqual({ file, exists: true });
    }
    expect(example).toContain(`from '${pkg.name}'`);
  });

  test('type-checks against the published declarations', () => {
    expect(() => execFileSync('npx', ['tsc', '-p', join(root, 'examples', 'tsconfig.json')], { cwd: root, stdio: 'pipe' })).not.toThrow();
  });

  test('synthesizes offline: a tagged stack with the network, the service and the database', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'consumer-'));
    try {
      execFileSync('npx', ['tsx', join(root, 'examples', 'consumer-app.ts')], {
        // Context as the CDK CLI passes it from a `cdk init` project's cdk.json: the recommended feature flags.
        cwd: root, stdio: 'pipe', env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(CDK_JSON_CONTEXT) },
      });
      expect(readdirSync(outdir)).toContain('CheckoutStack.template.json');
      const template = JSON.parse(readFileSync(join(outdir, 'CheckoutStack.template.json'), 'utf8')) as {
        Resources: Record<string, { Type: string; Properties?: { Tags?: Array<{ Key: string; Value: string }> } }>;
      };
      const types = Object.values(template.Resources).map((r) => r.Type);
      expect(types).toEqual(expect.arrayContaining([
        'AWS::EC2::VPC', 'AWS::ECS::Service', 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::RDS::DBCluster', 'AWS::RDS::DBProxy',
      ]));
      const vpc = Object.values(template.Resources).find((r) => r.Type === 'AWS::EC2::VPC');
      expect(vpc?.Properties?.Tags).toEqual(expect.arrayContaining([{ Key: 'platform:dr-tier', Value: 'warm-standby' }]));
      const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as {
        missing?: unknown[]; artifacts: Record<string, { properties?: { tags?: Record<string, string> } }>;
      };
      expect(manifest.missing ?? []).toEqual([]);
      // The stack itself is tagged too (under @aws-cdk/core:explicitStackTags only stack props tag a stack).
      expect(manifest.artifacts.CheckoutStack.properties?.tags).toEqual({
        'platform:service': 'checkout', 'platform:region-role': 'primary', 'platform:dr-tier': 'warm-standby',
      });
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('the multi-region example synthesizes offline: five stacks in deploy order, the tier from the objectives, pages subscribed', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'consumer-mr-'));
    try {
      execFileSync('npx', ['tsx', join(root, 'examples', 'multi-region-app.ts')], {
        cwd: root, stdio: 'pipe', env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(CDK_JSON_CONTEXT) },
      });
      const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as {
        artifacts: Record<string, { type: string; environment?: string; dependencies?: string[]; properties?: { tags?: Record<string, string> } }>;
      };
      const stacks = Object.entries(manifest.artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack');
      const deps = Object.fromEntries(stacks.map(([id, a]) => [id, (a.dependencies ?? []).filter((d) => !d.endsWith('.assets')).sort()]));
      expect(deps).toEqual({
        'orders-primary-base': [],
        'orders-secondary-base': [],
        'orders-primary': ['orders-primary-base', 'orders-secondary-base'],
        'orders-secondary': ['orders-primary', 'orders-primary-base', 'orders-secondary-base'],
        'orders-global': ['orders-primary', 'orders-primary-base', 'orders-secondary'],
      });
      for (const [, artifact] of stacks) expect(artifact.properties?.tags?.['platform:dr-tier']).toBe('warm-standby');
      for (const id of ['orders-primary', 'orders-secondary']) {
        const template = JSON.parse(readFileSync(join(outdir, `${id}.template.json`), 'utf8')) as { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
        const subscriptionsOf = Object.values(template.Resources).filter((r) => r.Type === 'AWS::SNS::Subscription');
        expect(subscriptionsOf.map((r) => r.Properties?.Endpoint)).toContain('https://events.pagerduty.com/integration/abc123/enqueue');
      }
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
