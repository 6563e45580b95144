/**
 * `platform-stacks scorecard`: the reference app at every tier, the production-like app with the account baseline, a
 * consumer-style app built from a few constructs and a plain app (a bucket and a function), each scored from its
 * cloud assembly on disk; the command's formats, CI gate and bad input.
 */
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Stack } from 'aws-cdk-lib';
import { MultiAzNetwork } from '../../../constructs/aws/network/multi-az-network';
import { AuroraDatabase } from '../../../constructs/aws/data/aurora-database';
import { runScorecardCommand, scoreAssembly } from '../../../cli/scorecard/command';
import type { Scorecard } from '../../../cli/scorecard/command';
import { sharedReferenceApp, synthesizedReferenceApp } from '../../helpers/reference-app';
import { PRODUCTION_CONTEXT } from '../../helpers/reference-contexts';
import { testApp, testStack } from '../../helpers/test-stack';

const levels = (card: Scorecard): Record<string, number> => Object.fromEntries(card.areas.map((a) => [a.name, a.level]));
const unmet = (card: Scorecard): string[] => card.checklist.filter((c) => !c.met).map((c) => c.item);

function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  return runScorecardCommand(argv, { out: (t) => { out += t; }, err: (t) => { err += t; } }).then((code) => ({ code, out, err }));
}

/** Synthesizes a fixture app (one stack) into a folder of its own; returns the folder. */
function synthesized(build: (stack: Stack) => void): string {
  const app = testApp({});
  const stack = testStack({ app, id: 'App' });
  build(stack);
  return app.synth().directory;
}

describe('the reference app at each tier (no receivers, no on-call, no baseline: nobody is paged, so no escalation)', () => {
  test.each([
    ['backup-restore', { monitoring: 3, deployment: 3, 'incident response': 1, testing: 3, security: 2, performance: 3 }],
    ['pilot-light', { monitoring: 3, deployment: 3, 'incident response': 1, testing: 3, security: 2, performance: 3 }],
    ['warm-standby', { monitoring: 3, deployment: 3, 'incident response': 1, testing: 3, security: 2, performance: 3 }],
    ['active-active', { monitoring: 3, deployment: 3, 'incident response': 1, testing: 3, security: 2, performance: 3 }],
  ])('%s', (drTier, expected) => {
    const card = scoreAssembly(sharedReferenceApp({ drTier }).assembly.directory);
    expect(levels(card)).toEqual(expected);
    expect(card.total).toBe(Object.values(expected).reduce((a, b) => a + b, 0));
    expect(card.max).toBe(18);
  });
});

describe('the production-like app: warm standby, a domain, receivers, on-call, the account baseline', () => {
  const synth = synthesizedReferenceApp(PRODUCTION_CONTEXT, 'nag');
  const card = scoreAssembly(synth.assembly.directory);

  test('18/18: every area at 3; every checklist item but load testing (an assembly holds no test runs)', () => {
    expect(synth.error).toBeUndefined();
    expect(levels(card)).toEqual({ monitoring: 3, deployment: 3, 'incident response': 3, testing: 3, security: 3, performance: 3 });
    expect(card.total).toBe(18);
    expect(unmet(card)).toEqual(['Load testing completed']);
    expect(card.areas.find((a) => a.name === 'deployment')?.missing).toEqual([]);
  });

  test('evidence names stack, construct path and logical id', () => {
    const security = card.areas.find((a) => a.name === 'security')!;
    expect(security.evidence).toContainEqual(expect.objectContaining({
      requirement: 'L3 continuous verification', stack: 'checkout-baseline', type: 'AWS::GuardDuty::Detector', path: 'checkout-baseline/Detection/GuardDuty',
    }));
  });
});

describe('fixtures', () => {
  test('a plain app with a bucket and a function scores low, with actionable gaps', () => {
    const dir = synthesized((stack) => {
      new s3.Bucket(stack, 'Bucket');
      new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=async()=>1') });
    });
    const card = scoreAssembly(dir);
    expect(levels(card)).toEqual({ monitoring: 0, deployment: 1, 'incident response': 0, testing: 0, security: 1, performance: 0 });
    expect(card.total).toBe(2);
    expect(card.areas.find((a) => a.name === 'monitoring')?.missing[0]).toEqual({
      level: 1, requirement: 'metrics watched', what: 'no CloudWatch alarm, dashboard or Prometheus workspace', providedBy: 'ServiceMonitoring',
    });
    expect(unmet(card)).toHaveLength(10);
  });

  test('a consumer-style app (network and database from the library) gets the data-tier points only', () => {
    const dir = synthesized((stack) => {
      const network = new MultiAzNetwork(stack, 'Network');
      new AuroraDatabase(stack, 'Orders', { vpc: network.vpc, readers: 2 });
    });
    const card = scoreAssembly(dir);
    expect(levels(card)).toEqual({ monitoring: 1, deployment: 1, 'incident response': 0, testing: 0, security: 1, performance: 0 });
    expect(unmet(card)).toContain('Cost monitoring and budgets');
  });
});

describe('the command', () => {
  const dir = sharedReferenceApp({ drTier: 'pilot-light' }).assembly.directory;

  test('json to stdout with the contract names', async () => {
    const { code, out } = await run([dir, '--format', 'json']);
    expect(code).toBe(0);
    const json = JSON.parse(out) as Scorecard;
    expect(Object.keys(json)).toEqual(['areas', 'checklist', 'total', 'max']);
    expect(Object.keys(json.areas[0])).toEqual(['name', 'level', 'max', 'evidence', 'missing']);
    expect(Object.keys(json.checklist[0])).toEqual(['item', 'met', 'evidence', 'missing']);
    expect(json.areas.map((a) => a.name)).toEqual(['monitoring', 'deployment', 'incident response', 'testing', 'security', 'performance']);
  });

  test('markdown and table name the total', async () => {
    expect((await run([dir, '--format', 'markdown'])).out).toContain('| **total** | **15/18** | production-ready |');
    expect((await run([dir])).out).toMatch(/^total +15\/18 +production-ready$/m);
  });

  test('--min is a CI gate', async () => {
    expect((await run([dir, '--min', '15'])).code).toBe(0);
    const below = await run([dir, '--min', '16']);
    expect(below.code).toBe(1);
    expect(below.err).toBe('scorecard: total 15 is below --min 16\n');
  });

  test.each([
    [['--min', '19', dir], '--min 19 is not a score: use a whole number from 0 to 18 (e.g. --min 15)\n'],
    [[dir, '--format', 'html'], '--format html is not a format: use table, markdown or json\n'],
    [['/nonexistent'], '/nonexistent: no manifest.json, not a cloud assembly: pass the folder `cdk synth` writes (cdk.out by default)\n'],
  ])('bad input exits 2 naming the option and the fix (%s)', async (argv, message) => {
    const { code, err } = await run(argv);
    expect(code).toBe(2);
    expect(err).toBe(message);
  });
});
