/**
 * The `platform-stacks` bin as a consumer runs it: the built dist/cli/main.js (npm test builds first), its entry in
 * package.json, the packed file list, and `npm run drill` in this repository.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, relative } from 'node:path';
import { writeCloudAssembly } from './drill/fixtures';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'dist', 'cli', 'main.js');

function platformStacks(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: mkdtempSync(join(tmpdir(), 'bin-cwd-')), encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('platform-stacks bin', () => {
  beforeAll(() => {
    if (!existsSync(BIN)) throw new Error(`${relative(ROOT, BIN)} is missing: run npm run build first (npm test does)`);
  });

  test('package.json maps platform-stacks to the built entry, which starts with a node shebang', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; files: string[] };
    expect(pkg.bin).toEqual({ 'platform-stacks': 'dist/cli/main.js' });
    expect(pkg.files).toContain('dist/cli');
    expect(readFileSync(BIN, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  test('--help lists the commands; no command or an unknown one exits 2', () => {
    const help = platformStacks('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: platform-stacks <command> [args]');
    expect(help.stdout).toContain('  drill   ');
    expect(help.stdout).toContain('  postmortem write a blameless post-mortem');
    expect(platformStacks().code).toBe(2);
    const unknown = platformStacks('nope');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'nope'");
  });

  test('drill --help prints the drill usage and the drills', () => {
    const r = platformStacks('drill', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('usage: platform-stacks drill <drill> [--execute]');
    expect(r.stdout).toContain('drills: backup-restore-failover, pilot-light-failover');
  });

  test('drill <drill> prints the plan with stack names, regions and tier from a cloud assembly', () => {
    // GIVEN the cdk.out of a pilot-light platform for service shop
    const cdkOut = mkdtempSync(join(tmpdir(), 'bin-cdk-out-'));
    writeCloudAssembly(cdkOut);
    // WHEN
    const r = platformStacks('drill', 'pilot-light-failover', '--cdk-out', cdkOut);
    // THEN
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Tier pilot-light; objectives RTO 30m, RPO 1m; runs in the secondary region (eu-central-1).');
    expect(r.stdout).toContain("--global-cluster-identifier '<shop-primary.GlobalClusterIdentifier>'");
  });

  test('the packed package holds the bin and every module it requires', () => {
    const listing = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
    const [packed] = JSON.parse(listing) as [{ files: { path: string }[] }];
    const files = new Set(packed.files.map((f) => f.path));
    expect(files).toContain('dist/cli/main.js');
    const missing: string[] = [];
    for (const file of [...files].filter((f) => f.startsWith('dist/cli/') && f.endsWith('.js'))) {
      for (const m of readFileSync(join(ROOT, file), 'utf8').matchAll(/require\("(\.[^"]+)"\)/g)) {
        const target = normalize(join(dirname(file), m[1]));
        if (!files.has(`${target}.js`) && !files.has(join(target, 'index.js'))) missing.push(`${file} -> ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  test('npm run drill -- <args> runs the same entry from source', () => {
    const r = spawnSync('npm', ['run', '--silent', 'drill', '--', '--help'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('usage: platform-stacks drill <drill>');
  });
});
