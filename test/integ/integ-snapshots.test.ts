/**
 * The integration tests' snapshots, verified offline (what `integ-runner` without `--update-on-failed` does: synthesize,
 * compare, deploy nothing). integ-runner itself cannot do it here: its latest release in the registry (2.197.10) reads
 * cloud assemblies up to schema 53 and aws-cdk-lib 2.276 writes 55 (see README "Integration tests"), so test/integ/
 * snapshot.ts synthesizes each app as its snapshot step does and compares the templates the same way (asset hashes
 * aside). Also pinned: which assertions run after a real deployment.
 */
import { readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { compareWithSnapshot, integTests, snapshotDir, synthesizeIntegApp } from './snapshot';

const APPS = integTests();

interface Template {
  readonly Resources: Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>;
}

/** The assertions of an assertion stack: `HttpCall <url shape>` or `<Service>.<api>`, with the expected result if any. */
function assertionsOf(template: Template): string[] {
  return Object.values(template.Resources).flatMap((r) => {
    const p = r.Properties ?? {};
    const expected = p.expected === undefined ? '' : ` expects ${JSON.stringify(p.expected)}`;
    if (r.Type === 'Custom::DeployAssert@HttpCall') return [`HttpCall ${JSON.stringify((p.parameters as { url?: unknown } | undefined)?.url)}${expected}`];
    if (r.Type.startsWith('Custom::DeployAssert@SdkCall')) return [`${String(p.service)}.${String(p.api)}${expected}`];
    return [];
  });
}

describe('integration tests (test/integ)', () => {
  const assemblies = new Map<string, string>();

  beforeAll(async () => {
    // Both apps at once: each is mostly one core's work for a few seconds.
    const made = await Promise.all(APPS.map(async (app) => [app, await synthesizeIntegApp(app)] as const));
    for (const [app, dir] of made) assemblies.set(app, dir);
  }, 300_000);
  afterAll(() => {
    for (const dir of assemblies.values()) rmSync(dir, { recursive: true, force: true });
  });

  test('the data tier\'s constructs and one tier of the platform are covered', () => {
    expect(APPS.map((a) => basename(a))).toEqual(['integ.data-tier.ts', 'integ.platform-pilot-light.ts']);
  });

  test.each(APPS.map((a) => [basename(a), a]))('%s matches its committed snapshot (npm run integ:snapshot after a deployment passed)', (_name, app) => {
    expect({ snapshot: snapshotDir(app), differences: compareWithSnapshot(app, assemblies.get(app) ?? '') })
      .toEqual({ snapshot: snapshotDir(app), differences: {} });
  });

  test('the platform test asserts /health through CloudFront, the global database, a backup job and the page alarm', () => {
    const dir = assemblies.get(APPS[1]) ?? '';
    const template = JSON.parse(readFileSync(join(dir, 'integplat-assertions.template.json'), 'utf8')) as Template;
    expect(assertionsOf(template)).toEqual([
      'HttpCall {"Fn::Join":["",["https://",{"Fn::GetStackOutput":{"StackName":"integplat-global","Region":"us-east-1",'
        + '"OutputName":"PublishOutputFnGetAttEdgeDistribution0060737BDomainName6E5E70D8"}},"/health"]]} expects "{\\"$ObjectLike\\":{\\"status\\":200}}"',
      expect.stringMatching(/^RDS\.describeGlobalClusters expects .*"IsWriter\\":true.*"IsWriter\\":false/),
      'Backup.startBackupJob',
      'Backup.describeBackupJob expects "{\\"$ObjectLike\\":{\\"State\\":\\"COMPLETED\\"}}"',
      expect.stringMatching(/^CloudWatch\.describeAlarms expects "{\\"\$ObjectLike\\":{\\"CompositeAlarms\\":\[{\\"\$ObjectLike\\":{\\"StateValue\\":\\"OK\\"}}\]}}"$/),
    ]);
  });

  test('the data-tier test asserts the cluster\'s and the cache\'s settings, a completed backup job and an OK alarm', () => {
    const dir = assemblies.get(APPS[0]) ?? '';
    const template = JSON.parse(readFileSync(join(dir, 'platform-integ-data-assertions.template.json'), 'utf8')) as Template;
    expect(assertionsOf(template).map((a) => a.replace(/ expects .*/, ''))).toEqual([
      'RDS.describeDBClusters', 'ElastiCache.describeReplicationGroups', 'Backup.startBackupJob', 'Backup.describeBackupJob', 'CloudWatch.describeAlarms',
    ]);
    const manifest = JSON.parse(readFileSync(join(dir, 'integ.json'), 'utf8')) as { testCases: Record<string, { stacks: string[]; stackUpdateWorkflow?: boolean }> };
    expect(manifest.testCases).toEqual({ 'DataTier/DefaultTest': expect.objectContaining({ stacks: ['platform-integ-data-copies', 'platform-integ-data'], stackUpdateWorkflow: false }) });
  });
});
