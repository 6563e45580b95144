/**
 * `platform-stacks diagram` on the reference app's cloud assemblies (the test run's syntheses, synth-cache.ts): the
 * graph read from the templates (regions, stacks, the request path, global replication, backups and their
 * cross-region copies), its DOT and SVG, and the command line.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDiagramCommand } from '../../../cli/diagram/command';
import { renderDot, renderSvg } from '../../../cli/diagram/dot';
import { architectureDiagram } from '../../../cli/diagram/graph';
import type { ArchitectureDiagram, DiagramEdge } from '../../../cli/diagram/graph';
import { readAssembly } from '../../../cli/diagram/assembly';
import { sharedReferenceApp } from '../../helpers/reference-app';

/** Edges as `<stack>:<node label> -> <stack>:<node label> [kind] label`, readable and free of logical-ID hashes. */
function edgesOf(diagram: ArchitectureDiagram): string[] {
  const names = new Map(diagram.regions.flatMap((r) => r.stacks.flatMap((s) => s.nodes.map((n) => [n.id, `${s.name}:${n.label[0]}`] as const))));
  const name = (id: string): string => names.get(id) ?? `missing ${id}`;
  return diagram.edges.map((e: DiagramEdge) => `${name(e.from)} -> ${name(e.to)} [${e.kind}] ${e.label}`);
}

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runDiagramCommand(argv, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

describe('architecture diagram of the reference app', () => {
  const warm = sharedReferenceApp({ drTier: 'warm-standby' }).assembly.directory;
  const diagram = architectureDiagram(readAssembly(warm));

  test('regions in order (global, primary, secondary), each with its stacks', () => {
    expect(diagram.title).toBe('checkout: DR tier warm-standby (Warm standby): RTO 10m, RPO 1m, relative cost 1.5');
    expect(diagram.regions.map((r) => [r.region, r.role, r.stacks.map((s) => s.name)])).toEqual([
      ['us-east-1', 'global', ['checkout-global']],
      ['eu-west-1', 'primary', ['checkout-primary-base', 'checkout-primary']],
      ['eu-central-1', 'secondary', ['checkout-secondary-base', 'checkout-secondary']],
    ]);
  });

  test('the main resources of each stack, labelled from their properties', () => {
    const primary = diagram.regions[1].stacks[1].nodes.map((n) => n.label.join(' / '));
    expect(primary).toEqual([
      'Application Load Balancer / internal',
      'ECS Fargate service / 3–20 tasks',
      'ElastiCache valkey 8.1 / 1 shard × 3 nodes, cache.r7g.large',
      'RDS Proxy / postgresql, TLS',
      'Aurora PostgreSQL 16.13 / global primary, 3 instances (readers 2–5)',
      'AWS Backup plan / continuous, daily, weekly, monthly',
      'AWS Backup vault / vault lock',
    ]);
    const secondary = diagram.regions[2].stacks[1].nodes.map((n) => n.label.join(' / '));
    expect(secondary).toContain('ECS Fargate service / 2–20 tasks');
    expect(secondary).toContain('Aurora PostgreSQL 16.13 / global secondary, 2 instances (readers 1–5)');
    expect(diagram.regions[0].stacks[0].nodes.map((n) => n.label.join(' / '))).toEqual([
      'CloudFront + WAF / *.cloudfront.net',
      'ARC Region switch plan / activePassive, RTO 10 min / approve → scale-out → move-writer',
      'AWS Backup plan / continuous, daily, weekly, monthly',
      'AWS Backup vault / vault lock',
    ]);
  });

  test('links: CloudFront → load balancers → service → cache and proxy → database; replication and backup copies across regions', () => {
    expect(edgesOf(diagram)).toEqual([
      'checkout-global:AWS Backup plan -> checkout-global:AWS Backup vault [backup] recovery points',
      'checkout-global:AWS Backup vault -> checkout-primary-base:AWS Backup vault [copy] cross-region copy',
      'checkout-global:CloudFront + WAF -> checkout-primary:Application Load Balancer [request] origin',
      'checkout-global:CloudFront + WAF -> checkout-secondary:Application Load Balancer [failover] failover origin (5xx)',
      'checkout-primary:AWS Backup plan -> checkout-primary:AWS Backup vault [backup] recovery points',
      'checkout-primary:AWS Backup vault -> checkout-secondary-base:AWS Backup vault [copy] cross-region copy',
      'checkout-primary:Aurora PostgreSQL 16.13 -> checkout-primary:AWS Backup plan [backup] backed up',
      'checkout-primary:Aurora PostgreSQL 16.13 -> checkout-secondary:Aurora PostgreSQL 16.13 [replication] Aurora Global Database replication',
      'checkout-primary:RDS Proxy -> checkout-primary:Aurora PostgreSQL 16.13 [request] connections',
      'checkout-primary:ECS Fargate service -> checkout-primary:ElastiCache valkey 8.1 [request] CACHE_L2_ENDPOINT',
      'checkout-primary:ECS Fargate service -> checkout-primary:RDS Proxy [request] DB_ENDPOINT, DB_READ_ONLY_ENDPOINT',
      'checkout-primary:Application Load Balancer -> checkout-primary:ECS Fargate service [request] forward',
      'checkout-secondary:AWS Backup plan -> checkout-secondary:AWS Backup vault [backup] recovery points',
      'checkout-secondary:AWS Backup vault -> checkout-primary-base:AWS Backup vault [copy] cross-region copy',
      'checkout-secondary:Aurora PostgreSQL 16.13 -> checkout-secondary:AWS Backup plan [backup] backed up',
      'checkout-secondary:RDS Proxy -> checkout-secondary:Aurora PostgreSQL 16.13 [request] connections',
      'checkout-secondary:ECS Fargate service -> checkout-secondary:ElastiCache valkey 8.1 [request] CACHE_L2_ENDPOINT',
      'checkout-secondary:ECS Fargate service -> checkout-secondary:RDS Proxy [request] DB_ENDPOINT, DB_READ_ONLY_ENDPOINT',
      'checkout-secondary:Application Load Balancer -> checkout-secondary:ECS Fargate service [request] forward',
    ]);
  });

  test('backup and restore: the secondary region holds its network and the copy vault only; CloudFront has one origin', () => {
    const backupRestore = architectureDiagram(readAssembly(sharedReferenceApp({ drTier: 'backup-restore' }).assembly.directory));
    const secondary = backupRestore.regions.find((r) => r.role === 'secondary');
    expect(secondary?.stacks.map((s) => [s.name, s.nodes.map((n) => n.label[0])])).toEqual([
      ['checkout-secondary-base', ['AWS Backup vault', 'VPC']],
    ]);
    const edges = edgesOf(backupRestore);
    expect(edges.filter((e) => e.startsWith('checkout-global:CloudFront'))).toEqual([
      'checkout-global:CloudFront + WAF -> checkout-primary:Application Load Balancer [request] origin',
    ]);
    expect(edges).toContain('checkout-primary:AWS Backup vault -> checkout-secondary-base:AWS Backup vault [copy] cross-region copy');
    expect(edges.some((e) => e.includes('[replication]'))).toBe(false);
  });

  test('DOT: one cluster per region and per stack, one node per resource, one line per link; SVG through dot, the same twice', () => {
    const dot = renderDot(diagram);
    expect(dot.match(/subgraph cluster_/g)).toHaveLength(3 + 5);
    expect(dot.match(/^ {6}"[^"]+" \[label=/gm)).toHaveLength(diagram.regions.flatMap((r) => r.stacks.flatMap((s) => s.nodes)).length);
    expect(dot.match(/ -> /g)).toHaveLength(diagram.edges.length);
    expect(dot).toContain('label="eu-central-1 (secondary)"');
    const svg = renderSvg(dot);
    expect(svg).toMatch(/^<\?xml version="1.0" encoding="UTF-8" standalone="no"\?>\n<!DOCTYPE svg/);
    expect(svg).not.toContain('Generated by graphviz version');
    expect(svg).toContain('>Aurora Global Database replication</text>');
    expect(renderSvg(renderDot(architectureDiagram(readAssembly(warm))))).toBe(svg);
  });
});

describe('platform-stacks diagram', () => {
  test('--format dot writes the DOT source of --cdk-out to --out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'diagram-'));
    try {
      const warm = sharedReferenceApp({ drTier: 'warm-standby' }).assembly.directory;
      const r = await run('--cdk-out', warm, '--format', 'dot', '--out', join(dir, 'a.dot'));
      expect(r).toEqual({ code: 0, out: `wrote ${join(dir, 'a.dot')}\n`, err: '' });
      expect(readFileSync(join(dir, 'a.dot'), 'utf8')).toBe(renderDot(architectureDiagram(readAssembly(warm))));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('bad input: exit 2 with the reason and the usage', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'diagram-empty-'));
    try {
      expect(await run('--format', 'png')).toEqual(expect.objectContaining({ code: 2, err: expect.stringMatching(/^--format png: use svg or dot\nusage: platform-stacks diagram/) }));
      expect(await run('--cdk-out')).toEqual(expect.objectContaining({ code: 2, err: expect.stringMatching(/^--cdk-out needs a value\n/) }));
      expect(await run('--cdk-out', empty)).toEqual({
        code: 2, out: '', err: `${empty} is not a cloud assembly (no manifest.json): run cdk synth first, or pass --cdk-out <dir>\n`,
      });
      expect((await run('--help')).out).toMatch(/^usage: platform-stacks diagram \[--cdk-out <dir>\] \[--out <file>\] \[--format svg\|dot\]\n/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  test('without Graphviz the SVG format says what to install', () => {
    expect(() => renderSvg('digraph {}', 'dot-not-installed-here')).toThrow(
      "Graphviz's dot-not-installed-here is not installed: install it (Debian: apt-get install graphviz), or write the DOT source with --format dot");
  });
});
