/**
 * `npm run bench`: the project's speed and size budgets, measured (never asserted by timed tests).
 *
 *  - cold `cdk synth` of the whole reference app through cdk.json's runner (tsx/esbuild), median of N runs
 *  - the same app through ts-node (what `cdk init` sets up), for comparison
 *  - `npm test` wall time (one run; skip with --skip-test)
 *  - resources per stack and template size, against the budget (limit 500, stay under 250)
 *
 * Options: --runs N (default 3), --skip-test, --skip-ts-node. Writes .bench/latest.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RESOURCE_BUDGET = 250;
const SYNTH_BUDGET_SECONDS = 20;

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 3;
const skipTest = args.includes('--skip-test');
const skipTsNode = args.includes('--skip-ts-node');
const extraContext = args.filter((a) => a.startsWith('-c=')).flatMap((a) => ['-c', a.slice(3)]);

const env = { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CI: 'true' };

function timed(cmd: string, cmdArgs: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, cmdArgs, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) {
    throw new Error(`${cmd} ${cmdArgs.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return seconds;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function synth(outdir: string, app?: string): number {
  rmSync(outdir, { recursive: true, force: true });
  const appArgs = app ? ['--app', app] : [];
  return timed('npx', ['cdk', 'synth', '--quiet', '--no-notices', '--no-version-reporting', '-o', outdir, ...appArgs, ...extraContext]);
}

const work = mkdtempSync(join(tmpdir(), 'platform-bench-'));
const out = join(work, 'cdk.out');
const fast = Array.from({ length: runs }, () => synth(out));
const stacks = readdirSync(out).filter((f) => f.endsWith('.template.json')).map((f) => {
  const path = join(out, f);
  const template = JSON.parse(readFileSync(path, 'utf8')) as { Resources?: Record<string, unknown> };
  return { stack: f.replace('.template.json', ''), resources: Object.keys(template.Resources ?? {}).length, bytes: statSync(path).size };
});
// Every DR tier variant once, without and with a domain (Route 53 region routing, public origins): resources per
// stack (the budget holds for all eight).
const TIERS = ['backup-restore', 'pilot-light', 'warm-standby', 'active-active'];
const DOMAIN = ['domainName=shop.example.com', 'hostedZoneId=Z0123456789ABCDEFGHIJ',
  'certificateArn=arn:aws:acm:us-east-1:111111111111:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789'].flatMap((c) => ['-c', c]);
const variants = TIERS.flatMap((tier) => [{ tier, context: [] as string[] }, { tier: `${tier}+domain`, context: DOMAIN }]);
const tierStacks = variants.map(({ tier, context }) => {
  const dir = join(work, `cdk.out.${tier}`);
  const seconds = timed('npx', ['cdk', 'synth', '--quiet', '--no-notices', '--no-version-reporting', '-o', dir,
    '-c', `drTier=${tier.replace('+domain', '')}`, ...context, ...extraContext]);
  const counts = Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.template.json')).map((f) => {
    const template = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { Resources?: Record<string, unknown> };
    return [f.replace('.template.json', ''), Object.keys(template.Resources ?? {}).length];
  }));
  return { tier, seconds, counts };
});
const tsNode = skipTsNode ? [] : Array.from({ length: runs }, () => synth(join(work, 'cdk.out.ts-node'), 'npx ts-node --prefer-ts-exts stacks/main.ts'));
const testSeconds = skipTest ? undefined : timed('npm', ['test', '--silent']);
rmSync(work, { recursive: true, force: true });

const result = {
  date: new Date().toISOString(),
  synthSeconds: { runner: 'tsx (esbuild)', runs: fast, median: median(fast), budget: SYNTH_BUDGET_SECONDS },
  synthTsNodeSeconds: tsNode.length ? { runs: tsNode, median: median(tsNode) } : undefined,
  npmTestSeconds: testSeconds,
  stacks,
  tiers: tierStacks,
};

const f = (n: number) => n.toFixed(1);
console.log(`cold cdk synth (tsx/esbuild), median of ${runs}: ${f(result.synthSeconds.median)} s  [${fast.map(f).join(', ')}]  budget ${SYNTH_BUDGET_SECONDS} s  ${result.synthSeconds.median <= SYNTH_BUDGET_SECONDS ? 'OK' : 'OVER'}`);
if (result.synthTsNodeSeconds) {
  console.log(`cold cdk synth (ts-node), median of ${runs}:     ${f(result.synthTsNodeSeconds.median)} s  [${tsNode.map(f).join(', ')}]`);
}
if (testSeconds !== undefined) console.log(`npm test wall time: ${f(testSeconds)} s`);
console.log('\nstack'.padEnd(40) + 'resources'.padStart(10) + '   template KiB');
for (const s of stacks) {
  console.log(s.stack.padEnd(39) + String(s.resources).padStart(10) + (s.bytes / 1024).toFixed(1).padStart(15)
    + (s.resources > RESOURCE_BUDGET ? `  OVER ${RESOURCE_BUDGET}` : ''));
}
console.log('\nresources per stack by DR tier');
for (const t of tierStacks) {
  console.log(`  ${t.tier.padEnd(22)} synth ${f(t.seconds)} s  ` + Object.entries(t.counts).map(([k, v]) => `${k} ${v}`).join(', '));
}
mkdirSync('.bench', { recursive: true });
writeFileSync(join('.bench', 'latest.json'), JSON.stringify(result, null, 2) + '\n');
const over = result.synthSeconds.median > SYNTH_BUDGET_SECONDS || stacks.some((s) => s.resources > RESOURCE_BUDGET)
  || tierStacks.some((t) => Object.values(t.counts).some((n) => n > RESOURCE_BUDGET));
process.exitCode = over ? 1 : 0;
