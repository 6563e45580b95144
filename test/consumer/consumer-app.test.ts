/**
 * The package as a user gets it: `npm pack` of this repository, installed (offline, from npm's cache) into a project
 * made by `cdk init app --language typescript` (its layout, tsconfig and cdk.json with the recommended feature flags),
 * where `npx cdk synth` type-checks and synthesizes the README's apps (examples/) against the published declarations:
 * the multi-region platform with the cdk-nag packs clean, and one service in one region. See consumer-project.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, createConsumer, installedVersion, packLibrary } from './consumer-project';
import type { PackedPackage } from './consumer-project';

const example = readFileSync(join(ROOT, 'examples', 'consumer-app.ts'), 'utf8');
const multiRegionExample = readFileSync(join(ROOT, 'examples', 'multi-region-app.ts'), 'utf8');
const env = { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' };

interface Manifest {
  readonly missing?: unknown[];
  readonly artifacts: Record<string, { type: string; dependencies?: string[]; properties?: { tags?: Record<string, string> } }>;
}
interface Template {
  readonly Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
}

/** `npx cdk synth` in the consumer project; the CLI's output when it fails. */
function cdkSynth(project: string, args: readonly string[]): { code: number; output: string } {
  try {
    const output = execFileSync('npx', ['cdk', 'synth', '--quiet', '--no-notices', ...args], { cwd: project, env, encoding: 'utf8', stdio: 'pipe' });
    return { code: 0, output };
  } catch (e) {
    const error = e as { status?: number; stdout?: string; stderr?: string };
    return { code: error.status ?? 1, output: `${error.stdout ?? ''}${error.stderr ?? ''}` };
  }
}

describe('the published package in a fresh cdk init project', () => {
  const dir = mkdtempSync(join(tmpdir(), 'consumer-'));
  let packed: PackedPackage;
  let project: string;
  let platform: { code: number; output: string };

  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'constructs', 'index.js'))) throw new Error('dist/ is not built: run npm run build (npm test does) before this test');
    packed = packLibrary(dir);
    project = createConsumer(dir, 'my-app', packed);
    // The README's apps, where `cdk init` puts an app: the platform is the project's app (cdk.json: tsc, then tsx).
    writeFileSync(join(project, 'bin', 'my-app.ts'), multiRegionExample);
    writeFileSync(join(project, 'bin', 'single-region.ts'), example);
    platform = cdkSynth(project, []);
  }, 600_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the README shows the examples verbatim', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('```ts\n' + example + '```');
    expect(readme).toContain('```ts\n' + multiRegionExample + '```');
  });

  test('the tarball holds the built library and CLI, the runbooks, README, CHANGELOG and LICENSE; every built file has its source', () => {
    expect(packed.files).toEqual(expect.arrayContaining([
      'package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'dist/constructs/index.js', 'dist/constructs/index.d.ts', 'dist/constructs/k8s/index.js',
      'dist/constructs/pulumi/index.js', 'dist/cli/main.js', 'runbooks/README.md',
    ]));
    expect(packed.files.filter((f) => !/^(dist\/(constructs|cli)\/|runbooks\/|package\.json$|README\.md$|CHANGELOG\.md$|LICENSE$)/.test(f))).toEqual([]);
    expect(packed.files.filter((f) => f.startsWith('dist/cli/gameday/') || f.includes('.test.'))).toEqual([]);
    // A stale file of an older build (a source since moved or deleted) would ship too: none may.
    const orphans = packed.files.filter((f) => f.startsWith('dist/') && f.endsWith('.js'))
      .filter((f) => !existsSync(join(ROOT, f.replace(/^dist\//, '').replace(/\.js$/, '.ts'))));
    expect(orphans).toEqual([]);
  });

  test('package.json: publishable, versioned, the CLI as bin, the entries, exact peers (esbuild required), engines as tested', () => {
    const m = packed.manifest as PackedPackage['manifest'] & { private?: boolean; exports: Record<string, unknown>; scripts: Record<string, string> };
    expect(m.private).toBeUndefined();
    expect(m.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8')).toContain(`## [${m.version}]`);
    expect(m.bin).toEqual({ 'platform-stacks': 'dist/cli/main.js' });
    expect(Object.keys(m.exports)).toEqual(['.', './k8s', './pulumi', './runbooks/*', './package.json']);
    expect(m.scripts.prepare).toBe('npm run build');
    expect(m.peerDependencies).toEqual(expect.objectContaining({ 'aws-cdk-lib': `^${installedVersion('aws-cdk-lib')}`, 'esbuild': `^${installedVersion('esbuild')}` }));
    expect(m.peerDependenciesMeta).toEqual({ 'cdk8s': { optional: true }, '@pulumi/pulumi': { optional: true }, '@pulumi/kubernetes': { optional: true } });
    // Node 20 is what the tests run on (this process): the range starts at its minor and stops before 21.
    expect(m.engines).toEqual({ node: '^20.20.0' });
    const [major, minor] = process.versions.node.split('.').map(Number);
    expect({ major, minorAtLeast20: minor >= 20 }).toEqual({ major: 20, minorAtLeast20: true });
  });

  test('the project is what cdk init makes, with the recommended feature flags of the installed aws-cdk-lib', () => {
    const cdkJson = JSON.parse(readFileSync(join(project, 'cdk.json'), 'utf8')) as { app: string; context: Record<string, unknown> };
    expect(cdkJson.app).toBe('npx tsc && npx tsx bin/my-app.ts');
    expect(cdkJson.context).toEqual((JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as { context: unknown }).context);
    for (const file of ['tsconfig.json', 'jest.config.js', 'lib/my-app-stack.ts', 'test/my-app.test.ts']) expect({ file, exists: existsSync(join(project, file)) }).toEqual({ file, exists: true });
    expect(readFileSync(join(project, 'node_modules', 'platform-stacks', 'package.json'), 'utf8')).toBe(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  });

  test('the multi-region app type-checks and synthesizes with the nag packs clean: five stacks in deploy order, the tier from the objectives', () => {
    expect({ code: platform.code, output: platform.code === 0 ? '' : platform.output }).toEqual({ code: 0, output: '' });
    const manifest = JSON.parse(readFileSync(join(project, 'cdk.out', 'manifest.json'), 'utf8')) as Manifest;
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
      const template = JSON.parse(readFileSync(join(project, 'cdk.out', `${id}.template.json`), 'utf8')) as Template;
      const subscriptions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::SNS::Subscription');
      expect(subscriptions.map((r) => r.Properties?.Endpoint)).toContain('https://events.pagerduty.com/integration/abc123/enqueue');
    }
  });

  test('the packs are live in this install: an app with a finding fails the synth, naming it', () => {
    writeFileSync(join(project, 'bin', 'finding.ts'), [
      "import { App, Stack, Validations } from 'aws-cdk-lib';",
      "import * as sqs from 'aws-cdk-lib/aws-sqs';",
      "import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';",
      'const app = new App();',
      "new sqs.Queue(new Stack(app, 'Finding'), 'Queue');",
      'Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));',
      'app.synth();',
      '',
    ].join('\n'));
    const r = cdkSynth(project, ['--app', 'npx tsx bin/finding.ts', '--output', 'cdk.out.finding']);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain("Acknowledge with 'AwsSolutions::AwsSolutions-SQS4'");
  });

  test('one service in one region synthesizes: a tagged stack with the network, the service and the database', () => {
    const r = cdkSynth(project, ['--app', 'npx tsx bin/single-region.ts', '--output', 'cdk.out.single']);
    expect({ code: r.code, output: r.code === 0 ? '' : r.output }).toEqual({ code: 0, output: '' });
    const template = JSON.parse(readFileSync(join(project, 'cdk.out.single', 'CheckoutStack.template.json'), 'utf8')) as Template;
    expect(Object.values(template.Resources).map((r2) => r2.Type)).toEqual(expect.arrayContaining([
      'AWS::EC2::VPC', 'AWS::ECS::Service', 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::RDS::DBCluster', 'AWS::RDS::DBProxy',
    ]));
    const manifest = JSON.parse(readFileSync(join(project, 'cdk.out.single', 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.missing ?? []).toEqual([]);
    // The stack itself is tagged too (under @aws-cdk/core:explicitStackTags only stack props tag a stack).
    expect(manifest.artifacts.CheckoutStack.properties?.tags).toEqual({
      'platform:service': 'checkout', 'platform:region-role': 'primary', 'platform:dr-tier': 'warm-standby',
    });
  });

  test('the CLI runs as the package\'s bin; the runbooks resolve through exports', () => {
    const bin = join(project, 'node_modules', '.bin', 'platform-stacks');
    expect(statSync(bin).mode & 0o111).not.toBe(0);
    const help = execFileSync(bin, ['--help'], { cwd: project, encoding: 'utf8' });
    expect(help).toMatch(/^usage: platform-stacks <command> \[args\]\ncommands:\n {2}drill /);
    expect(help).toContain('  diagram    ');
    const resolved = execFileSync(process.execPath, ['-p', "require.resolve('platform-stacks/runbooks/README.md')"], { cwd: project, encoding: 'utf8' }).trim();
    expect(resolved).toBe(join(project, 'node_modules', 'platform-stacks', 'runbooks', 'README.md'));
  });
});
