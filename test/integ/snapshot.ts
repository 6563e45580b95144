/**
 * The integration tests' snapshots, offline: each `test/integ/integ.<name>.ts` is synthesized as integ-runner's
 * snapshot step does (the project's feature flags from cdk.json, no stack traces, no path or version metadata) and its
 * cloud assembly compared with `integ.<name>.ts.snapshot/`, the folder integ-runner reads and writes. Compared: the
 * stacks, the test cases (integ.json) and every template with asset hashes replaced by their rank, as integ-runner does
 * (and the assertions' salt, the time of synthesis, left out).
 * Kept in the folder: manifest.json, integ.json and each stack's template, asset manifest and metadata (without the
 * traces naming this checkout's paths); not the built assets nor tree.json.
 *
 * `npm run integ:snapshot` writes the snapshots again (what `integ-runner --update-on-failed` does after a successful
 * deployment; README "Integration tests").
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

export const INTEG_DIR = __dirname;
const ROOT = join(__dirname, '..', '..');

/** The integration test apps, as integ-runner finds them (`integ.*.ts`). */
export function integTests(): string[] {
  return readdirSync(INTEG_DIR).filter((f) => /^integ\..*(?<!\.d)\.ts$/.test(f)).sort().map((f) => join(INTEG_DIR, f));
}

/** The snapshot folder of an integration test app. */
export function snapshotDir(app: string): string {
  return `${app}.snapshot`;
}

/** The context the CLI passes from the repository's cdk.json, without stack traces (what integ-runner synthesizes with). */
function synthContext(): Record<string, unknown> {
  const flags = (JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
  return { ...flags, 'aws:cdk:disable-stack-trace': true, 'aws:cdk:disable-creation-stack-traces': true };
}

/** Synthesizes `app` into a new temporary folder (its cloud assembly); rejects with the app's output when it fails. */
export function synthesizeIntegApp(app: string): Promise<string> {
  const outdir = mkdtempSync(join(tmpdir(), `${basename(app)}-`));
  const env: NodeJS.ProcessEnv = { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(synthContext()) };
  delete env.PLATFORM_INTEG_ACCOUNT;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', app], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => { output += c.toString('utf8'); });
    child.stderr.on('data', (c: Buffer) => { output += c.toString('utf8'); });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(outdir) : reject(new Error(`${basename(app)} failed to synthesize (exit ${code}):\n${output}`))));
  });
}

interface Manifest {
  readonly artifacts: Record<string, {
    readonly type: string; readonly additionalMetadataFile?: string; readonly properties?: { readonly templateFile?: string; readonly file?: string };
  }>;
}

/** The files of an assembly a snapshot keeps. */
export function snapshotFiles(assembly: string): string[] {
  const manifest = JSON.parse(readFileSync(join(assembly, 'manifest.json'), 'utf8')) as Manifest;
  const files = Object.values(manifest.artifacts).flatMap((a) => [a.properties?.templateFile, a.properties?.file, a.additionalMetadataFile]
    .filter((f): f is string => f !== undefined && a.type !== 'cdk:tree'));
  return ['manifest.json', 'integ.json', ...files.sort()];
}

/** `value` without the `trace` of metadata entries (where in this checkout a construct was made: not the same on another machine). */
function withoutTraces(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTraces);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'trace').map(([k, v]) => [k, withoutTraces(v)]));
}

/** Replaces the snapshot of `app` with the files of `assembly` (metadata without traces). */
export function writeSnapshot(app: string, assembly: string): void {
  const dir = snapshotDir(app);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const file of snapshotFiles(assembly)) {
    if (file.endsWith('.metadata.json')) {
      writeFileSync(join(dir, file), `${JSON.stringify(withoutTraces(JSON.parse(readFileSync(join(assembly, file), 'utf8'))), null, 2)}\n`);
    } else {
      copyFileSync(join(assembly, file), join(dir, file));
    }
  }
}

interface StackSnapshot {
  readonly template: unknown;
  readonly assets: string[];
}

/** The stacks of an assembly folder: each template and the hashes of its assets (the template's own excluded). */
function stacksOf(assembly: string): Record<string, StackSnapshot> {
  const manifest = JSON.parse(readFileSync(join(assembly, 'manifest.json'), 'utf8')) as Manifest;
  const stacks: Record<string, StackSnapshot> = {};
  for (const [id, artifact] of Object.entries(manifest.artifacts)) {
    const templateFile = artifact.properties?.templateFile;
    if (artifact.type !== 'aws:cloudformation:stack' || templateFile === undefined) continue;
    const assetFile = join(assembly, `${id}.assets.json`);
    const assets = existsSync(assetFile) ? JSON.parse(readFileSync(assetFile, 'utf8')) as {
      files?: Record<string, { source?: { path?: string } }>; dockerImages?: Record<string, unknown>;
    } : {};
    stacks[id] = {
      template: JSON.parse(readFileSync(join(assembly, templateFile), 'utf8')),
      assets: [...Object.entries(assets.files ?? {}).filter(([, f]) => f.source?.path !== templateFile).map(([hash]) => hash),
        ...Object.keys(assets.dockerImages ?? {})],
    };
  }
  return stacks;
}

/**
 * `value` with every asset hash of `assets` replaced by `Asset<rank>` (a rebuilt Lambda bundle is not a change) and the
 * `salt` of each assertion (integ-tests-alpha sets it to the time of synthesis, so that it runs again on every deployment)
 * replaced by `SALT`.
 */
function canonical(value: unknown, assets: readonly string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => canonical(v, assets));
  if (typeof value === 'object' && value !== null) {
    const assertion = typeof (value as { Type?: unknown }).Type === 'string' && (value as { Type: string }).Type.startsWith('Custom::DeployAssert@');
    return Object.fromEntries(Object.entries(value).map(([k, v]) => {
      if (assertion && k === 'Properties' && typeof v === 'object' && v !== null && 'salt' in v) return [k, canonical({ ...v, salt: 'SALT' }, assets)];
      return [k, canonical(v, assets)];
    }));
  }
  if (typeof value !== 'string') return value;
  return assets.reduce((s, hash, i) => s.split(hash).join(`Asset${i + 1}`), value);
}

/** The logical IDs (and Outputs, Parameters, ...) whose definitions differ between two canonical templates. */
function differences(expected: unknown, actual: unknown): string[] {
  const sections = (t: unknown): Record<string, Record<string, unknown>> => (typeof t === 'object' && t !== null ? t as Record<string, Record<string, unknown>> : {});
  const e = sections(expected);
  const a = sections(actual);
  const out: string[] = [];
  for (const section of [...new Set([...Object.keys(e), ...Object.keys(a)])].sort()) {
    const es = e[section] ?? {};
    const as = a[section] ?? {};
    if (typeof es !== 'object' || typeof as !== 'object') {
      if (JSON.stringify(es) !== JSON.stringify(as)) out.push(section);
      continue;
    }
    for (const key of [...new Set([...Object.keys(es), ...Object.keys(as)])].sort()) {
      if (!(key in as)) out.push(`${section}.${key} removed`);
      else if (!(key in es)) out.push(`${section}.${key} added`);
      else if (JSON.stringify(es[key]) !== JSON.stringify(as[key])) out.push(`${section}.${key} changed`);
    }
  }
  return out;
}

/** How `assembly` differs from the snapshot of `app`: per stack, the changed parts of its template; empty when equal. */
export function compareWithSnapshot(app: string, assembly: string): Record<string, string[]> {
  const dir = snapshotDir(app);
  if (!existsSync(join(dir, 'manifest.json'))) return { '(snapshot)': [`${dir} is missing: run npm run integ:snapshot`] };
  const expected = stacksOf(dir);
  const actual = stacksOf(assembly);
  const result: Record<string, string[]> = {};
  for (const id of [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort()) {
    if (!expected[id]) result[id] = ['stack added'];
    else if (!actual[id]) result[id] = ['stack removed'];
    else {
      const diff = differences(canonical(expected[id].template, expected[id].assets), canonical(actual[id].template, actual[id].assets));
      if (diff.length > 0) result[id] = diff;
    }
  }
  const testCases = (folder: string): unknown => (JSON.parse(readFileSync(join(folder, 'integ.json'), 'utf8')) as { testCases: unknown }).testCases;
  if (JSON.stringify(testCases(dir)) !== JSON.stringify(testCases(assembly))) result['integ.json'] = ['test cases changed'];
  return result;
}

if (require.main === module) {
  void (async () => {
    for (const app of integTests()) {
      const assembly = await synthesizeIntegApp(app);
      try {
        writeSnapshot(app, assembly);
        process.stdout.write(`wrote ${snapshotDir(app)}\n`);
      } finally {
        rmSync(assembly, { recursive: true, force: true });
      }
    }
  })().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
